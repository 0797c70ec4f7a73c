package dev.geminibot.core.reply;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a prefix of a streaming Markdown answer render well while the rest is still on its way. Pure
 * functions, thread-safe.
 *
 * <p>The shown text is always a prefix of the input, plus at most a closing code fence and the cursor:
 * <ul>
 *   <li>a half-written word at the end is held back ({@link #cutAtWord});</li>
 *   <li>an open code fence is closed, so the rest of the message does not render as code;</li>
 *   <li>a dangling {@code **}, {@code *}, {@code _}, {@code __}, {@code ~~} or inline {@code `} is held
 *       back (the shown text stops before it) until its partner arrives;</li>
 *   <li>a table header line is held back until its {@code |---|} separator line has arrived;</li>
 *   <li>a half-written fence delimiter line is held back.</li>
 * </ul>
 * List bullets ({@code * item}), intraword underscores ({@code snake_case}) and markers inside code spans
 * and fences are not emphasis and are never held back.
 */
final class MarkdownHealer {

    private MarkdownHealer() {
    }

    /**
     * The result of healing: the first {@code keep} characters of the input are shown; {@code fence} is
     * the code block still open at that point (to be closed in the shown text), or null.
     */
    record Healed(int keep, Fence fence) {
    }

    /**
     * The length of {@code text} that shows no half-written word: the text up to the last whitespace,
     * unless the text ends with whitespace or has none at all (then all of it). A run of CJK ideographs,
     * which has no spaces, may end after any of its characters.
     */
    static int cutAtWord(CharSequence text) {
        int end = text.length();
        if (end == 0 || Character.isWhitespace(text.charAt(end - 1))) {
            return end;
        }
        int i = end;
        while (i > 0) {
            int cp = Character.codePointBefore(text, i);
            if (Character.isWhitespace(cp)) {
                break;
            }
            if (unspacedScript(cp)) {
                return i; // the ideograph itself is a complete word
            }
            i -= Character.charCount(cp);
        }
        return i == 0 ? end : i;
    }

    /** True for scripts written without spaces between words, where each character may end a line. */
    static boolean unspacedScript(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || (codePoint >= 0x3000 && codePoint <= 0x303F) // CJK punctuation: 、。「」
                || (codePoint >= 0xFF00 && codePoint <= 0xFFEF); // full-width forms: ，！？
    }

    /**
     * How far the line scan of a growing text got: the state after its last complete line. A live message
     * is healed at every edit, and each time its text is the text of the edit before plus what arrived;
     * resuming here scans each line once per message instead of the whole message per edit (healing was
     * a fifth to a third of an edit's CPU in the scale profiles, and grew with the message). Valid for any text
     * that starts with the text it was taken from; one per message, used by one thread at a time.
     */
    static final class LineScan {
        /** Where the first line not yet scanned starts; every line before it ends in a newline. */
        private int lineStart;
        /** The code block open after the scanned lines, or null. */
        private Fence open;
        /** Where the inline context of the last block outside code begins. */
        private int blockStart;
    }

    /** Heals {@code markdown}, a prefix of an answer whose end may be incomplete. */
    static Healed heal(CharSequence markdown) {
        return heal(markdown, new LineScan());
    }

    /**
     * Heals {@code markdown}, resuming the line scan at {@code scan} when {@code markdown} reaches that far
     * (it must then start with the text the scan was taken from), and leaving {@code scan} after its
     * last complete line.
     */
    static Healed heal(CharSequence markdown, LineScan scan) {
        int length = markdown.length();
        if (scan.lineStart > length) {
            scan.lineStart = 0; // a shorter text than the last one: scan it from the start
            scan.open = null;
            scan.blockStart = 0;
        }
        Fence open = scan.open;
        int blockStart = scan.blockStart;
        int keep = length;
        int lineStart = scan.lineStart;
        while (lineStart <= length) {
            int newline = indexOf(markdown, '\n', lineStart, length);
            boolean complete = newline >= 0;
            int lineEnd = complete ? newline : length;
            CharSequence line = markdown.subSequence(lineStart, lineEnd);
            if (!complete) {
                if (lineEnd > lineStart && Fence.mayBecomeDelimiter(line)) {
                    keep = lineStart; // "``" or "```pyth" may still become a fence line
                }
                break;
            }
            if (open == null) {
                Fence opening = Fence.opening(line);
                if (opening != null) {
                    open = opening;
                } else if (isBlank(line)) {
                    blockStart = lineEnd + 1;
                } else if (startsBlock(line)) {
                    blockStart = lineStart;
                }
            } else if (open.closedBy(line)) {
                open = null;
                blockStart = lineEnd + 1;
            }
            lineStart = lineEnd + 1;
        }
        scan.lineStart = lineStart; // the loop only ends at the (possibly empty) incomplete last line
        scan.open = open;
        scan.blockStart = blockStart;
        if (open != null) {
            return new Healed(keep, open); // code is shown as it is; nothing inline to heal
        }
        blockStart = Math.min(blockStart, keep);
        keep = Math.min(keep, tableHoldBack(markdown, keep));
        keep = Math.min(keep, danglingInline(markdown, Math.min(blockStart, keep), keep));
        return new Healed(keep, null);
    }

    private static boolean isBlank(CharSequence line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** What an intermediate edit shows, and how much of its input that is ({@code keep} characters). */
    record Shown(String text, int keep) {
    }

    /**
     * Lays out what an intermediate edit shows: the kept text, the cursor, and a closing fence if a code
     * block is open. Empty text if nothing after {@code shownFrom} (a reopened fence header) is left to show.
     */
    static Shown display(CharSequence markdown, int shownFrom, String cursor) {
        return display(markdown, shownFrom, cursor, new LineScan());
    }

    /** {@link #display(CharSequence, int, String)}, resuming the line scan at {@code scan}. */
    static Shown display(CharSequence markdown, int shownFrom, String cursor, LineScan scan) {
        Healed healed = heal(markdown, scan);
        String body = markdown.subSequence(0, healed.keep()).toString().stripTrailing();
        if (body.length() <= shownFrom || body.substring(shownFrom).isBlank()) {
            return new Shown("", 0);
        }
        int lastLine = body.lastIndexOf('\n') + 1;
        // A cursor on a fence line would turn "```" into "```▌", which no longer closes (or opens) a block.
        String beforeCursor = Fence.isDelimiter(body.substring(lastLine)) ? "\n" : "";
        StringBuilder out = new StringBuilder(body.length() + 8).append(body).append(beforeCursor).append(cursor);
        if (healed.fence() != null) {
            out.append('\n').append(healed.fence().delimiter());
        }
        return new Shown(out.toString(), healed.keep());
    }

    /** Lines that start a new block (heading, quote, list item, table row) end the inline context above. */
    private static boolean startsBlock(CharSequence line) {
        String s = line.toString().stripLeading();
        if (s.startsWith("#") || s.startsWith(">") || s.startsWith("|")) {
            return true;
        }
        if (s.length() >= 2 && (s.charAt(0) == '-' || s.charAt(0) == '*' || s.charAt(0) == '+')
                && s.charAt(1) == ' ') {
            return true;
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        return i > 0 && i + 1 < s.length() && (s.charAt(i) == '.' || s.charAt(i) == ')') && s.charAt(i + 1) == ' ';
    }

    /**
     * Where a trailing table must be cut: at its header line while the separator line has not fully
     * arrived. {@code end} if there is no such table.
     */
    private static int tableHoldBack(CharSequence text, int end) {
        // Collect the trailing run of lines that look like table rows.
        List<int[]> rows = new ArrayList<>(); // [start, end, complete?1:0], last line first
        int lineEnd = end;
        boolean complete = end > 0 && text.charAt(end - 1) == '\n';
        if (complete) {
            lineEnd = end - 1;
        }
        while (true) {
            int lineStart = lastIndexOf(text, '\n', lineEnd - 1) + 1;
            CharSequence line = text.subSequence(lineStart, lineEnd);
            if (!line.toString().strip().startsWith("|")) {
                break;
            }
            rows.add(new int[] {lineStart, lineEnd, complete ? 1 : 0});
            complete = true;
            if (lineStart == 0) {
                break;
            }
            lineEnd = lineStart - 1;
        }
        if (rows.isEmpty()) {
            return end;
        }
        int[] header = rows.get(rows.size() - 1);
        if (rows.size() == 1) {
            return header[0];
        }
        int[] separator = rows.get(rows.size() - 2);
        CharSequence separatorLine = text.subSequence(separator[0], separator[1]);
        if (separator[2] == 0 && separatorLine.toString().strip().matches("[|:\\- ]*")) {
            return header[0]; // the separator is still arriving
        }
        return end;
    }

    private record Opener(char marker, int length, int position) {
    }

    /**
     * Where the text must be cut so that no emphasis or inline code opened in {@code [from, end)} is left
     * without its partner: before the first unmatched opener, or {@code end}.
     */
    private static int danglingInline(CharSequence text, int from, int end) {
        List<Opener> open = new ArrayList<>();
        int i = from;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '`') {
                int run = runLength(text, i, end, c);
                int close = closingBackticks(text, i + run, end, run);
                if (close < 0) {
                    return open.isEmpty() ? i : Math.min(open.get(0).position(), i);
                }
                i = close + run;
                continue;
            }
            if (c != '*' && c != '_' && c != '~') {
                i++;
                continue;
            }
            int run = runLength(text, i, end, c);
            if (c == '~' && run != 2) {
                i += run;
                continue;
            }
            char before = i > 0 ? text.charAt(i - 1) : '\n';
            boolean atEnd = i + run >= end;
            char after = atEnd ? ' ' : text.charAt(i + run);
            // At the very end the marker's partner text has not arrived yet: it may still open.
            boolean leftFlanking = atEnd || !Character.isWhitespace(after);
            boolean rightFlanking = !Character.isWhitespace(before);
            boolean canOpen = leftFlanking && (c != '_' || !Character.isLetterOrDigit(before));
            boolean canClose = rightFlanking && !atEnd ? (c != '_' || !Character.isLetterOrDigit(after))
                    : rightFlanking;
            if (c == '_' && Character.isLetterOrDigit(before) && !atEnd && Character.isLetterOrDigit(after)) {
                canOpen = false; // snake_case
                canClose = false;
            }
            int remaining = run;
            if (canClose) {
                while (remaining > 0) {
                    int match = lastOpener(open, c);
                    if (match < 0) {
                        break;
                    }
                    remaining -= open.get(match).length();
                    open.subList(match, open.size()).clear();
                }
                remaining = Math.max(remaining, 0);
            }
            if (remaining > 0 && canOpen) {
                open.add(new Opener(c, remaining, i + run - remaining));
            }
            i += run;
        }
        return open.isEmpty() ? end : open.get(0).position();
    }

    private static int lastOpener(List<Opener> open, char marker) {
        for (int k = open.size() - 1; k >= 0; k--) {
            if (open.get(k).marker() == marker) {
                return k;
            }
        }
        return -1;
    }

    private static int closingBackticks(CharSequence text, int from, int end, int run) {
        int i = from;
        while (i < end) {
            if (text.charAt(i) == '`') {
                int length = runLength(text, i, end, '`');
                if (length == run) {
                    return i;
                }
                i += length;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static int runLength(CharSequence text, int from, int end, char c) {
        int i = from;
        while (i < end && text.charAt(i) == c) {
            i++;
        }
        return i - from;
    }

    static int indexOf(CharSequence text, char c, int from, int end) {
        for (int i = from; i < end; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(CharSequence text, char c, int from) {
        for (int i = from; i >= 0; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
