package dev.geminibot.core.model.gemini;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.internal.ModelHttp;
import dev.geminibot.core.model.internal.WireProtocol;
import dev.geminibot.core.model.openai.OpenAiRequests;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gemini over HTTP, in the wire format the configuration names: the native protocol
 * ({@code POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse}, key in
 * {@code x-goog-api-key}) or OpenAI-compatible chat completions (Gemini's compatibility endpoint, or any
 * server that speaks them: {@code {baseUrl}/chat/completions} when the base URL ends in an API root such
 * as {@code /v1}, else {@code {baseUrl}/v1beta/openai/chat/completions}; key as a bearer token, optional;
 * no thinking settings, no {@code gemini.tools}, which a warning says at start-up, and no attached files,
 * whose mention the turn keeps).
 * The two differ only in their {@link WireProtocol}; transport, retries and failures are the same.
 * Thread-safe; streams may run concurrently.
 */
public final class GeminiModel implements ChatModel {
    private static final Logger LOG = LoggerFactory.getLogger(GeminiModel.class);
    private final GeminiConfig config;
    private final WireProtocol protocol;
    private final ModelHttp http;

    /**
     * @param config endpoint, wire format, model, key, generation settings, timeouts and retries
     * @param shared an OkHttp client to share connections with; timeouts are derived from
     *               {@code config}, so any client will do
     * @throws IllegalArgumentException when the native format has no API key
     */
    public GeminiModel(GeminiConfig config, OkHttpClient shared) {
        this.config = Objects.requireNonNull(config, "config");
        this.protocol = protocolFor(config);
        this.http = new ModelHttp("Gemini", config, shared);
    }

    private static WireProtocol protocolFor(GeminiConfig config) {
        if (config.wireFormat() == WireFormat.OPENAI) {
            if (!config.tools().isEmpty()) {
                // Said once at start-up: an operator who configured tools would otherwise wonder why no Sources appear.
                LOG.warn("gemini.tools {} is ignored: the OpenAI-compatible wire format (gemini.wireFormat: openai) "
                        + "cannot carry Gemini's built-in tools; use gemini.wireFormat: gemini for Google Search, "
                        + "URL context and code execution", config.tools());
            }
            return new OpenAiRequests(config);
        }
        if (config.apiKey().isEmpty()) {
            throw new IllegalArgumentException("Gemini needs an API key: set GEMINI_API_KEY");
        }
        return new GeminiRequests(config);
    }

    @Override
    public ModelStream stream(ChatRequest request) {
        return http.open(protocol.request(request), protocol::newDecoder);
    }

    @Override
    public String name() {
        return config.model();
    }

    @Override
    public String toString() {
        return "GeminiModel[" + config.model() + " at " + protocol.url().host() + ", " + config.wireFormat() + "]";
    }
}
