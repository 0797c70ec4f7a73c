package dev.geminibot.app;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;

/** Builds the model the configuration asks for. */
final class Models {
    static final String MISSING_KEY = """
            GEMINI_API_KEY is not set. Create a key at https://aistudio.google.com/apikey, then:
              export GEMINI_API_KEY=your-key
            (GEMINI_BASE_URL and GEMINI_MODEL choose another endpoint or model.)""";

    private Models() {
    }

    /** The Gemini (or OpenAI-compatible) model; the configuration must hold a key. */
    static ChatModel gemini(GeminiConfig config) {
        return ChatModels.fromConfig(config);
    }
}
