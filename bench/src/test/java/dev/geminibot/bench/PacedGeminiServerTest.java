package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.testing.FakeGemini;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PacedGeminiServerTest {

    @Test
    void writesExactlyFakeGeminisWireFormat() {
        for (String text : List.of("plain", "\n\nnew paragraph", "a \"quote\" and \\ backslash", "ünï ✓")) {
            assertThat(new String(PacedGeminiServer.event(text, false, 17), StandardCharsets.UTF_8))
                    .isEqualTo(FakeGemini.event(FakeGemini.chunk(text, false, null, 5, 17)));
            assertThat(new String(PacedGeminiServer.event(text, true, 240), StandardCharsets.UTF_8))
                    .isEqualTo(FakeGemini.event(FakeGemini.chunk(text, false, "STOP", 5, 240)));
        }
    }

    @Test
    void theRealClientReadsConcurrentPacedStreamsWhole() throws Exception {
        try (PacedGeminiServer server = new PacedGeminiServer(50)) {
            readsConcurrentStreamsWhole(server.port());
        }
    }

    /** Four streams at once through the real client, then four more over the kept-alive connections. */
    static void readsConcurrentStreamsWhole(int port) throws Exception {
        GeminiConfig config = GeminiConfig.defaults().withApiKey(Secret.of("test-key"))
                .withEndpoint(URI.create("http://127.0.0.1:" + port + "/"), WireFormat.GEMINI);
        ChatModel model = ChatModels.fromConfig(config);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            int conversation = id;
            answers.add(CompletableFuture.supplyAsync(() -> read(model, conversation)));
        }
        for (int id = 0; id < 4; id++) {
            assertThat(answers.get(id).get()).isEqualTo(AnswerScript.of(id, 30).text() + "|STOP");
        }
        for (int id = 4; id < 8; id++) {
            assertThat(read(model, id)).isEqualTo(AnswerScript.of(id, 30).text() + "|STOP");
        }
    }

    /** Reads one bench stream whole: its text, then {@code |STOP} (or the reason it ended). */
    static String read(ChatModel model, int id) {
        StringBuilder text = new StringBuilder();
        try (ModelStream stream = model.stream(ChatRequest.of("", "bench id=" + id + " deltas=30 period=1"))) {
            for (StreamEvent event : stream) {
                if (event instanceof TextDelta delta) {
                    text.append(delta.text());
                } else if (event instanceof Finished finished) {
                    text.append('|').append(finished.reason() == FinishReason.STOP ? "STOP" : finished.reason());
                }
            }
        }
        return text.toString();
    }
}
