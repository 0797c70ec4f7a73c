package dev.geminibot.app;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The terminal as a chat platform. In a terminal the message being written is redrawn in place on every
 * edit, as Discord or Slack would show it; into a pipe each message is written once, when it is final,
 * so the output reads in order. Messages are capped at Discord's 2000 characters to show splitting.
 */
final class TerminalSink implements MessageSink {
    static final int MAX_LENGTH = 2000;
    private static final String CLEAR_TO_END = "\u001b[J";
    private static final String UP = "\u001b[A";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final Terminal terminal;
    private int nextId;
    private String active;
    private int activeRows;

    TerminalSink(PrintWriter out, Terminal terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized CompletableFuture<MessageRef> post(String text, boolean live) {
        MessageRef ref = new MessageRef(Integer.toString(++nextId));
        if (terminal.interactive()) {
            if (active != null) {
                // A platform would show a new message here; mark the split so it can be seen.
                out.print("\n" + DIM + "── next message ──" + RESET + "\n");
            }
            active = ref.id();
            activeRows = 0;
            draw(text);
        } else if (!live) {
            out.print(text + "\n\n");
        }
        out.flush();
        return CompletableFuture.completedFuture(ref);
    }

    @Override
    public synchronized CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        if (terminal.interactive()) {
            if (!message.id().equals(active)) {
                return CompletableFuture.failedFuture(
                        new PlatformException(PlatformException.Kind.GONE, "message " + message.id() + " scrolled away"));
            }
            draw(text);
        } else if (!live) {
            out.print(text + "\n\n");
        }
        out.flush();
        return CompletableFuture.completedFuture(null);
    }

    /** Ends the answer's block so the next prompt starts on a fresh line. */
    synchronized void endAnswer() {
        if (terminal.interactive() && active != null) {
            out.print("\n\n");
            out.flush();
        }
        active = null;
        activeRows = 0;
    }

    private void draw(String text) {
        StringBuilder frame = new StringBuilder("\r");
        for (int i = 1; i < activeRows; i++) {
            frame.append(UP);
        }
        frame.append(CLEAR_TO_END).append(text);
        out.print(frame);
        activeRows = rows(text, terminal.columns());
    }

    /** Screen rows {@code text} occupies when wrapped at {@code columns} (wide characters count twice). */
    static int rows(String text, int columns) {
        int rows = 0;
        for (String line : text.split("\n", -1)) {
            int width = line.codePoints().map(TerminalSink::cellWidth).sum();
            rows += Math.max(1, (width + columns - 1) / columns);
        }
        return rows;
    }

    private static int cellWidth(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        boolean wide = script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                || codePoint >= 0x1F300;
        return wide ? 2 : 1;
    }

    @Override
    public int maxLength() {
        return MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofMillis(150);
    }
}
