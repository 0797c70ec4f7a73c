package dev.geminibot.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns as compact JSON, one object per turn, the same in every backend. */
public final class TurnCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TurnCodec() {
    }

    public static String encode(Turn turn) {
        return node(turn).toString();
    }

    public static String encodeAll(List<Turn> turns) {
        ArrayNode array = JSON.createArrayNode();
        turns.forEach(turn -> array.add(node(turn)));
        return array.toString();
    }

    public static Turn decode(String json) {
        return turn(read(json));
    }

    public static List<Turn> decodeAll(String json) {
        List<Turn> turns = new ArrayList<>();
        read(json).forEach(node -> turns.add(turn(node)));
        return turns;
    }

    static ObjectNode node(Turn turn) {
        ObjectNode node = JSON.createObjectNode();
        node.put("r", turn.role().name());
        if (!turn.authorId().isEmpty()) {
            node.put("u", turn.authorId());
        }
        if (!turn.authorName().isEmpty()) {
            node.put("n", turn.authorName());
        }
        node.put("t", turn.text());
        node.put("at", turn.at().toString());
        return node;
    }

    static Turn turn(JsonNode node) {
        return new Turn(Role.valueOf(node.path("r").asText()), node.path("u").asText(""), node.path("n").asText(""),
                node.path("t").asText(""), Instant.parse(node.path("at").asText()));
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored turn is not valid JSON", e);
        }
    }
}
