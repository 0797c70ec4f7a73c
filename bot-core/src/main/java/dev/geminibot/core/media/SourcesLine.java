package dev.geminibot.core.media;

import dev.geminibot.core.model.Source;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The numbered Sources line under a grounded answer, in Markdown that both platforms render:
 * {@code **Sources:** 1. [title](<uri>) · 2. …}. The angle brackets keep Discord from unfurling a preview
 * of every page; Slack's renderer turns each link into {@code <uri|title>}. Titles come from the web, so
 * they are escaped: no Markdown from a title takes effect, and no {@code @everyone}, {@code @here},
 * {@code <@U…>} or {@code <!channel>} in one can notify anybody. At most {@link #MAX} sources,
 * de-duplicated by URI; long lists go one source per line so a split between messages falls between
 * links, never inside one.
 */
public final class SourcesLine {
    static final int MAX = 8;
    private static final int TITLE_MAX = 80;
    /** Longer than this, the sources go one per line: splits happen at lines first. */
    private static final int ONE_LINE_MAX = 700;
    /** Markdown punctuation a title may not use (Discord's and CommonMark's). */
    private static final String MARKDOWN = "\\`*_~|[]()<>#!:";

    private SourcesLine() {
    }

    /** The Sources block, or null when there are no usable sources. */
    public static String of(List<Source> sources) {
        List<String> links = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Source source : sources) {
            String uri = safeUri(source.uri());
            if (uri == null || !seen.add(uri)) {
                continue;
            }
            links.add(links.size() + 1 + ". [" + title(source.title(), uri) + "](<" + uri + ">)");
            if (links.size() == MAX) {
                break;
            }
        }
        if (links.isEmpty()) {
            return null;
        }
        String line = "**Sources:** " + String.join(" · ", links);
        return line.length() <= ONE_LINE_MAX ? line : "**Sources:**\n" + String.join("\n", links);
    }

    /**
     * The title as plain text in Markdown: one line, at most {@link #TITLE_MAX} characters, every Markdown
     * character backslash-escaped, and each {@code @} followed by a zero-width space so {@code @everyone}
     * and {@code @here} stay words. Falls back to the URI's host.
     */
    static String title(String raw, String uri) {
        String text = raw == null ? "" : raw.replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            text = host(uri);
        }
        if (text.length() > TITLE_MAX) {
            text = text.substring(0, TITLE_MAX - 1).strip() + "…";
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (MARKDOWN.indexOf(c) >= 0) {
                out.append('\\').append(c);
            } else if (c == '@') {
                out.append("@\u200b");
            } else if (!Character.isISOControl(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An http(s) URI that fits inside {@code <…>}: no spaces, angle brackets or control characters. */
    static String safeUri(String raw) {
        if (raw == null) {
            return null;
        }
        String uri = raw.strip();
        String lower = uri.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            return null;
        }
        StringBuilder out = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            switch (c) {
                case ' ' -> out.append("%20");
                case '<' -> out.append("%3C");
                case '>' -> out.append("%3E");
                case '|' -> out.append("%7C");
                case '"' -> out.append("%22");
                case '\\' -> out.append("%5C");
                default -> {
                    if (c > ' ' && c != 0x7F) {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String host(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null ? uri : host.startsWith("www.") ? host.substring(4) : host;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }
}
