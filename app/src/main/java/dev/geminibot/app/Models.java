package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import java.io.PrintWriter;
import java.util.function.Supplier;

/** Builds the model the configuration asks for: the one choice {@code run}, {@code chat} and {@code ask} share. */
final class Models {
    static final String MISSING_KEY = """
            GEMINI_API_KEY is not set. Create a key at https://aistudio.google.com/apikey, then:
              export GEMINI_API_KEY=your-key
            (GEMINI_BASE_URL and GEMINI_MODEL choose another endpoint or model.)""";

    /** What a command does without a key. */
    enum WithoutKey {
        /** The terminal chat: say so and use the offline demo model. */
        USE_DEMO,
        /** {@code ask} and {@code run}: the key is required. */
        REFUSE
    }

    private Models() {
    }

    /** The Gemini (or OpenAI-compatible) model; the configuration must hold a key. */
    static ChatModel gemini(GeminiConfig config) {
        return ChatModels.fromConfig(config);
    }

    /**
     * The demo model when asked for ({@code --demo}, or no key with {@link WithoutKey#USE_DEMO}), else Gemini.
     * Returns null after printing {@link #MISSING_KEY} and {@code hint} when there is no key and none may be
     * done without.
     *
     * @param demo the demo model, or null for a command that has none ({@code run})
     */
    static ChatModel choose(BotConfig settings, Supplier<? extends ChatModel> demo, boolean demoAsked,
                            WithoutKey withoutKey, String hint, PrintWriter err) {
        boolean noKey = settings.gemini().apiKey().isEmpty();
        if (demo != null && (demoAsked || (noKey && withoutKey == WithoutKey.USE_DEMO))) {
            if (withoutKey == WithoutKey.USE_DEMO) {
                err.println("Using the built-in offline demo model" + (demoAsked ? "." : " (GEMINI_API_KEY is not set)."));
            }
            return demo.get();
        }
        if (noKey) {
            err.println(MISSING_KEY);
            if (hint != null) {
                err.println(hint);
            }
            err.flush();
            return null;
        }
        return gemini(settings.gemini());
    }
}
