package dev.geminibot.core.reply;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses where a message that outgrew the platform's limit ends. Pure and thread-safe.
 *
 * <p>A part runs from {@code from} to the chosen end of the answer's Markdown. It starts with the
 * reopened fence of the code block it continues (if any) and ends with a closing fence if it stops
 * inside one, and its rendered form fits {@code maxLength}. The end is the best boundary that fits:
 * outside a code block if any fits there, else inside one; within that, paragraph &gt; line &gt; sentence
 * &gt; word &gt; hard cut, preferring a boundary that fills at least half the message over a better kind
 * that leaves it mostly empty. A hard cut never splits a surrogate pair or detaches a combining mark,
 * ZWJ or variation selector from its character. The whitespace at a boundary stays with the earlier
 * part, so the next message starts with text.
 */
final class MessageSplitter {

    private enum Rank { PARAGRAPH, LINE, SENTENCE, WORD }

    private record Candidate(int position, Rank rank, boolean inCode) {
    }

    private final TextRenderer renderer;
    private final int maxLength;

    MessageSplitter(TextRenderer renderer, int maxLength) {
        this.renderer = renderer;
        this.maxLength = maxLength;
    }

    int maxLength() {
        return maxLength;
    }

    /** The rendered length of {@code markdown}. */
    int measure(String markdown) {
        return renderer.render(markdown).length();
    }

    /**
     * The finished text of the part {@code [from, end)}: the reopened fence, the text, and (if
     * {@code close}) a closing fence when {@code end} is inside a code block. The last part of an answer
     * is not closed: its text stays exactly as the model wrote it.
     */
    static String partText(CharSequence text, int from, int end, Fence openAtFrom, boolean close) {
        Fence openAtEnd = Fence.scan(text, from, end, openAtFrom);
        CharSequence body = text.subSequence(from, end);
        StringBuilder out = new StringBuilder(body.length() + 16);
        if (openAtFrom != null) {
            out.append(openAtFrom.reopen());
        }
        out.append(body);
        if (close && openAtEnd != null) {
            out.append(openAtEnd.closeAfter(out));
        }
        return out.toString();
    }

    /** True if the part {@code [from, end)} fits in one message. */
    boolean fits(CharSequence text, int from, int end, Fence openAtFrom) {
        return measure(partText(text, from, end, openAtFrom, true)) <= maxLength;
    }

    /**
     * Where the part that starts at {@code from} must end, given the text so far up to {@code available}
     * (which must not fit as one part). Always greater than {@code from}: a limit too small for even one
     * character still makes progress.
     */
    int split(CharSequence text, int from, int available, Fence openAtFrom) {
        int fitEnd = longestFit(text, from, available, openAtFrom);
        List<Candidate> candidates = candidates(text, from, fitEnd, openAtFrom);
        int half = from + (fitEnd - from) / 2;
        for (boolean inCode : new boolean[] {false, true}) {
            for (int minimum : new int[] {half, from + 1}) {
                for (Rank rank : Rank.values()) {
                    for (int k = candidates.size() - 1; k >= 0; k--) {
                        Candidate c = candidates.get(k);
                        if (c.inCode() == inCode && c.rank() == rank && c.position() >= minimum
                                && fits(text, from, c.position(), openAtFrom)) {
                            return c.position();
                        }
                    }
                }
            }
        }
        return hardCut(text, from, fitEnd, openAtFrom);
    }

