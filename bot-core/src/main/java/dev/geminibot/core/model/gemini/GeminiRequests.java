package dev.geminibot.core.model.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.GeminiTool;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.InlineFile;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.model.internal.StreamDecoder;
import dev.geminibot.core.model.internal.WireProtocol;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** Gemini's native format: {@code streamGenerateContent} requests, {@link GeminiDecoder} for the answers. */
final class GeminiRequests implements WireProtocol {

    private final GeminiConfig config;
    private final HttpUrl url;

    GeminiRequests(GeminiConfig config) {
        this.config = config;
        this.url = urlFor(config.model());
    }

    @Override
    public HttpUrl url() {
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

    @Override
    public StreamDecoder newDecoder() {
        return new GeminiDecoder();
    }

    /** The HTTP request (a channel's {@code /model} names its model in the path); the key travels in
     * {@code x-goog-api-key}, never in the URL. */
    @Override
    public Request request(ChatRequest chat) {
        HttpUrl target = chat.model().isEmpty() ? url : urlFor(chat.model());
        Request.Builder builder = Json.ssePost(target, body(chat));
        config.apiKey().ifPresent(key -> builder.header("x-goog-api-key", key.reveal()));
        return builder.build();
    }

    /**
     * The JSON body. Consecutive messages of one role are merged (Gemini expects turns to alternate);
     * empty messages are dropped (Gemini refuses empty parts); a turn's files follow its text as
     * {@code inline_data} parts, in order; {@code tools} and generation settings appear only when set.
     */
    String body(ChatRequest chat) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode contents = root.putArray("contents");
        for (ChatMessage turn : mergeTurns(chat.messages())) {
            ObjectNode content = contents.addObject();
            content.put("role", turn.role() == Role.MODEL ? "model" : "user");
            ArrayNode parts = content.putArray("parts");
            if (!turn.text().isBlank()) {
                parts.addObject().put("text", turn.text());
            }
            for (InlineFile file : turn.files()) {
                ObjectNode inline = parts.addObject().putObject("inline_data");
                inline.put("mime_type", file.mimeType());
                inline.put("data", Base64.getEncoder().encodeToString(file.data()));
            }
        }
        if (!chat.systemPrompt().isBlank()) {
            root.putObject("systemInstruction").putArray("parts").addObject().put("text", chat.systemPrompt());
        }
        if (!chat.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (GeminiTool tool : chat.tools()) {
                tools.addObject().putObject(tool.wireName());
            }
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
            if (message.isEmpty()) {
                continue;
            }
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).role() == message.role()) {
                ChatMessage previous = merged.get(last);
                String text = previous.text().isBlank() ? message.text()
                        : message.text().isBlank() ? previous.text() : previous.text() + "\n\n" + message.text();
                List<InlineFile> files = new ArrayList<>(previous.files());
                files.addAll(message.files());
                merged.set(last, new ChatMessage(message.role(), text, files));
            } else {
                merged.add(message);
            }
        }
        return merged;
    }
}
