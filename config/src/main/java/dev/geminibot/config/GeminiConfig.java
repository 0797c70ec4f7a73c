package dev.geminibot.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The model endpoint and how to talk to it.
 *
 * @param apiKey          {@code GEMINI_API_KEY}; empty means no key (the terminal chat then uses the demo model)
 * @param baseUrl         endpoint root, e.g. {@code https://generativelanguage.googleapis.com}
 * @param model           model name, e.g. {@code gemini-2.5-flash}
 * @param wireFormat      Gemini's native protocol or the OpenAI-compatible one
 * @param temperature     sampling temperature; empty leaves the model's default
 * @param maxOutputTokens cap on answer tokens; empty leaves the model's default
 * @param thinkingBudget  thinking tokens (0 off, -1 dynamic); empty leaves the model's default
 * @param includeThoughts ask for thought summaries (shown as a "Thinking…" state, never as answer text)
 * @param systemPrompt    instruction sent with every request; may be empty
 * @param connectTimeout  TCP and TLS connect timeout
 * @param idleTimeout     longest silence allowed between two stream events (models think quietly)
 * @param totalTimeout    longest one answer may take from request to last event
 * @param maxRetries      retries before the first event (never after text was shown)
 * @param retryBaseDelay  first backoff; doubled per retry, with jitter
 * @param retryBudget     total time all retries of one request may wait
 * @param tools           {@code gemini.tools}: the built-in tools every request carries (a channel may switch
 *                        some off); empty for none
 * @param maxAttachmentBytes {@code gemini.maxAttachmentBytes}: the largest file sent to Gemini inline
 * @param allowedModels   models {@code /model} may pick for a channel; empty means only {@code model}
 */
public record GeminiConfig(
        Optional<Secret> apiKey,
        URI baseUrl,
        String model,
        WireFormat wireFormat,
        Optional<Double> temperature,
        Optional<Integer> maxOutputTokens,
        Optional<Integer> thinkingBudget,
        boolean includeThoughts,
        String systemPrompt,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration totalTimeout,
        int maxRetries,
        Duration retryBaseDelay,
        Duration retryBudget,
        Set<GeminiTool> tools,
        long maxAttachmentBytes,
        List<String> allowedModels) {

    /** Gemini's limit on a request with inline files, and the default largest file. */
    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 20L << 20;

    public GeminiConfig {
        tools = tools == null || tools.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(tools));
        if (maxAttachmentBytes <= 0) {
            maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
        }
        allowedModels = allowedModels == null || allowedModels.isEmpty() ? List.of(model) : List.copyOf(allowedModels);
    }

    /** Without {@code gemini.allowedModels}: only {@code model} may be picked. */
    public GeminiConfig(Optional<Secret> apiKey, URI baseUrl, String model, WireFormat wireFormat,
                        Optional<Double> temperature, Optional<Integer> maxOutputTokens,
                        Optional<Integer> thinkingBudget, boolean includeThoughts, String systemPrompt,
                        Duration connectTimeout, Duration idleTimeout, Duration totalTimeout, int maxRetries,
                        Duration retryBaseDelay, Duration retryBudget, Set<GeminiTool> tools, long maxAttachmentBytes) {
        this(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens, thinkingBudget, includeThoughts,
                systemPrompt, connectTimeout, idleTimeout, totalTimeout, maxRetries, retryBaseDelay, retryBudget,
                tools, maxAttachmentBytes, List.of());
    }

    /** Without tools and with the default attachment limit (for callers that predate them). */
    public GeminiConfig(Optional<Secret> apiKey, URI baseUrl, String model, WireFormat wireFormat,
                        Optional<Double> temperature, Optional<Integer> maxOutputTokens,
                        Optional<Integer> thinkingBudget, boolean includeThoughts, String systemPrompt,
                        Duration connectTimeout, Duration idleTimeout, Duration totalTimeout, int maxRetries,
                        Duration retryBaseDelay, Duration retryBudget) {
        this(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens, thinkingBudget, includeThoughts,
                systemPrompt, connectTimeout, idleTimeout, totalTimeout, maxRetries, retryBaseDelay, retryBudget,
                Set.of(), DEFAULT_MAX_ATTACHMENT_BYTES, List.of());
    }

    public static final URI DEFAULT_BASE_URL = URI.create("https://generativelanguage.googleapis.com");
    public static final String DEFAULT_MODEL = "gemini-2.5-flash";
    public static final String DEFAULT_SYSTEM_PROMPT =
            "You are a helpful assistant in a team chat. Answer concisely in Markdown.";

    public static GeminiConfig defaults() {
        return new GeminiConfig(Optional.empty(), DEFAULT_BASE_URL, DEFAULT_MODEL, WireFormat.GEMINI,
                Optional.empty(), Optional.empty(), Optional.empty(), true, DEFAULT_SYSTEM_PROMPT,
                Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofMinutes(10),
                3, Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public GeminiConfig withApiKey(Secret key) {
        return new GeminiConfig(Optional.ofNullable(key), baseUrl, model, wireFormat, temperature,
                maxOutputTokens, thinkingBudget, includeThoughts, systemPrompt, connectTimeout,
                idleTimeout, totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    public GeminiConfig withEndpoint(URI baseUrl, WireFormat wireFormat) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    public GeminiConfig withRetries(int maxRetries, Duration retryBaseDelay, Duration retryBudget) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    public GeminiConfig withTimeouts(Duration connectTimeout, Duration idleTimeout, Duration totalTimeout) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    public GeminiConfig withMedia(Set<GeminiTool> tools, long maxAttachmentBytes) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    /** The same settings with {@code allowedModels} ({@code gemini.allowedModels}). */
    public GeminiConfig withAllowedModels(List<String> allowedModels) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }

    /** The same settings with another system prompt ({@code gemini.systemPrompt}). */
    public GeminiConfig withSystemPrompt(String systemPrompt) {
        return new GeminiConfig(apiKey, baseUrl, model, wireFormat, temperature, maxOutputTokens,
                thinkingBudget, includeThoughts, systemPrompt, connectTimeout, idleTimeout,
                totalTimeout, maxRetries, retryBaseDelay, retryBudget, tools, maxAttachmentBytes, allowedModels);
    }
}
