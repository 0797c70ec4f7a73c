package dev.geminibot.core.model.gemini;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.internal.ModelHttp;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Gemini over its native protocol: {@code POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse}
 * with the key in the {@code x-goog-api-key} header. Thread-safe; streams may run concurrently.
 */
public final class GeminiModel implements ChatModel {
    private final GeminiConfig config;
    private final GeminiRequests requests;
    private final ModelHttp http;

    /**
     * @param config endpoint, model, key, generation settings, timeouts and retries
     * @param shared an OkHttp client to share connections with; timeouts are derived from
     *               {@code config}, so any client will do
     * @throws IllegalArgumentException when {@code config} has no API key
     */
    public GeminiModel(GeminiConfig config, OkHttpClient shared) {
        this.config = Objects.requireNonNull(config, "config");
        if (config.apiKey().isEmpty()) {
            throw new IllegalArgumentException("Gemini needs an API key: set GEMINI_API_KEY");
        }
        this.requests = new GeminiRequests(config);
        this.http = new ModelHttp("Gemini", config, shared);
    }

    @Override
    public ModelStream stream(ChatRequest request) {
        return http.open(requests.request(request), GeminiDecoder::new);
    }

    @Override
    public String name() {
        return config.model();
    }

    @Override
    public String toString() {
        return "GeminiModel[" + config.model() + " at " + requests.url().host() + "]";
    }
}
