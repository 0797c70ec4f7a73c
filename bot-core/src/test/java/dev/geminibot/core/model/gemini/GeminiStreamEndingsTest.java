package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelException.Kind;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.StreamResult;
import java.nio.charset.StandardCharsets;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a 200 stream ends when it does not end well, on byte-exact bodies built from the API's documented
 * format (SSE {@code data:} lines of {@code GenerateContentResponse}, Google's error JSON): none of these
 * may look like a complete answer.
 */
class GeminiStreamEndingsTest {
    static final OkHttpClient CLIENT = new OkHttpClient();

    /** Two chunks of text as Gemini streams them (CRLF), no finish reason yet. */
    static final String TEXT = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The first\"}],"
            + "\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 4,"
            + "\"candidatesTokenCount\": 2,\"totalTokenCount\": 6},\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n"
            + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" half\"}],\"role\": \"model\"},"
            + "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 4,\"candidatesTokenCount\": 3,"
            + "\"totalTokenCount\": 7},\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n";

    /** An error the API sends inside a 200 stream: pretty-printed JSON lines without {@code data:}. */
    static final String PLAIN_ERROR = "{\n  \"error\": {\n    \"code\": 500,\n"
            + "    \"message\": \"An internal error has occurred. Please retry or report in "
            + "https://developers.generativeai.google/guide/troubleshooting\",\n    \"status\": \"INTERNAL\"\n  }\n}\n";

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

    StreamResult ask(String body) {
        gemini.enqueueSse(body);
        return StreamResult.drain(new GeminiModel(gemini.config().withRetries(0, java.time.Duration.ofMillis(1),
                java.time.Duration.ofSeconds(1)), CLIENT).stream(ChatRequest.of("", "hi")));
    }

    static ModelException failed(StreamResult result, Kind kind) {
        assertThat(result.error()).as("the stream must fail, not finish with %s", result.finished()).isNotNull();
        assertThat(result.error().kind()).as(result.error().getMessage()).isEqualTo(kind);
        assertThat(result.finished()).isNull();
        return result.error();
    }

    // ---- (a) an error object as plain lines mid-stream ----

    @Test
    void aPlainJsonErrorAfterTextInterruptsKeepsTheTextAndNamesTheError() {
        StreamResult result = ask(TEXT + PLAIN_ERROR);

        assertThat(result.text()).isEqualTo("The first half");
        ModelException e = failed(result, Kind.INTERRUPTED);
        assertThat(((ModelException) e.getCause()).kind()).isEqualTo(Kind.SERVER);
        assertThat(e.getMessage()).contains("INTERNAL", "An internal error has occurred");
    }

    @Test
    void aPlainJsonErrorBeforeTextFailsAsItsStatus() {
        StreamResult result = ask(FakeGemini.fixture("streaming-failure-image-rejected.txt"));

        assertThat(result.text()).isEmpty();
        assertThat(failed(result, Kind.BAD_REQUEST).getMessage())
                .contains("INVALID_ARGUMENT", "Request contains an invalid argument.");
    }

    @Test
    void aPlainJsonErrorInAnArrayOrOnOneLineIsAnErrorToo() {
        assertThat(failed(ask(TEXT + "[{\n  \"error\": {\n    \"code\": 503,\n    \"status\": \"UNAVAILABLE\"\n  }\n}\n]\n"),
                Kind.INTERRUPTED).getCause()).extracting(c -> ((ModelException) c).kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(failed(ask(TEXT + "{\"error\": {\"code\": 429, \"status\": \"RESOURCE_EXHAUSTED\"}}\r\n"),
                Kind.INTERRUPTED).getCause()).extracting(c -> ((ModelException) c).kind()).isEqualTo(Kind.RATE_LIMITED);
    }

    /** The same bodies cut at every byte in two HTTP chunks, and in crumbs: the same ending every time. */
    @ParameterizedTest
    @ValueSource(strings = {"error", "noReason", "empty", "unknownReason"})
    void everyCutGivesTheSameEnding(String shape) {
        String body = switch (shape) {
            case "error" -> TEXT + PLAIN_ERROR;
            case "noReason" -> TEXT;
            case "empty" -> "data: {\"candidates\": [{\"content\": {\"parts\": [],\"role\": \"model\"}}]}\r\n\r\n";
            default -> TEXT + "data: {\"candidates\": [{\"finishReason\": \"FAKE_ENUM\",\"index\": 0}]}\r\n\r\n";
        };
        String whole = summary(ask(body));
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        for (int cut = 1; cut < length; cut++) {
            gemini.enqueueInPieces(FakeGemini.cutAt(body, cut));
            assertThat(summary(drain())).as("cut at byte %d", cut).isEqualTo(whole);
        }
        for (long seed = 1; seed <= 3; seed++) {
            gemini.enqueueInPieces(FakeGemini.crumbs(body, seed));
            assertThat(summary(drain())).as("crumbs, seed %d", seed).isEqualTo(whole);
        }
    }

    private StreamResult drain() {
        return StreamResult.drain(new GeminiModel(gemini.config().withRetries(0, java.time.Duration.ofMillis(1),
                java.time.Duration.ofSeconds(1)), CLIENT).stream(ChatRequest.of("", "hi")));
    }

    private static String summary(StreamResult result) {
        return result.events() + " / " + (result.error() == null ? "no error"
                : result.error().kind() + ": " + result.error().getMessage());
    }

    // ---- (b) nothing to show ----

    @Test
    void chunksWithEmptyContentAreAnEmptyAnswer() {
        ModelException e = failed(ask("data: {\"candidates\": [{\"content\": {\"parts\": [],\"role\": \"model\"},"
                + "\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 4,\"totalTokenCount\": 4}}\r\n\r\n"
                + "data: {\"candidates\": [{\"content\": {\"role\": \"model\"},\"index\": 0}]}\r\n\r\n"), Kind.EMPTY);

        assertThat(e.userMessage()).isEqualTo("Gemini sent an empty answer");
    }

    @Test
    void aCandidateWithMalformedContentIsAnEmptyAnswer() {
        failed(ask("data: {\"candidates\": [{\"content\": \"not an object\",\"index\": 0}]}\r\n\r\n"
                + "data: {\"candidates\": [{\"content\": {\"parts\": {\"text\": \"not a list\"}}}]}\r\n\r\n"), Kind.EMPTY);
    }

    @Test
    void aStopWithoutAnyTextIsAnEmptyAnswer() {
        failed(ask("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},"
                + "\"finishReason\": \"STOP\",\"index\": 0}]}\r\n\r\n"), Kind.EMPTY);
    }

    @Test
    void anUnparseableChunkNamesTheParseProblem() {
        ModelException e = failed(ask("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\r\n\r\n"),
                Kind.PROTOCOL);

        assertThat(e.getMessage()).contains("not JSON");
    }

    @Test
    void plainLinesThatAreNotJsonAreAParseProblem() {
        ModelException e = failed(ask(TEXT + "{\n  \"error\": \n}\n"), Kind.INTERRUPTED);

        assertThat(((ModelException) e.getCause()).kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.getMessage()).contains("lines outside any event");
    }

    @Test
    void aBodyWithNoEventsAtAllIsAnEmptyAnswer() {
        failed(ask(": keep-alive\r\n\r\n"), Kind.EMPTY);
    }

    // ---- (c) unknown finish reasons keep their name ----

    @Test
    void anUnknownFinishReasonIsNamedAsGeminiSentIt() {
        StreamResult result = ask(TEXT + "data: {\"candidates\": [{\"content\": {\"parts\": [],\"role\": \"model\"},"
                + "\"finishReason\": \"FAKE_ENUM\",\"finishMessage\": \"Something new.\",\"index\": 0}]}\r\n\r\n");

        assertThat(result.text()).isEqualTo("The first half");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.OTHER, new Usage(4, 3, 0, 7),
                "FAKE_ENUM: Something new."));
        assertThat(ask(TEXT + "data: {\"candidates\": [{\"finishReason\": \"MALFORMED_FUNCTION_CALL\"}]}\r\n\r\n")
                .finished().detail()).isEqualTo("MALFORMED_FUNCTION_CALL");
    }

    // ---- (d) text, then a clean end without a finish reason ----

    @Test
    void textWithoutAFinishReasonMayBeCut() {
        StreamResult result = ask(TEXT);

        assertThat(result.events()).containsExactly(new TextDelta("The first"), new TextDelta(" half"));
        ModelException e = failed(result, Kind.INCOMPLETE);
        assertThat(e.userMessage()).contains("may be cut");
        assertThat(e.getMessage()).contains("without a finish reason");
    }
}
