package dev.geminibot.core.engine;

import dev.geminibot.core.model.ToolActivity;

/** What the placeholder says while the model uses a tool before its first word. */
final class ToolProgress {
    private ToolProgress() {
    }

    static String of(ToolActivity.Kind kind) {
        return switch (kind) {
            case SEARCHING -> "🔎 Searching…";
            case RUNNING_CODE -> "⚙ Running code…";
            case READING_PAGES -> "🔗 Reading the linked pages…";
        };
    }
}
