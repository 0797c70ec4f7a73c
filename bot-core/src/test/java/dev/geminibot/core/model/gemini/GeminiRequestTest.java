package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.StreamResult;
import java.util.List;
import java.util.Optional;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes over the wire to Gemini. */
class GeminiRequestTest {
    static final OkHttpClient CLIENT = new OkHttpClient();

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    FakeGemini gemini;

    @BeforeEach
    void start() {
        gemini = FakeGemini.start();
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    RecordedRequest send(GeminiConfig config, ChatRequest request) {
        gemini.enqueueStream("ok");
        assertThat(StreamResult.drain(new GeminiModel(config, CLIENT).stream(request)).error()).isNull();
        return gemini.takeRequest();
    }

    static JsonNode json(RecordedRequest request) throws Exception {
        return Json.MAPPER.readTree(request.getBody().utf8());
    }

    @Test
    void theKeyTravelsInAHeaderNeverInTheUrl() {
        RecordedRequest request = send(gemini.config(), ChatRequest.of("", "hi"));

        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath())
                .isEqualTo("/v1beta/models/" + FakeGemini.MODEL + ":streamGenerateContent");
        assertThat(request.getUrl().query()).isEqualTo("alt=sse");
        assertThat(request.getUrl().toString()).doesNotContain(FakeGemini.API_KEY);
        assertThat(request.getHeaders().get("x-goog-api-key")).isEqualTo(FakeGemini.API_KEY);
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    }

    @Test
    void rolesAlternateAndTheSystemPromptIsAnInstruction() throws Exception {
        ChatRequest chat = new ChatRequest("Be brief.", List.of(
                ChatMessage.user("first"), ChatMessage.user("second"), ChatMessage.model("answer"),
                ChatMessage.model(""), ChatMessage.model("more"), ChatMessage.user("question")));

        JsonNode body = json(send(gemini.config(), chat));

        assertThat(body.path("contents").toString()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"text\":\"first\\n\\nsecond\"}]},"
                + "{\"role\":\"model\",\"parts\":[{\"text\":\"answer\\n\\nmore\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"text\":\"question\"}]}]");
        assertThat(body.path("systemInstruction").toString()).isEqualTo("{\"parts\":[{\"text\":\"Be brief.\"}]}");
    }

    @Test
    void generationConfigCarriesOnlyWhatIsSet() throws Exception {
        GeminiConfig unset = withGeneration(gemini.config(), Optional.empty(), Optional.empty(), Optional.empty(), false);
        JsonNode bare = json(send(unset, ChatRequest.of("", "hi")));
        assertThat(bare.has("generationConfig")).isFalse();
        assertThat(bare.has("systemInstruction")).isFalse();

        GeminiConfig set = withGeneration(gemini.config(), Optional.of(0.3), Optional.of(512), Optional.of(1024), true);
        assertThat(json(send(set, ChatRequest.of("", "hi"))).path("generationConfig").toString())
                .isEqualTo("{\"temperature\":0.3,\"maxOutputTokens\":512,"
                        + "\"thinkingConfig\":{\"thinkingBudget\":1024,\"includeThoughts\":true}}");

        GeminiConfig thinkingOff = withGeneration(gemini.config(), Optional.empty(), Optional.empty(), Optional.of(0), true);
        assertThat(json(send(thinkingOff, ChatRequest.of("", "hi"))).path("generationConfig").toString())
                .isEqualTo("{\"thinkingConfig\":{\"thinkingBudget\":0}}");
    }

    @Test
    void theFactoryPicksTheNativeFormatAndNeedsAKey() {
        assertThat(ChatModels.fromConfig(gemini.config(), CLIENT)).isInstanceOf(GeminiModel.class)
                .asString().startsWith("GeminiModel[" + FakeGemini.MODEL + " at ");
        assertThatThrownBy(() -> ChatModels.fromConfig(GeminiConfig.defaults(), CLIENT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GEMINI_API_KEY");
    }

    static GeminiConfig withGeneration(GeminiConfig c, Optional<Double> temperature, Optional<Integer> maxTokens,
                                       Optional<Integer> budget, boolean thoughts) {
        return new GeminiConfig(c.apiKey(), c.baseUrl(), c.model(), c.wireFormat(), temperature, maxTokens, budget,
                thoughts, c.systemPrompt(), c.connectTimeout(), c.idleTimeout(), c.totalTimeout(), c.maxRetries(),
                c.retryBaseDelay(), c.retryBudget());
    }

    @Test
    void aChannelsModelGoesInThePathAndSearchAddsTheGoogleSearchTool() throws Exception {
        RecordedRequest request = send(gemini.config(),
                new ChatRequest("Be brief.", List.of(ChatMessage.user("hi")),
                        java.util.Set.of(dev.geminibot.config.GeminiTool.GOOGLE_SEARCH), "gemini-2.5-pro"));

        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        JsonNode body = json(request);
        assertThat(body.path("tools").toString()).isEqualTo("[{\"google_search\":{}}]");
        assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("Be brief.");

        RecordedRequest plain = send(gemini.config(), ChatRequest.of("", "hi"));
        assertThat(plain.getUrl().encodedPath()).isEqualTo("/v1beta/models/" + FakeGemini.MODEL + ":streamGenerateContent");
        assertThat(json(plain).has("tools")).isFalse();
    }
}
