package dev.geminibot.core.reply;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StreamingReply} behaves.
 *
 * @param editInterval      least time between the starts of two intermediate calls of one answer; null
 *                          means the sink's {@link MessageSink#defaultEditInterval()}
 * @param cursor            appended to the text while the answer is being written, e.g. {@code "▌"}; may be empty
 * @param thinkingText      shown by {@link StreamingReply#thinking()} before the first word, e.g. {@code "Thinking…"};
 *                          null shows the platform's typing signal instead
 * @param finalRetryBudget  how long one final call (the last edit of a part) keeps retrying through 429s and
 *                          transient failures before it is given up
 * @param finalMaxAttempts  how many times one final call is tried at most (at least 1)
 */
public record ReplyOptions(Duration editInterval, String cursor, String thinkingText, Duration finalRetryBudget,
                           int finalMaxAttempts) {

    public ReplyOptions {
        if (editInterval != null && editInterval.isNegative()) {
            throw new IllegalArgumentException("editInterval must not be negative: " + editInterval);
        }
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(finalRetryBudget, "finalRetryBudget");
        if (finalRetryBudget.isNegative()) {
            throw new IllegalArgumentException("finalRetryBudget must not be negative: " + finalRetryBudget);
        }
        if (finalMaxAttempts < 1) {
            throw new IllegalArgumentException("finalMaxAttempts must be at least 1: " + finalMaxAttempts);
        }
    }

    /**
     * Cursor {@code ▌}, placeholder {@code Thinking…}, and a final edit that keeps trying for a minute
     * (long enough for Slack's per-minute {@code chat.update} window) or 8 attempts.
     */
    public static ReplyOptions defaults(Duration editInterval) {
        return new ReplyOptions(editInterval, "▌", "Thinking…", Duration.ofSeconds(60), 8);
    }

    public ReplyOptions withEditInterval(Duration interval) {
        return new ReplyOptions(interval, cursor, thinkingText, finalRetryBudget, finalMaxAttempts);
    }

    public ReplyOptions withThinkingText(String text) {
        return new ReplyOptions(editInterval, cursor, text, finalRetryBudget, finalMaxAttempts);
    }
}
