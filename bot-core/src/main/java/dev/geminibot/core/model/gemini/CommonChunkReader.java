package dev.geminibot.core.model.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.geminibot.core.model.internal.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the chunk nearly every event is, {@code {"candidates":[{"content":{"parts":[{"text":…}]},…}],
 * "usageMetadata":{…},…}}, with Jackson's streaming parser instead of building a tree: the tree cost about
 * 3 KB and the largest share of the client's CPU per event. Reads only text parts (with their
 * {@code thought} flag), the finish reason and the token counts; gives up, returning null, at the first
 * thing it does not know (an error, blocked-prompt feedback, grounding, code, a function call, a second
 * candidate, a value of an unexpected type, invalid JSON), and the decoder then reads the chunk as a tree,
 * which handles all of those. So this reader adds no behaviour of its own: for every chunk it either
 * gives what the tree path gives or nothing ({@code CommonChunkReaderTest} checks both on every recorded
 * and generated chunk).
 */
final class CommonChunkReader {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    /** One part's text, and whether it is a thought. */
    record Part(String text, boolean thought) {
    }

    /** What a common chunk holds; {@code usage} is null when the chunk has none. */
    record Chunk(List<Part> parts, String finishReason, int[] usage) {
    }

    private CommonChunkReader() {
    }

    /** The chunk (UTF-8 bytes), or null when it is not a common one (read it as a tree). */
    static Chunk read(byte[] data) {
        try (JsonParser parser = FACTORY.createParser(data)) {
            Chunk chunk = root(parser);
            return chunk != null && parser.nextToken() == null ? chunk : null;
        } catch (IOException | RuntimeException notCommon) {
            return null; // the tree path reports malformed JSON with its own words
        }
    }

    private static Chunk root(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        List<Part> parts = new ArrayList<>(1);
        String[] finish = new String[1];
        int[] usage = null;
        boolean sawCandidates = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "candidates" -> {
                    if (sawCandidates || value != JsonToken.START_ARRAY || !candidates(parser, parts, finish)) {
                        return null;
                    }
                    sawCandidates = true;
                }
                case "usageMetadata" -> {
                    if (usage != null || value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    usage = usage(parser);
                }
                case "modelVersion", "responseId", "createTime" -> parser.skipChildren();
                default -> {
                    return null; // error, promptFeedback, anything new
                }
            }
        }
        // No candidates at all is where blocked-prompt feedback lives: leave that to the tree.
        return sawCandidates ? new Chunk(parts, finish[0], usage) : null;
    }

    private static boolean candidates(JsonParser parser, List<Part> parts, String[] finish) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_ARRAY) {
            return false; // no candidate: maybe a blocked prompt
        }
        if (token != JsonToken.START_OBJECT || !candidate(parser, parts, finish)) {
            return false;
        }
        return parser.nextToken() == JsonToken.END_ARRAY; // a second candidate: not common
    }

    private static boolean candidate(JsonParser parser, List<Part> parts, String[] finish) throws IOException {
        boolean sawContent = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "content" -> {
                    if (sawContent || value != JsonToken.START_OBJECT || !content(parser, parts)) {
                        return false;
                    }
                    sawContent = true;
                }
                case "finishReason" -> {
                    if (finish[0] != null || value != JsonToken.VALUE_STRING) {
                        return false;
                    }
                    finish[0] = parser.getText();
                }
                case "index", "safetyRatings", "citationMetadata", "avgLogprobs", "tokenCount" -> parser.skipChildren();
                default -> {
                    return false; // groundingMetadata, urlContextMetadata, finishMessage, anything new
                }
            }
        }
        return true;
    }

    private static boolean content(JsonParser parser, List<Part> parts) throws IOException {
        boolean sawParts = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "parts" -> {
                    if (sawParts || value != JsonToken.START_ARRAY) {
                        return false;
                    }
                    sawParts = true;
                    JsonToken next;
                    while ((next = parser.nextToken()) == JsonToken.START_OBJECT) {
                        Part part = part(parser);
                        if (part == null) {
                            return false;
                        }
                        parts.add(part);
                    }
                    if (next != JsonToken.END_ARRAY) {
                        return false;
                    }
                }
                case "role" -> parser.skipChildren();
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** A part with text (and maybe a thought flag and a signature); null for any other part. */
    private static Part part(JsonParser parser) throws IOException {
        String text = null;
        boolean thought = false;
        boolean sawThought = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "text" -> {
                    if (text != null || value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    text = parser.getText();
                }
                case "thought" -> {
                    if (sawThought || !value.isBoolean()) {
                        return null;
                    }
                    sawThought = true;
                    thought = value == JsonToken.VALUE_TRUE;
                }
                case "thoughtSignature" -> parser.skipChildren();
                default -> {
                    return null; // executableCode, codeExecutionResult, functionCall, inlineData, …
                }
            }
        }
        return text == null ? null : new Part(text, thought);
    }

    /** promptTokenCount, candidatesTokenCount, thoughtsTokenCount, totalTokenCount (0 when absent). */
    private static int[] usage(JsonParser parser) throws IOException {
        int[] counts = new int[4];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            int slot = switch (field) {
                case "promptTokenCount" -> 0;
                case "candidatesTokenCount" -> 1;
                case "thoughtsTokenCount" -> 2;
                case "totalTokenCount" -> 3;
                default -> -1;
            };
            if (slot >= 0 && value.isNumeric()) {
                counts[slot] = parser.getIntValue();
            } else {
                parser.skipChildren();
            }
        }
        return counts;
    }
}
