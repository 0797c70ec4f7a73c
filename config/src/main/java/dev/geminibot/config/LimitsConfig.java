package dev.geminibot.config;

/**
 * Guards against overload and abuse.
 *
 * @param maxConcurrentAnswers    answers streaming at once across the whole bot
 * @param userRequestsPerMinute   requests one user may make per minute
 * @param maxPromptChars          longest prompt accepted
 * @param maxQueuedPerConversation messages that may wait behind the answer being written in one conversation
 */
public record LimitsConfig(int maxConcurrentAnswers, int userRequestsPerMinute, int maxPromptChars,
                           int maxQueuedPerConversation) {

    public static LimitsConfig defaults() {
        return new LimitsConfig(64, 12, 8_000, 5);
    }
}
