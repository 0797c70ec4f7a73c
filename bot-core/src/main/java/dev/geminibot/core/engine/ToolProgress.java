package dev.geminibot.core.engine;

import dev.geminibot.core.model.ToolActivity;

/**
 * What the placeholder says while the model uses a tool before its first word. Public so a sink that shows
 * a status line instead of a message (Slack's assistant threads) can tell these texts from answer text.
 */
public final class ToolProgress {
    private ToolProgress() {
    }

    /** Whether {@code text} is one of the tool statuses (not answer text). */
    public static boolean isStatus(String text) {
        for (ToolActivity.Kind kind : ToolActivity.Kind.values()) {
            if (of(kind).equals(text)) {
                return true;
            }
        }
        return false;
    }

    static String of(ToolActivity.Kind kind) {
        return switch (kind) {
            case SEARCHING -> "🔎 Searching…";
            case RUNNING_CODE -> "⚙ Running code…";
            case READING_PAGES -> "🔗 Reading the linked pages…";
        };
    }
}
