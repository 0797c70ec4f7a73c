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
 */
public record StreamingConfig(Optional<Duration> editInterval, String cursor, String thinkingText) {

    public static StreamingConfig defaults() {
        return new StreamingConfig(Optional.empty(), "▌", "Thinking…");
    }

    /** The configured interval, or {@code platformDefault} when none is configured. */
    public Duration editIntervalOr(Duration platformDefault) {
        return editInterval.orElse(platformDefault);
    }
}
