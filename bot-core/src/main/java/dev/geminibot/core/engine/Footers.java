package dev.geminibot.core.engine;

import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.ModelException;

/** The one line under an answer that says why it ended early. Null means the answer ended normally. */
final class Footers {
    static final String STOPPED = "⏹ stopped";
    static final String SHUTDOWN = "⚠ Interrupted: the bot is restarting. Ask again in a minute.";

    private Footers() {
    }

    static String of(FinishReason reason, String detail) {
        return switch (reason) {
            case STOP -> null;
            case MAX_TOKENS -> "✂ The answer reached its maximum length.";
            case SAFETY -> "⚠ Gemini stopped this answer: blocked by its safety filters.";
            case RECITATION -> "⚠ Gemini stopped this answer: it was reciting a source too closely.";
            case PROHIBITED_CONTENT, BLOCKLIST, SPII -> "⚠ Gemini stopped this answer: blocked content ("
                    + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ").";
            case PROMPT_BLOCKED -> "⚠ Gemini refused this question"
                    + (detail == null || detail.isBlank() ? "." : " (blocked: " + detail.toLowerCase(java.util.Locale.ROOT) + ").");
            case OTHER -> "⚠ Gemini stopped this answer unexpectedly"
                    + (detail == null || detail.isBlank() ? "." : " (" + detail + ").");
        };
    }

    /** The Sources line for these sources, or null. */
    static String sources(java.util.List<dev.geminibot.core.model.Source> sources) {
        return dev.geminibot.core.media.SourcesLine.of(sources);
    }

    /** The non-null lines, one under the other; null when there are none. */
    static String join(String... lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line != null && !line.isBlank()) {
                out.append(out.isEmpty() ? "" : "\n").append(line);
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    static String of(ModelException failure) {
        if (failure.kind() == ModelException.Kind.CANCELLED) {
            return STOPPED;
        }
        String message = failure.userMessage();
        return "⚠ " + Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".";
    }
}
