package dev.geminibot.core.model.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.model.internal.ChunkException;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.model.internal.StreamDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes {@code chat.completion.chunk}s: {@code choices[0].delta.content} is answer,
 * {@code delta.reasoning_content} (DeepSeek, vLLM) or {@code delta.reasoning} (OpenRouter, Ollama) is
 * thinking, {@code finish_reason} and a final {@code usage} chunk are kept, {@code [DONE]} ends.
 */
final class OpenAiDecoder implements StreamDecoder {
    private FinishReason reason;
    private Usage usage = Usage.NONE;
    private String detail;
    /** The server sent {@code [DONE]}: an explicit clean end, which counts as STOP without a reason. */
    private boolean sawDone;

    @Override
    public boolean decode(byte[] data, List<StreamEvent> out) throws ChunkException {
        if (isDone(data)) {
            sawDone = true;
            return false;
        }
        JsonNode root = Json.chunk(data);
        JsonNode usageNode = root.get("usage");
        if (usageNode != null && usageNode.isObject()) {
            usage = new Usage(Json.intOf(usageNode, "prompt_tokens"), Json.intOf(usageNode, "completion_tokens"),
                    Json.intOf(usageNode.path("completion_tokens_details"), "reasoning_tokens"),
                    Json.intOf(usageNode, "total_tokens"));
        }
        JsonNode choice = root.path("choices").path(0);
        JsonNode delta = choice.path("delta");
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            String thinking = Json.textOf(delta, field);
            if (thinking != null && !thinking.isEmpty()) {
                out.add(new ThinkingDelta(thinking));
                break;
            }
        }
        String content = Json.textOf(delta, "content");
        if (content != null && !content.isEmpty()) {
            out.add(new TextDelta(content));
        }
        String finishReason = Json.textOf(choice, "finish_reason");
        if (finishReason != null) {
            reason = FinishReason.fromWire(finishReason);
            detail = FinishReason.detail(reason, finishReason, null);
        }
        return true;
    }

    @Override
    public Finished finish() {
        if (reason != null) {
            return new Finished(reason, usage, detail);
        }
        return sawDone ? new Finished(FinishReason.STOP, usage) : null;
    }

    @Override
    public boolean complete() {
        return reason != null;
    }

    /**
     * Whether the payload is {@code [DONE]}, whitespace around it allowed (what {@code String.strip()} removes).
     * Every other payload is a JSON object, which begins with '{' and is never decoded here.
     */
    private static boolean isDone(byte[] data) {
        return data.length > 0 && data[0] != '{'
                && new String(data, StandardCharsets.UTF_8).strip().equals("[DONE]");
    }
}
