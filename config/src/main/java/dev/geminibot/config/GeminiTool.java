package dev.geminibot.config;

import java.util.Locale;
import java.util.Optional;

/** A built-in Gemini tool that {@code gemini.tools} can switch on for every request. */
public enum GeminiTool {
    /** Grounding in Google Search: {@code {"google_search":{}}}. */
    GOOGLE_SEARCH("googleSearch", "google_search"),
    /** Reading the pages a message links: {@code {"url_context":{}}}. */
    URL_CONTEXT("urlContext", "url_context"),
    /** Running Python the model writes: {@code {"code_execution":{}}}. */
    CODE_EXECUTION("codeExecution", "code_execution");

    private final String configName;
    private final String wireName;

    GeminiTool(String configName, String wireName) {
        this.configName = configName;
        this.wireName = wireName;
    }

    /** The name in {@code gemini.tools}, e.g. {@code googleSearch}. */
    public String configName() {
        return configName;
    }

    /** The field of Gemini's {@code tools[]} entry, e.g. {@code google_search}. */
    public String wireName() {
        return wireName;
    }

    /** Accepts the config name in any case, and the wire name ({@code google_search}) people copy from the API docs. */
    static Optional<GeminiTool> byName(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        for (GeminiTool tool : values()) {
            if (tool.configName.toLowerCase(Locale.ROOT).equals(s) || tool.wireName.equals(s)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return configName;
    }
}
