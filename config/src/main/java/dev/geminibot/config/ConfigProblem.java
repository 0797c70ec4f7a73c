package dev.geminibot.config;

import java.util.Objects;

/**
 * One thing wrong with the configuration.
 *
 * @param where   what to fix: a key ({@code streaming.editInterval}), an environment variable
 *                ({@code GEMINI_BOT_STREAMING_EDIT_INTERVAL}) or the file itself
 * @param message what is wrong and, where it helps, how to write it instead; never contains a secret
 */
public record ConfigProblem(String where, String message) {
    public ConfigProblem {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
