package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.core.testing.FakeGemini;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsAChunkAsAnObjectTree() throws Exception {
        JsonNode root = Json.chunk(bytes(FakeGemini.chunk("Hello", false, null, 1, 1)));

        assertThat(root.isObject()).isTrue();
        assertThat(Json.textOf(root.path("candidates").get(0).path("content").path("parts").get(0), "text"))
                .isEqualTo("Hello");
    }

    @Test
    void rejectsWhatIsNotOneJsonObject() {
        for (String data : new String[] {"", "  ", "not json", "[1, 2]", "\"text\"", "42", "null", "{\"a\":"}) {
            assertThatThrownBy(() -> Json.chunk(bytes(data))).as(data)
                    .isInstanceOf(ChunkException.class)
                    .satisfies(e -> assertThat(((ChunkException) e).error()).isNull());
        }
    }

    @Test
    void anErrorObjectIsTheServersError() {
        assertThatThrownBy(() -> Json.chunk(bytes(FakeGemini.errorJson(503, "UNAVAILABLE", "overloaded", null))))
                .isInstanceOf(ChunkException.class)
                .satisfies(e -> assertThat(((ChunkException) e).error().code()).isEqualTo(503));
    }

    private static byte[] bytes(String data) {
        return data.getBytes(StandardCharsets.UTF_8);
    }
}
