package dev.geminibot.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.core.state.LatestAnswer;

/**
 * A conversation's latest answer as compact JSON, the same in every backend: its id, the question's
 * trigger and message id, the question and answer turns (as {@link TurnCodec} writes them) and the cut flag.
 */
public final class LatestAnswerCodec {
    private LatestAnswerCodec() {
    }

    public static String encode(LatestAnswer answer) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", answer.answerId());
        node.put("tr", answer.trigger());
        if (!answer.messageId().isEmpty()) {
            node.put("m", answer.messageId());
        }
        node.set("q", TurnCodec.node(answer.question()));
        node.set("a", TurnCodec.node(answer.answer()));
        node.put("cut", answer.cut());
        return node.toString();
    }

    public static LatestAnswer decode(String json) {
        JsonNode node = TurnCodec.read(json);
        return new LatestAnswer(node.path("id").asText(), node.path("tr").asText(), node.path("m").asText(""),
                TurnCodec.turn(node.path("q")), TurnCodec.turn(node.path("a")), node.path("cut").asBoolean(false));
    }
}
