package dev.geminibot.core.model.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.core.model.Source;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.ToolActivity;
import dev.geminibot.core.model.internal.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what a streamed candidate says about its tools: {@code groundingMetadata} (search queries, then
 * {@code groundingChunks[].web {uri, title}}, usually in the last chunks) and {@code urlContextMetadata}
 * ({@code urlMetadata[].retrievedUrl}). Reports each kind of activity once, and keeps the sources,
 * de-duplicated by URI in first-seen order, until the stream ends. Confined to the decoding thread.
 */
final class GroundingReader {
    private static final String RETRIEVED = "URL_RETRIEVAL_STATUS_SUCCESS";

    private final Set<ToolActivity.Kind> reported = EnumSet.noneOf(ToolActivity.Kind.class);
    private final Map<String, Source> chunks = new LinkedHashMap<>();
    private final Map<String, Source> pages = new LinkedHashMap<>();

    void read(JsonNode candidate, List<StreamEvent> out) {
        JsonNode grounding = candidate.path("groundingMetadata");
        if (grounding.path("webSearchQueries").size() > 0) {
            report(ToolActivity.Kind.SEARCHING, out);
        }
        for (JsonNode chunk : grounding.path("groundingChunks")) {
            JsonNode web = chunk.path("web");
            String uri = Json.textOf(web, "uri");
            if (uri != null && !uri.isBlank()) {
                chunks.putIfAbsent(uri, new Source(uri, Json.textOf(web, "title")));
            }
        }
        JsonNode urls = candidate.path("urlContextMetadata").path("urlMetadata");
        for (JsonNode url : urls) {
            String uri = Json.textOf(url, "retrievedUrl");
            String status = Json.textOf(url, "urlRetrievalStatus");
            if (uri != null && !uri.isBlank() && (status == null || RETRIEVED.equals(status))) {
                pages.putIfAbsent(uri, new Source(uri, ""));
            }
        }
        if (urls.size() > 0) {
            report(ToolActivity.Kind.READING_PAGES, out);
        }
    }

    /** The model ran code ({@code executableCode}). */
    void ranCode(List<StreamEvent> out) {
        report(ToolActivity.Kind.RUNNING_CODE, out);
    }

    /** Grounding chunks first (they carry titles), then fetched pages the chunks did not name. */
    List<Source> sources() {
        List<Source> all = new ArrayList<>(chunks.values());
        pages.forEach((uri, page) -> {
            if (!chunks.containsKey(uri)) {
                all.add(page);
            }
        });
        return all;
    }

    private void report(ToolActivity.Kind kind, List<StreamEvent> out) {
        if (reported.add(kind)) {
            out.add(new ToolActivity(kind));
        }
    }
}