    /**
     * The largest end whose part fits, assuming a closing fence is needed (so every position up to it
     * fits whether or not it is inside code). At least {@code from + 1} code point.
     */
    private int longestFit(CharSequence text, int from, int available, Fence openAtFrom) {
        String delimiter = longestDelimiter(text, from, available, openAtFrom);
        String closeBudget = delimiter.isEmpty() ? "" : "\n" + delimiter;
        String reopen = openAtFrom == null ? "" : openAtFrom.reopen();
        int low = from;
        int high = available;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            String candidate = reopen + text.subSequence(from, mid) + closeBudget;
            if (measure(candidate) <= maxLength) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private static String longestDelimiter(CharSequence text, int from, int to, Fence open) {
        String longest = open == null ? "" : open.delimiter();
        int lineStart = Fence.lineStart(text, from);
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                CharSequence line = text.subSequence(lineStart, i);
                open = Fence.next(open, line);
                if (open != null && open.delimiter().length() > longest.length()) {
                    longest = open.delimiter();
                }
                lineStart = i + 1;
            }
        }
        return longest;
    }

    /** Boundaries in {@code (from, to]}, in text order, each tagged with its kind and whether it is in code. */
    private static List<Candidate> candidates(CharSequence text, int from, int to, Fence open) {
        List<Candidate> out = new ArrayList<>();
        int lineStart = Fence.lineStart(text, from);
        boolean previousLineBlank = false;
        boolean lineIsDelimiter = isDelimiterLine(text, lineStart, open);
        for (int p = from + 1; p <= to; p++) {
            char before = text.charAt(p - 1);
            if (before == '\n') {
                CharSequence line = text.subSequence(lineStart, p - 1);
                boolean wasOpen = open != null;
                open = Fence.next(open, line);
                boolean justOpened = !wasOpen && open != null;
                previousLineBlank = line.toString().isBlank();
                lineStart = p;
                lineIsDelimiter = isDelimiterLine(text, lineStart, open);
                // An empty code block (right after its opening line, or right before its closing line)
                // helps nobody: skip those two positions.
                if (open != null && (justOpened || lineIsDelimiter)) {
                    continue;
                }
                out.add(new Candidate(p, previousLineBlank ? Rank.PARAGRAPH : Rank.LINE, open != null));
                continue;
            }
            if (lineIsDelimiter) {
                continue; // never cut a fence line in two
            }
            if (Character.isLowSurrogate(text.charAt(p - 1)) && p - 2 >= from
                    && Character.isHighSurrogate(text.charAt(p - 2))) {
                int cp = Character.codePointAt(text, p - 2);
                if (MarkdownHealer.unspacedScript(cp) && cleanCut(text, p)) {
                    out.add(new Candidate(p, Rank.WORD, open != null));
                }
                continue;
            }
            if (Character.isHighSurrogate(before)) {
                continue;
            }
            boolean atText = p == text.length() || !Character.isWhitespace(text.charAt(p));
            if (Character.isWhitespace(before) && atText) {
                out.add(new Candidate(p, sentenceEndsBefore(text, from, p) ? Rank.SENTENCE : Rank.WORD,
                        open != null));
            } else if (MarkdownHealer.unspacedScript(before) && cleanCut(text, p)) {
                boolean fullStop = before == '。' || before == '！' || before == '？';
                out.add(new Candidate(p, fullStop ? Rank.SENTENCE : Rank.WORD, open != null));
            }
        }
        return out;
    }

    /** True if the line starting at {@code lineStart} is a fence delimiter given the state before it. */
    private static boolean isDelimiterLine(CharSequence text, int lineStart, Fence open) {
        int end = MarkdownHealer.indexOf(text, '\n', lineStart, text.length());
        CharSequence line = text.subSequence(lineStart, end < 0 ? text.length() : end);
        if (end < 0) {
            return Fence.mayBecomeDelimiter(line);
        }
        return open == null ? Fence.opening(line) != null : open.closedBy(line);
    }

    /** True if the whitespace run that ends at {@code p} follows a sentence end (". ", "?\" "). */
    private static boolean sentenceEndsBefore(CharSequence text, int from, int p) {
        int i = p;
        while (i > from && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        while (i > from && "\"')]”’*_".indexOf(text.charAt(i - 1)) >= 0) {
            i--;
        }
        return i > from && ".!?…".indexOf(text.charAt(i - 1)) >= 0;
    }

    /** A hard cut at the last position up to {@code fitEnd} that does not tear a character apart. */
    private int hardCut(CharSequence text, int from, int fitEnd, Fence openAtFrom) {
        int p = fitEnd;
        while (p > from && !(cleanCut(text, p) && fits(text, from, p, openAtFrom))) {
            p--;
        }
        if (p > from) {
            return p;
        }
        // Not even one character fits: take one code point anyway, so the answer keeps moving.
        return from + Character.charCount(Character.codePointAt(text, from));
    }

    /** True if cutting before {@code p} keeps every character (and its marks and joiners) whole. */
    static boolean cleanCut(CharSequence text, int p) {
        if (p <= 0 || p >= text.length()) {
            return true;
        }
        char before = text.charAt(p - 1);
        char after = text.charAt(p);
        if (Character.isHighSurrogate(before) && Character.isLowSurrogate(after)) {
            return false;
        }
        if (before == '\u200D') {
            return false; // zero-width joiner: the emoji sequence continues
        }
        int next = Character.codePointAt(text, p);
        int type = Character.getType(next);
        return !(next == '\u200D' || (next >= 0xFE00 && next <= 0xFE0F) || (next >= 0x1F3FB && next <= 0x1F3FF)
                || (next >= 0xE0020 && next <= 0xE007F) // tag sequences (flags of regions)
                || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK);
    }
}
