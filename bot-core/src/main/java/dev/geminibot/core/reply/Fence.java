package dev.geminibot.core.reply;

/**
 * An open fenced code block: its delimiter ({@code ```} or {@code ~~~}, possibly longer) and its info
 * string (the language). Knows how to recognise the lines that open and close it.
 */
record Fence(String delimiter, String info) {

    /** The opening fence this line starts, or null. The line has no line terminator. */
    static Fence opening(CharSequence line) {
        int i = indent(line);
        if (i >= line.length()) {
            return null;
        }
        char c = line.charAt(i);
        if (c != '`' && c != '~') {
            return null;
        }
        int j = i;
        while (j < line.length() && line.charAt(j) == c) {
            j++;
        }
        if (j - i < 3) {
            return null;
        }
        String info = line.subSequence(j, line.length()).toString().strip();
        // CommonMark: a backtick fence's info string cannot contain a backtick (``` `x` ``` is inline code).
        if (c == '`' && info.indexOf('`') >= 0) {
            return null;
        }
        return new Fence(line.subSequence(i, j).toString(), info);
    }

    /** True if the line closes this fence: the same character, at least as many, nothing else. */
    boolean closedBy(CharSequence line) {
        int i = indent(line);
        char c = delimiter.charAt(0);
        int j = i;
        while (j < line.length() && line.charAt(j) == c) {
            j++;
        }
        if (j - i < delimiter.length()) {
            return false;
        }
        for (int k = j; k < line.length(); k++) {
            if (!Character.isWhitespace(line.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** The line that reopens this block at the start of the next part, with its language. */
    String reopen() {
        return delimiter + info + "\n";
    }

    /** What closes this block after {@code text}: the delimiter on a line of its own. */
    String closeAfter(CharSequence text) {
        boolean atLineStart = text.isEmpty() || text.charAt(text.length() - 1) == '\n';
        return atLineStart ? delimiter : "\n" + delimiter;
    }

    /** True if the line, possibly still incomplete, looks like the start of a fence delimiter. */
    static boolean mayBecomeDelimiter(CharSequence line) {
        int i = indent(line);
        if (i >= line.length()) {
            return false;
        }
        char c = line.charAt(i);
        if (c != '`' && c != '~') {
            return false;
        }
        int j = i;
        while (j < line.length() && line.charAt(j) == c) {
            j++;
        }
        return j - i >= 3 || j == line.length();
    }

    /** True if the complete line is a fence delimiter (opening or closing). */
    static boolean isDelimiter(CharSequence line) {
        return opening(line) != null;
    }

    private static int indent(CharSequence line) {
        int i = 0;
        // Models indent fences inside list items; accept any indentation, as chat renderers do.
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * Follows fences through {@code text[from, to)}, starting in {@code open} (null: outside code), the
     * state in force at {@code from}. Only complete lines count, read from their real start even when
     * {@code from} is in the middle of one; the result is the state in force at {@code to}.
     */
    static Fence scan(CharSequence text, int from, int to, Fence open) {
        int lineStart = lineStart(text, from);
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                CharSequence line = text.subSequence(lineStart, i);
                open = next(open, line);
                lineStart = i + 1;
            }
        }
        return open;
    }

    /** The fence open at the end of {@code text}, counting a last line without line break as complete. */
    static Fence scanToEnd(CharSequence text) {
        Fence open = scan(text, 0, text.length(), null);
        int lastLine = lineStart(text, text.length());
        if (lastLine < text.length()) {
            open = next(open, text.subSequence(lastLine, text.length()));
        }
        return open;
    }

    /** The start of the line that holds position {@code p}. */
    static int lineStart(CharSequence text, int p) {
        int i = p;
        while (i > 0 && text.charAt(i - 1) != '\n') {
            i--;
        }
        return i;
    }

    /** The fence state after a complete line. */
    static Fence next(Fence open, CharSequence line) {
        if (open == null) {
            return opening(line);
        }
        return open.closedBy(line) ? null : open;
    }
}
