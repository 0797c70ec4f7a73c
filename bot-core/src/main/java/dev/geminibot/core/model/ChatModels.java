package dev.geminibot.core.model;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.gemini.GeminiModel;
import okhttp3.OkHttpClient;

/** Makes the {@link ChatModel} that the configuration describes. */
public final class ChatModels {
    private ChatModels() {
    }

    /**
     * The model for {@code config.wireFormat()}, sharing {@code shared}'s connection pool and threads
     * (its timeouts are replaced by the configured ones). Sends nothing yet.
     *
     * @throws IllegalArgumentException when the native Gemini format is chosen without an API key
     */
    public static ChatModel fromConfig(GeminiConfig config, OkHttpClient shared) {
        return new GeminiModel(config, shared);
    }

    /** As {@link #fromConfig(GeminiConfig, OkHttpClient)}, with a client of its own. */
    public static ChatModel fromConfig(GeminiConfig config) {
        return fromConfig(config, new OkHttpClient());
    }
}
