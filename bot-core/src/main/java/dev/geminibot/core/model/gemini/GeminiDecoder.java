package dev.geminibot.core.model.gemini;

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
import java.util.List;
import java.util.Locale;

/**
 * Decodes {@code GenerateContentResponse} chunks. Text parts are answer; parts marked
 * {@code "thought": true} are thinking, never answer. Code the model ran (code execution tool) is shown
 * as Markdown code blocks, since the answer's text refers to it; function calls, images and thought
 * signatures are skipped. Finish reason, finish message and usage are kept until the stream ends,
 * because a usage-only chunk may still follow the finish reason.
 */
final class GeminiDecoder implements StreamDecoder {
    private FinishReason reason;
    private String detail;
    private Usage usage = Usage.NONE;
    /** Whether the answer so far ends a line, so a code block can start on a line of its own. */
    private boolean atLineStart = true;
    private final GroundingReader grounding = new GroundingReader();
    /** Reads common chunks without a tree first ({@link CommonChunkReader}); off only to compare in tests. */
    private final boolean streamingFirst;

    GeminiDecoder() {
        this(true);
    }

    GeminiDecoder(boolean streamingFirst) {
        this.streamingFirst = streamingFirst;
    }

    @Override
    public boolean decode(byte[] data, List<StreamEvent> out) throws ChunkException {
        CommonChunkReader.Chunk common = streamingFirst ? CommonChunkReader.read(data) : null;
        if (common != null) {
            decodeCommon(common, out);
            return true;
        }
        JsonNode root = Json.chunk(data);
        JsonNode usageNode = root.get("usageMetadata");
        if (usageNode != null && usageNode.isObject()) {
            usage = new Usage(Json.intOf(usageNode, "promptTokenCount"), Json.intOf(usageNode, "candidatesTokenCount"),
                    Json.intOf(usageNode, "thoughtsTokenCount"), Json.intOf(usageNode, "totalTokenCount"));
        }
        JsonNode candidates = root.path("candidates");
        if (candidates.isEmpty()) {
            JsonNode feedback = root.path("promptFeedback");
            String blockReason = Json.textOf(feedback, "blockReason");
            String blockMessage = Json.textOf(feedback, "blockReasonMessage");
            if (blockReason != null || blockMessage != null) {
                reason = FinishReason.PROMPT_BLOCKED;
                detail = blockReason != null ? blockReason : blockMessage;
            }
            return true;
        }
        JsonNode candidate = candidates.get(0);
        grounding.read(candidate, out);
        for (JsonNode part : candidate.path("content").path("parts")) {
            decodePart(part, out);
        }
        String finishReason = Json.textOf(candidate, "finishReason");
        if (finishReason != null) {
            finished(finishReason, Json.textOf(candidate, "finishMessage"));
        }
        return true;
    }

    /** The same as the tree path below for the chunks {@link CommonChunkReader} accepts. */
    private void decodeCommon(CommonChunkReader.Chunk chunk, List<StreamEvent> out) {
        int[] counts = chunk.usage();
        if (counts != null) {
            usage = new Usage(counts[0], counts[1], counts[2], counts[3]);
        }
        for (CommonChunkReader.Part part : chunk.parts()) {
            text(part.text(), part.thought(), out);
        }
        if (chunk.finishReason() != null) {
            finished(chunk.finishReason(), null);
        }
    }

    /** A text part: thinking, or answer; an empty one is nothing. */
    private void text(String text, boolean thought, List<StreamEvent> out) {
        if (text.isEmpty()) {
            return;
        }
        if (thought) {
            out.add(new ThinkingDelta(text));
        } else {
            emit(text, out);
        }
    }

    /** Gemini said why it finished (kept until the stream ends: a usage-only chunk may follow). */
    private void finished(String wireReason, String message) {
        reason = FinishReason.fromWire(wireReason);
        detail = FinishReason.detail(reason, wireReason, message);
    }

    private void decodePart(JsonNode part, List<StreamEvent> out) {
        String text = Json.textOf(part, "text");
        if (text != null) {
            text(text, part.path("thought").asBoolean(false), out);
            return;
        }
        JsonNode code = part.get("executableCode");
        if (code != null && code.isObject()) {
            grounding.ranCode(out);
            String language = Json.textOf(code, "language");
            String fence = language == null || language.startsWith("LANGUAGE_UNSPECIFIED")
                    ? "" : language.toLowerCase(Locale.ROOT);
            emitBlock(fence, Json.textOf(code, "code"), out);
            return;
        }
        JsonNode result = part.get("codeExecutionResult");
        if (result != null && result.isObject()) {
            emitBlock("", Json.textOf(result, "output"), out);
        }
        // functionCall, inlineData, fileData, a bare thoughtSignature: nothing to show in a chat.
    }

    private void emitBlock(String language, String body, List<StreamEvent> out) {
        if (body == null || body.isEmpty()) {
            return;
        }
        String opening = (atLineStart ? "" : "\n") + "```" + language + "\n";
        emit(opening + body + (body.endsWith("\n") ? "" : "\n") + "```\n", out);
    }

    private void emit(String text, List<StreamEvent> out) {
        out.add(new TextDelta(text));
        atLineStart = text.endsWith("\n");
    }

    @Override
    public Finished finish() {
        // No reason: the stream decides between an empty answer and one that may be cut.
        return reason == null ? null : new Finished(reason, usage, detail, grounding.sources());
    }

    @Override
    public boolean complete() {
        return reason != null;
    }
}
