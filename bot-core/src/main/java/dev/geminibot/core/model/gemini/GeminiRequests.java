package dev.geminibot.core.model.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.model.internal.Json;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** Builds {@code streamGenerateContent} requests in Gemini's native format. */
final class GeminiRequests {

    private final GeminiConfig config;
    private final HttpUrl url;

    GeminiRequests(GeminiConfig config) {
        this.config = config;
        this.url = urlFor(config.model());
    }

    HttpUrl url() {
        return url;
    }

    /** {@code models/NAME:streamGenerateContent?alt=sse}; a {@code models/} prefix in the name is tolerated. */
    private HttpUrl urlFor(String name) {
        String model = name.startsWith("models/") ? name.substring(7) : name;
        return HttpUrl.get(config.baseUrl().toString()).newBuilder()
                .addPathSegments("v1beta/models")
                .addPathSegment(model + ":streamGenerateContent")
                .addQueryParameter("alt", "sse")
                .build();
    }

    /** The HTTP request; the key travels in {@code x-goog-api-key}, never in the URL. */
    Request request(ChatRequest chat) {
        HttpUrl target = chat.model().isEmpty() ? url : urlFor(chat.model());
        Request.Builder builder = Json.ssePost(target, body(chat));
        config.apiKey().ifPresent(key -> builder.header("x-goog-api-key", key.reveal()));
        return builder.build();
    }

    /**
     * The JSON body. Consecutive messages of one role are merged (Gemini expects turns to alternate);
     * empty messages are dropped (Gemini refuses empty parts); generation settings appear only when set.
     */
    String body(ChatRequest chat) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode contents = root.putArray("contents");
        for (ChatMessage turn : mergeTurns(chat.messages())) {
            ObjectNode content = contents.addObject();
            content.put("role", turn.role() == Role.MODEL ? "model" : "user");
            content.putArray("parts").addObject().put("text", turn.text());
        }
        if (!chat.systemPrompt().isBlank()) {
            root.putObject("systemInstruction").putArray("parts").addObject().put("text", chat.systemPrompt());
        }
        if (chat.googleSearch()) {
            root.putArray("tools").addObject().putObject("google_search");
        }
        ObjectNode generation = Json.MAPPER.createObjectNode();
        config.temperature().ifPresent(t -> generation.put("temperature", t));
        config.maxOutputTokens().ifPresent(n -> generation.put("maxOutputTokens", n));
        ObjectNode thinking = Json.MAPPER.createObjectNode();
        config.thinkingBudget().ifPresent(b -> thinking.put("thinkingBudget", b));
        // Thoughts are only worth asking for when thinking is not switched off.
        if (config.includeThoughts() && config.thinkingBudget().orElse(-1) != 0) {
            thinking.put("includeThoughts", true);
        }
        if (!thinking.isEmpty()) {
            generation.set("thinkingConfig", thinking);
        }
        if (!generation.isEmpty()) {
            root.set("generationConfig", generation);
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    static List<ChatMessage> mergeTurns(List<ChatMessage> messages) {
        List<ChatMessage> merged = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message.text().isBlank()) {
                continue;
            }
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).role() == message.role()) {
                merged.set(last, new ChatMessage(message.role(), merged.get(last).text() + "\n\n" + message.text()));
            } else {
                merged.add(message);
            }
        }
        return merged;
    }
}
