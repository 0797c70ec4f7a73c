package dev.geminibot.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How an answer's message grows.
 *
 * @param editInterval minimum time between two edits of one message; empty means the platform's
 *                     default (Discord 1 s, Slack 500 ms)
 * @param cursor       shown at the end of the text while the answer is being written
 * @param thinkingText shown before the first word while the model thinks
 * @param mode         {@code edit} (the message grows) or {@code final} (typing, then one post of the whole answer)
 */
public record StreamingConfig(Optional<Duration> editInterval, String cursor, String thinkingText, StreamingMode mode) {

    public StreamingConfig {
        mode = mode == null ? StreamingMode.EDIT : mode;
    }

    /** Edit mode. */
    public StreamingConfig(Optional<Duration> editInterval, String cursor, String thinkingText) {
        this(editInterval, cursor, thinkingText, StreamingMode.EDIT);
    }

    public static StreamingConfig defaults() {
        return new StreamingConfig(Optional.empty(), "▌", "Thinking…", StreamingMode.EDIT);
    }

    /** The configured interval, or {@code platformDefault} when none is configured. */
    public Duration editIntervalOr(Duration platformDefault) {
        return editInterval.orElse(platformDefault);
    }
}
