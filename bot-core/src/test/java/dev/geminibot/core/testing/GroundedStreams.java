package dev.geminibot.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.core.model.internal.Json;

/**
 * Streams built from the recorded Google Search grounding response
 * ({@code unary-success-google-search-grounding.json}), the way Gemini streams a grounded answer: first a
 * chunk with the search queries and no text, then the answer text, then the finish with the full
 * {@code groundingMetadata} (chunks, supports) in the last chunk.
 */
public final class GroundedStreams {
    private GroundedStreams() {
    }

    /** The recorded response's candidate. */
    public static JsonNode recordedCandidate() {
        try {
            return Json.MAPPER.readTree(FakeGemini.fixture("unary-success-google-search-grounding.json"))
                    .path("candidates").get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The SSE body; {@code metadataOverride} replaces groundingMetadata.groundingChunks when not null. */
    public static String searchStream(JsonNode chunksOverride) {
        JsonNode candidate = recordedCandidate();
        ObjectNode grounding = ((ObjectNode) candidate.path("groundingMetadata")).deepCopy();
        if (chunksOverride != null) {
            grounding.set("groundingChunks", chunksOverride);
        }
        String text = candidate.path("content").path("parts").get(0).path("text").asText();

        ObjectNode searching = Json.MAPPER.createObjectNode();
        ObjectNode first = searching.putArray("candidates").addObject();
        first.putObject("content").put("role", "model").putArray("parts");
        first.putObject("groundingMetadata").set("webSearchQueries", grounding.path("webSearchQueries"));

        ObjectNode answer = Json.MAPPER.createObjectNode();
        ObjectNode second = answer.putArray("candidates").addObject();
        second.putObject("content").put("role", "model").putArray("parts").addObject().put("text", text);

        ObjectNode finish = Json.MAPPER.createObjectNode();
        ObjectNode last = finish.putArray("candidates").addObject();
        last.putObject("content").put("role", "model").putArray("parts");
        last.put("finishReason", "STOP");
        last.set("groundingMetadata", grounding);
        finish.putObject("usageMetadata").put("promptTokenCount", 9).put("candidatesTokenCount", 40)
                .put("totalTokenCount", 49);

        return FakeGemini.event(searching.toString()) + FakeGemini.event(answer.toString())
                + FakeGemini.event(finish.toString());
    }

    /** The recorded answer's text. */
    public static String answerText() {
        return recordedCandidate().path("content").path("parts").get(0).path("text").asText();
    }
}
