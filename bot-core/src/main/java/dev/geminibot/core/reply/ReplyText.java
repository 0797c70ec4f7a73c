package dev.geminibot.core.reply;

import java.util.ArrayList;
import java.util.List;

/**
 * The text side of one reply, with no clock and no platform: the raw answer, how it is cut into
 * messages (parts), and what each message shows while live and when final. Pure decisions over the text;
 * the {@link StreamingReply} decides when to send them.
 *
 * <p>Rules: an intermediate text is healed Markdown with the cursor, cut before a half-written word
 * except that the very first text shows the whole first delta, and a tail held back once is shown at the
 * next call at the latest. A part that outgrows a message is sealed at the best boundary
 * ({@link MessageSplitter}) and a new part continues where it ended; seal points never move.
 */
final class ReplyText {

    /** One message of the answer: the text from {@code start}, continuing the code block {@code reopen}. */
    static final class Part {
        final int index;
        final int start;
        final Fence reopen;
        MessageRef ref;
        /** Set once the part is sealed: its end and its final Markdown, which never change again. */
        int end = -1;
        String sealed;
        /** Its final text landed (or was given up): the message never changes again. */
        boolean done;
        String shownMarkdown = "";
        String shownRaw = "";
        /** The rendered text the platform holds for this message, and whether it is an open append stream. */
        String sent = "";
        boolean streaming;
        /** Where healing this part's growing live text left off. */
        final MarkdownHealer.LineScan scan = new MarkdownHealer.LineScan();

        Part(int index, int start, Fence reopen) {
            this.index = index;
            this.start = start;
            this.reopen = reopen;
        }

        String prefix() {
            return reopen == null ? "" : reopen.reopen();
        }

        boolean posted() {
            return ref != null;
        }
    }

    /** What one call would show: in {@code part}, Markdown {@code markdown} (rendered), covering {@code shownRaw}. */
    record View(Part part, String markdown, String rendered, String shownRaw, boolean live) {
    }

    private final StringBuilder raw = new StringBuilder();
    private final List<Part> parts = new ArrayList<>();
    private final MessageSplitter splitter;
    private final TextRenderer renderer;
    private final String cursor;
    private boolean tailHeld;

    ReplyText(TextRenderer renderer, int maxLength, String cursor) {
        this.renderer = renderer;
        this.splitter = new MessageSplitter(renderer, maxLength);
        this.cursor = cursor;
        parts.add(new Part(0, 0, null));
    }

    void append(String delta) {
        raw.append(delta);
    }

    int length() {
        return raw.length();
    }

    String raw() {
        return raw.toString();
    }

    boolean blank() {
        return raw.toString().isBlank();
    }

    List<Part> parts() {
        return parts;
    }

    Part open() {
        return parts.get(parts.size() - 1);
    }

    Part next(Part part) {
        return part.index + 1 < parts.size() ? parts.get(part.index + 1) : null;
    }

    String render(String markdown) {
        return renderer.render(markdown);
    }

    /**
     * The live text of the open part, sealing it (and opening the next) when it outgrows a message.
     * Null when nothing new is to be shown.
     *
     * @param wholeTail true for the first text of the answer, and for a tail held back since the last
     *                  call: show every character, no word held back
     */
    View live(boolean wholeTail) {
        while (true) {
            Part part = open();
            String prefix = part.prefix();
            int length = raw.length();
            int cut = wholeTail ? length : part.start + MarkdownHealer.cutAtWord(raw.subSequence(part.start, length));
            // Never show less than the message shows already (a tail shown once stays shown).
            cut = Math.max(cut, Math.min(length, part.start + part.shownRaw.length()));
            tailHeld = cut < length;
            String source = prefix + raw.substring(part.start, cut);
            MarkdownHealer.Shown shown = MarkdownHealer.display(source, prefix.length(), cursor, part.scan);
            if (shown.text().isEmpty() || shown.text().equals(part.shownMarkdown)) {
                return null;
            }
            String rendered = renderer.render(shown.text());
            if (rendered.length() <= splitter.maxLength()) {
                int keptEnd = Math.max(part.start, part.start + shown.keep() - prefix.length());
                return new View(part, shown.text(), rendered, raw.substring(part.start, keptEnd), true);
            }
            seal(part, raw);
            parts.add(new Part(parts.size(), part.end, Fence.scan(raw, part.start, part.end, part.reopen)));
        }
    }

    /**
     * True if the last {@link #live} view held back a word at the end of the text (one the next delta might
     * still extend). The reply shows it at the next call at the latest.
     */
    boolean tailHeld() {
        return tailHeld;
    }

    /**
     * Lays out the final text: seals the open part and opens parts until {@code finalText} is covered. A
     * last part with nothing to hold (never posted, blank) is dropped, so no empty message is posted.
     */
    void layoutFinal(String finalText) {
        while (true) {
            Part part = open();
            if (part.sealed != null) {
                // Sealed while live: what follows it is the next part (which may have nothing yet).
                parts.add(new Part(parts.size(), part.end, Fence.scan(finalText, part.start, part.end, part.reopen)));
                continue;
            }
            if (part.index > 0 && !part.posted() && finalText.substring(part.start).isBlank()) {
                parts.remove(parts.size() - 1);
                return;
            }
            String whole = MessageSplitter.partText(finalText, part.start, finalText.length(), part.reopen, false);
            if (splitter.measure(whole) <= splitter.maxLength()) {
                part.end = finalText.length();
                part.sealed = whole;
                return;
            }
            seal(part, finalText);
        }
    }

    /** The final view of a sealed part. */
    View sealedView(Part part, CharSequence text) {
        return new View(part, part.sealed, renderer.render(part.sealed),
                text.subSequence(part.start, part.end).toString(), false);
    }

    /** Finishes {@code part} at the best boundary of {@code text} (which does not fit in one message). */
    private void seal(Part part, CharSequence text) {
        int end = splitter.split(text, part.start, text.length(), part.reopen);
        part.end = end;
        part.sealed = MessageSplitter.partText(text, part.start, end, part.reopen, true);
    }

    /** Every part's last shown raw text, joined: what the messages show. */
    String shown() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            out.append(part.shownRaw);
        }
        return out.toString();
    }

    List<MessageRef> messages() {
        List<MessageRef> refs = new ArrayList<>();
        for (Part part : parts) {
            if (part.ref != null) {
                refs.add(part.ref);
            }
        }
        return refs;
    }
}
