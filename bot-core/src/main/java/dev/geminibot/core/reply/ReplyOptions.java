package dev.geminibot.core.reply;

import dev.geminibot.config.StreamingConfig;
import dev.geminibot.config.StreamingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StreamingReply} behaves. Built from the configuration in one place, {@link #of}.
 *
 * @param editInterval      least time between the starts of two intermediate calls of one answer; null
 *                          means the sink's {@link MessageSink#defaultEditInterval()}
 * @param cursor            appended to the text while the answer is being written, e.g. {@code "▌"}; may be empty
 * @param thinkingText      shown by {@link StreamingReply#thinking()} before the first word, e.g. {@code "Thinking…"};
 *                          null shows the platform's typing signal instead
 * @param finalRetryBudget  how long one final call (the last edit of a part) keeps retrying through 429s and
 *                          transient failures before it is given up
 * @param finalMaxAttempts  how many times one final call is tried at most (at least 1)
 * @param mode              {@link Mode#EDIT}: the message grows; {@link Mode#FINAL}: typing, then one post
 */
public record ReplyOptions(Duration editInterval, String cursor, String thinkingText, Duration finalRetryBudget,
                           int finalMaxAttempts, Mode mode) {

    /** Key {@code streaming.mode}. */
    public enum Mode {
        /** One message grows while the model writes (the default). */
        EDIT,
        /** The typing signal while the model writes, then each message posted once with its whole text. */
        FINAL
    }

    /** A minute: long enough for Slack's per-minute {@code chat.update} window to roll over. */
    public static final Duration FINAL_RETRY_BUDGET = Duration.ofSeconds(60);
    /** Attempts of one final call: with backoff up to 15 s, about the budget above. */
    public static final int FINAL_MAX_ATTEMPTS = 10;

    public ReplyOptions {
        if (editInterval != null && editInterval.isNegative()) {
            throw new IllegalArgumentException("editInterval must not be negative: " + editInterval);
        }
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(finalRetryBudget, "finalRetryBudget");
        Objects.requireNonNull(mode, "mode");
        if (finalRetryBudget.isNegative()) {
            throw new IllegalArgumentException("finalRetryBudget must not be negative: " + finalRetryBudget);
        }
        if (finalMaxAttempts < 1) {
            throw new IllegalArgumentException("finalMaxAttempts must be at least 1: " + finalMaxAttempts);
        }
    }

    /** Edit mode. */
    public ReplyOptions(Duration editInterval, String cursor, String thinkingText, Duration finalRetryBudget,
                        int finalMaxAttempts) {
        this(editInterval, cursor, thinkingText, finalRetryBudget, finalMaxAttempts, Mode.EDIT);
    }

    /** The reply settings of {@code streaming.*}: the one place they are read from the configuration. */
    public static ReplyOptions of(StreamingConfig streaming, Duration platformInterval) {
        return new ReplyOptions(streaming.editIntervalOr(platformInterval), streaming.cursor(),
                streaming.thinkingText(), FINAL_RETRY_BUDGET, FINAL_MAX_ATTEMPTS,
                streaming.mode() == StreamingMode.FINAL ? Mode.FINAL : Mode.EDIT);
    }

    /** Cursor {@code ▌}, placeholder {@code Thinking…}, the final retries above, edit mode. */
    public static ReplyOptions defaults(Duration editInterval) {
        return new ReplyOptions(editInterval, "▌", "Thinking…", FINAL_RETRY_BUDGET, FINAL_MAX_ATTEMPTS, Mode.EDIT);
    }

    public ReplyOptions withEditInterval(Duration interval) {
        return new ReplyOptions(interval, cursor, thinkingText, finalRetryBudget, finalMaxAttempts, mode);
    }

    public ReplyOptions withThinkingText(String text) {
        return new ReplyOptions(editInterval, cursor, text, finalRetryBudget, finalMaxAttempts, mode);
    }

    public ReplyOptions withMode(Mode newMode) {
        return new ReplyOptions(editInterval, cursor, thinkingText, finalRetryBudget, finalMaxAttempts, newMode);
    }
}
