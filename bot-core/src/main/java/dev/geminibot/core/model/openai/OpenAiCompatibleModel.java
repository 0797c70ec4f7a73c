package dev.geminibot.core.model.openai;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.internal.ModelHttp;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Any server that speaks OpenAI's streaming chat completions: Gemini's compatibility endpoint, local
 * model servers, proxies. The endpoint is {@code {baseUrl}/chat/completions} when the base URL already
 * ends in an API root such as {@code /v1}, else {@code {baseUrl}/v1beta/openai/chat/completions}.
 * The thinking settings of {@link GeminiConfig} are not sent (there is no portable field for them), nor are
 * {@code gemini.tools} (a warning says so at start-up) or attached files (the turn keeps their mention).
 * Thread-safe; streams may run concurrently.
 */
public final class OpenAiCompatibleModel implements ChatModel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenAiCompatibleModel.class);
    private final GeminiConfig config;
    private final OpenAiRequests requests;
    private final ModelHttp http;

    /**
     * @param config endpoint, model, optional key, generation settings, timeouts and retries
     * @param shared an OkHttp client to share connections with; timeouts are derived from {@code config}
     */
    public OpenAiCompatibleModel(GeminiConfig config, OkHttpClient shared) {
        this.config = Objects.requireNonNull(config, "config");
        this.requests = new OpenAiRequests(config);
        this.http = new ModelHttp("Gemini", config, shared);
        if (!config.tools().isEmpty()) {
            // Said once at start-up: an operator who configured tools would otherwise wonder why no Sources appear.
            LOG.warn("gemini.tools {} is ignored: the OpenAI-compatible wire format (gemini.wireFormat: openai) cannot "
                    + "carry Gemini's built-in tools; use gemini.wireFormat: gemini for Google Search, URL context "
                    + "and code execution", config.tools());
        }
    }

    @Override
    public ModelStream stream(ChatRequest request) {
        return http.open(requests.request(request), OpenAiDecoder::new);
    }

    @Override
    public String name() {
        return config.model();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleModel[" + config.model() + " at " + requests.url().host() + "]";
    }
}
