package dev.geminibot.core.model.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException.Kind;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.gemini.GeminiModel;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.StreamResult;
import java.net.URI;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model client in the OpenAI-compatible format: Gemini's compatibility endpoint and other servers. */
class OpenAiCompatibleModelTest {
    static final OkHttpClient CLIENT = new OkHttpClient();
    static final String STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"reasoning_content":"Let me think."}}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello"}}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":" there 👋"},"finish_reason":"stop"}]}

            data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":3,"total_tokens":7}}

            data: [DONE]

            """;

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    FakeGemini server;

    @BeforeEach
    void start() {
        server = FakeGemini.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    StreamResult ask(GeminiConfig config, ChatRequest request) {
        ChatModel model = ChatModels.fromConfig(config, CLIENT);
        assertThat(model).isInstanceOf(GeminiModel.class);
        assertThat(model.toString()).endsWith(", OPENAI]");
        return StreamResult.drain(model.stream(request));
    }

    @Test
    void geminiToolsAreNamedAtStartUpAsSomethingThisFormatCannotCarry() throws Exception {
        var config = server.openAiConfig().withMedia(java.util.EnumSet.of(dev.geminibot.config.GeminiTool.GOOGLE_SEARCH), 1 << 20);
        ChatModel model = ChatModels.fromConfig(config, CLIENT);

        assertThat(logs.warnings()).singleElement().asString()
                .contains("gemini.tools [googleSearch] is ignored")
                .contains("OpenAI-compatible wire format")
                .contains("cannot carry");
        server.enqueueSse(STREAM);
        StreamResult.drain(model.stream(ChatRequest.of("", "hi").withTools(config.tools())));
        assertThat(server.takeRequest().getBody().utf8()).doesNotContain("google_search").doesNotContain("tools");
    }

    @Test
    void withoutToolsThereIsNoWarning() {
        ChatModels.fromConfig(server.openAiConfig(), CLIENT);
        assertThat(logs.warnings()).isEmpty();
    }

    @Test
    void streamsContentReasoningFinishAndUsageUntilDone() {
        server.enqueueSse(STREAM);

        StreamResult result = ask(server.openAiConfig(), ChatRequest.of("", "hi"));

        assertThat(result.error()).isNull();
        assertThat(result.events()).containsExactly(new ThinkingDelta("Let me think."), new TextDelta("Hello"),
                new TextDelta(" there 👋"), new Finished(FinishReason.STOP, new Usage(4, 3, 0, 7)));
    }

    @Test
    void theSameStreamInCrumbsGivesTheSameEvents() {
        server.enqueueSse(STREAM);
        List<?> whole = ask(server.openAiConfig(), ChatRequest.of("", "hi")).events();

        server.enqueueInPieces(FakeGemini.crumbs(STREAM, 7));
        assertThat(ask(server.openAiConfig(), ChatRequest.of("", "hi")).events()).isEqualTo(whole);
    }

    @Test
    void lengthAndContentFilterMapToGeminiReasons() {
        server.enqueueSse("data: {\"choices\":[{\"delta\":{\"content\":\"cut\"},\"finish_reason\":\"length\"}]}\n\n"
                + "data: [DONE]\n\n");
        server.enqueueSse("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"content_filter\"}]}\n\ndata: [DONE]\n\n");

        assertThat(ask(server.openAiConfig(), ChatRequest.of("", "a")).finished().reason()).isEqualTo(FinishReason.MAX_TOKENS);
        assertThat(ask(server.openAiConfig(), ChatRequest.of("", "b")).finished().reason()).isEqualTo(FinishReason.SAFETY);
    }

    @Test
    void theRequestUsesBearerRolesAndStreamingOptions() throws Exception {
        server.enqueueSse(STREAM);

        ask(server.openAiConfig(), new ChatRequest("Be brief.", List.of(ChatMessage.user("q1"),
                ChatMessage.model("a1"), ChatMessage.user("q2"))));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getUrl().encodedPath()).isEqualTo("/v1beta/openai/chat/completions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + FakeGemini.API_KEY);
        assertThat(request.getHeaders().get("x-goog-api-key")).isNull();
        assertThat(request.getUrl().toString()).doesNotContain(FakeGemini.API_KEY);
        JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
        assertThat(body.path("model").asText()).isEqualTo(FakeGemini.MODEL);
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").toString()).isEqualTo("{\"include_usage\":true}");
        assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"q1\"},{\"role\":\"assistant\",\"content\":\"a1\"},"
                + "{\"role\":\"user\",\"content\":\"q2\"}]");
    }

    @Test
    void aBaseUrlEndingInAVersionIsTheApiRoot() {
        server.enqueueSse(STREAM);
        URI v1 = URI.create(server.baseUrl() + "v1");

        ask(server.openAiConfig().withEndpoint(v1, WireFormat.OPENAI), ChatRequest.of("", "hi"));

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
    }

    @Test
    void endpointRules() {
        assertThat(endpoint("https://generativelanguage.googleapis.com"))
                .isEqualTo("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions");
        assertThat(endpoint("https://generativelanguage.googleapis.com/v1beta/openai/"))
                .isEqualTo("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions");
        assertThat(endpoint("http://localhost:11434/v1")).isEqualTo("http://localhost:11434/v1/chat/completions");
        assertThat(endpoint("https://api.example.com/openai/v1/"))
                .isEqualTo("https://api.example.com/openai/v1/chat/completions");
        assertThat(endpoint("https://proxy.example.com/gemini"))
                .isEqualTo("https://proxy.example.com/gemini/v1beta/openai/chat/completions");
    }

    static String endpoint(String base) {
        return OpenAiRequests.endpoint(HttpUrl.get(base)).toString();
    }

    @Test
    void googlesArrayWrappedErrorsMapLikeNativeOnes() {
        server.enqueue(new MockResponse.Builder().code(400).setHeader("Content-Type", "application/json")
                .body("[{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a valid API key.\","
                        + "\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":\"type.googleapis.com/google.rpc.ErrorInfo\","
                        + "\"reason\":\"API_KEY_INVALID\"}]}}]").build());

        StreamResult result = ask(server.openAiConfig(), ChatRequest.of("", "hi"));

        assertThat(result.error().kind()).isEqualTo(Kind.BAD_KEY);
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void anOpenAiStyleUnauthorizedIsBadKey() {
        server.enqueue(new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Incorrect API key provided: " + FakeGemini.API_KEY + "\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}").build());

        StreamResult result = ask(server.openAiConfig(), ChatRequest.of("", "hi"));

        assertThat(result.error().kind()).isEqualTo(Kind.BAD_KEY);
        assertThat(result.error().getMessage()).contains("Incorrect API key provided: ****")
                .doesNotContain(FakeGemini.API_KEY);
    }

    @Test
    void aLocalServerNeedsNoKey() {
        server.enqueueSse(STREAM);
        GeminiConfig noKey = GeminiConfig.defaults().withEndpoint(server.baseUrl(), WireFormat.OPENAI);

        assertThat(ask(noKey, ChatRequest.of("", "hi")).text()).isEqualTo("Hello there 👋");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void aStreamCutBeforeDoneAndWithoutAFinishReasonMayBeCut() {
        server.enqueueSse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n");

        StreamResult result = ask(server.openAiConfig(), ChatRequest.of("", "hi"));

        assertThat(result.text()).isEqualTo("Hello");
        assertThat(result.error().kind()).isEqualTo(Kind.INCOMPLETE);
    }

    @Test
    void doneWithoutAFinishReasonIsAStop() {
        server.enqueueSse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\ndata: [DONE]\n\n");

        assertThat(ask(server.openAiConfig(), ChatRequest.of("", "hi")).finished())
                .isEqualTo(new Finished(FinishReason.STOP, Usage.NONE));
    }

    @Test
    void doneIsRecognisedWithTheWhitespaceStripRemoves() {
        for (String done : List.of("[DONE]", "  [DONE]\t", "\f[DONE]\u000b", "\u2003[DONE]\u3000", "\u3000[DONE]")) {
            server.enqueueSse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\ndata: "
                    + done + "\n\n");

            StreamResult result = ask(server.openAiConfig(), ChatRequest.of("", "hi"));

            assertThat(result.error()).as(done).isNull();
            assertThat(result.finished()).as(done).isEqualTo(new Finished(FinishReason.STOP, Usage.NONE));
        }
    }
}
