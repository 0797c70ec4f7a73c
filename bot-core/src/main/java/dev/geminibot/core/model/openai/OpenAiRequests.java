package dev.geminibot.core.model.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.model.internal.StreamDecoder;
import dev.geminibot.core.model.internal.WireProtocol;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;

/**
 * OpenAI's streaming chat completions, as Gemini's compatibility endpoint, local model servers and proxies
 * speak them: {@code chat/completions} requests, {@link OpenAiDecoder} for the answers. The thinking
 * settings are not sent (there is no portable field for them).
 */
public final class OpenAiRequests implements WireProtocol {
    /** A last path segment that already names an API root: {@code v1}, {@code v1beta}, {@code v2alpha1}, {@code openai}. */
    private static final Pattern API_ROOT = Pattern.compile("v\\d+[a-z]*\\d*|openai");

    private final GeminiConfig config;
    private final HttpUrl url;

    public OpenAiRequests(GeminiConfig config) {
        this.config = config;
        this.url = endpoint(HttpUrl.get(config.baseUrl().toString()));
    }

    /**
     * Where the completions live. A base URL whose path ends in an API root ({@code …/v1},
     * {@code …/v1beta/openai}) gets {@code /chat/completions}, as for most OpenAI-compatible servers
     * ({@code http://localhost:11434/v1}); any other base URL (a bare host such as Google's, or a proxy
     * prefix) gets Google's {@code /v1beta/openai/chat/completions}.
     */
    static HttpUrl endpoint(HttpUrl base) {
        List<String> segments = base.pathSegments();
        String last = "";
        for (String segment : segments) {
            if (!segment.isEmpty()) {
                last = segment;
            }
        }
        HttpUrl.Builder builder = base.newBuilder();
        if (segments.get(segments.size() - 1).isEmpty() && segments.size() > 1) {
            builder.removePathSegment(segments.size() - 1); // a trailing slash
        }
        if (!API_ROOT.matcher(last).matches()) {
            builder.addPathSegments("v1beta/openai");
        }
        return builder.addPathSegments("chat/completions").build();
    }

    @Override
    public HttpUrl url() {
        return url;
    }

    @Override
    public StreamDecoder newDecoder() {
        return new OpenAiDecoder();
    }

    /** The HTTP request, with {@code Authorization: Bearer} when a key is configured (local servers may need none). */
    @Override
    public Request request(ChatRequest chat) {
        Request.Builder builder = Json.ssePost(url, body(chat));
        config.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
        return builder.build();
    }

    String body(ChatRequest chat) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", chat.model().isEmpty() ? config.model() : chat.model());
        ArrayNode messages = root.putArray("messages");
        if (!chat.systemPrompt().isBlank()) {
            messages.addObject().put("role", "system").put("content", chat.systemPrompt());
        }
        for (ChatMessage message : chat.messages()) {
            messages.addObject()
                    .put("role", message.role() == Role.MODEL ? "assistant" : "user")
                    .put("content", message.text());
        }
        root.put("stream", true);
        root.putObject("stream_options").put("include_usage", true);
        config.temperature().ifPresent(t -> root.put("temperature", t));
        config.maxOutputTokens().ifPresent(n -> root.put("max_tokens", n));
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }
}
