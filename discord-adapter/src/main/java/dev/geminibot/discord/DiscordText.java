package dev.geminibot.discord;

import dev.geminibot.core.reply.TextRenderer;

/**
 * Discord shows Markdown as it is; this renderer only defuses {@code @everyone} and {@code @here} outside
 * code (a zero-width space after the {@code @}), so they read the same but are no mention even where a
 * client or a forwarded copy ignores the empty allowed mentions every message is sent with. Code keeps
 * its text exactly. Pure and thread-safe.
 */
final class DiscordText implements TextRenderer {
    static final DiscordText RENDERER = new DiscordText();
    private static final String ZWSP = "\u200b";

    private DiscordText() {
    }

    @Override
    public String render(String markdown) {
        if (!markdown.contains("@everyone") && !markdown.contains("@here")) {
            return markdown;
        }
        StringBuilder out = new StringBuilder(markdown.length() + 8);
        boolean inFence = false;
        for (String line : markdown.split("\n", -1)) {
            out.append(inFence || line.stripLeading().startsWith("```") ? line : defuseOutsideInlineCode(line)).append('\n');
            if (line.stripLeading().startsWith("```")) {
                inFence = !inFence;
            }
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }

    /** The model's text back from what Discord showed (the bot's own messages, read as history). */
    static String unrender(String shown) {
        return shown.replace("@" + ZWSP + "everyone", "@everyone").replace("@" + ZWSP + "here", "@here");
    }

    private static String defuseOutsideInlineCode(String line) {
        StringBuilder out = new StringBuilder(line.length() + 4);
        // A backtick without a partner opens nothing: Discord shows it as a plain character.
        int lastPaired = line.chars().filter(ch -> ch == '`').count() % 2 == 0 ? line.length() : line.lastIndexOf('`');
        boolean inCode = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '`' && i != lastPaired) {
                inCode = !inCode;
            }
            out.append(c);
            if (c == '@' && !inCode && (line.startsWith("everyone", i + 1) || line.startsWith("here", i + 1))) {
                out.append(ZWSP);
            }
        }
        return out.toString();
    }
}
