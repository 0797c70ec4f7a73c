package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lean HTTP/2 load generator, read by the real client over HTTP/2 with prior knowledge: each frame in a write of
 * its own, and a connection's frames gathered into one write per pass.
 */
class LeanH2GeminiServerTest {

    @ParameterizedTest(name = "gathering {0} ms")
    @ValueSource(ints = {0, 10})
    @Timeout(60)
    void theRealClientReadsConcurrentStreamsWholeOverHttp2AndStatsCome(int gatherMillis) throws Exception {
        try (LeanH2GeminiServer server = new LeanH2GeminiServer(50, TimeUnit.MILLISECONDS.toNanos(gatherMillis))) {
            OkHttpClient h2 = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
            GeminiConfig config = GeminiConfig.defaults().withApiKey(Secret.of("test-key"))
                    .withEndpoint(URI.create("http://127.0.0.1:" + server.port() + "/"), WireFormat.GEMINI);
            ChatModel model = ChatModels.fromConfig(config, h2);
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int id = 0; id < 8; id++) {
                int conversation = id;
                answers.add(CompletableFuture.supplyAsync(() -> PacedGeminiServerTest.read(model, conversation)));
            }
            for (int id = 0; id < 8; id++) {
                assertThat(answers.get(id).get()).isEqualTo(AnswerScript.of(id, 30).text() + "|STOP");
            }
            try (Response stats = h2.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + server.port() + "/stats").build()).execute()) {
                assertThat(stats.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
                assertThat(stats.body().string()).contains("\"writes\":240");
            }
        }
    }
}
