package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.StreamResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recorded Gemini streams, replayed whole and cut into pieces at every byte boundary. */
class GeminiReplayTest {
    static final OkHttpClient CLIENT = new OkHttpClient();
    static final String UNICODE = "/gemini-synthetic/unicode-crlf-keepalive.txt";

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    FakeGemini gemini;
    ChatModel model;

    @BeforeEach
    void start() {
        gemini = FakeGemini.start();
        model = new GeminiModel(gemini.config(), CLIENT);
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    StreamResult ask() {
        StreamResult result = StreamResult.drain(model.stream(ChatRequest.of("", "hi")));
        assertThat(result.error()).as("stream error").isNull();
        return result;
    }

    StreamResult replay(String fixture) {
        gemini.enqueueFixture(fixture);
        return ask();
    }

    @Test
    void shortReplyStreamsEachPieceAndFinishesWithUsage() {
        StreamResult result = replay("streaming-success-basic-reply-short.txt");

        assertThat(result.events()).containsExactly(
                new TextDelta("The"), new TextDelta(" capital of Wyoming"), new TextDelta(" is **Cheyenne**.\n"),
                new Finished(FinishReason.STOP, new Usage(7, 10, 0, 17)));
    }

    @Test
    void longReplyArrivesWhole() {
        StreamResult result = replay("streaming-success-basic-reply-long.txt");

        assertThat(result.text()).hasSize(8845)
                .startsWith("Okay, let's dive into the world of cats and dogs! This is a broad topic, so I'll")
                .endsWith("specific breeds, training techniques, or health conditions.\n");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(10, 1996, 0, 2006)));
    }

    @Test
    void thoughtSummaryIsThinkingNeverAnswer() {
        StreamResult result = replay("streaming-success-thinking-reply-thought-summary.txt");

        assertThat(result.thinking()).hasSize(1133).startsWith("**Exploring Sky Color**\n\n")
                .endsWith("I'm satisfied with this concise response.\n\n\n");
        assertThat(result.text()).isEqualTo("The sky is blue because tiny gas molecules in Earth's atmosphere "
                + "scatter blue light from the sun more efficiently than other colors. Blue light has shorter, "
                + "smaller wavelengths, causing it to be scattered in all directions, making the sky appear blue "
                + "to our eyes.");
        assertThat(result.events().get(0)).isInstanceOf(ThinkingDelta.class);
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(10, 48, 540, 598)));
    }

    @Test
    void functionCallAfterThinkingShowsNoAnswerText() {
        StreamResult result = replay("streaming-success-thinking-function-call-thought-summary-signature.txt");

        assertThat(result.text()).isEmpty();
        assertThat(result.thinking()).hasSize(765).startsWith("**Calculating the Days**");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(38, 6, 168, 212)));
    }

    @Test
    void recitationKeepsTextAndReportsTheReason() {
        StreamResult result = replay("streaming-failure-recitation-no-content.txt");

        assertThat(result.text()).isEqualTo("text1text2text3text4text5text6text7text8");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.RECITATION, new Usage(9, 261, 0, 270)));
    }

    @Test
    void blockedPromptFinishesWithItsReasonAndNoText() {
        StreamResult result = replay("streaming-failure-prompt-blocked-safety.txt");

        assertThat(result.events()).containsExactly(new Finished(FinishReason.PROMPT_BLOCKED, Usage.NONE, "SAFETY"));
    }

    @Test
    void emptyAndImageOnlyChunksAddNothing() {
        StreamResult result = replay("streaming-success-empty-parts.txt");

        assertThat(result.text()).isEqualTo("Here's a cute cartoon kitten playing with a ball of yarn for you! ");
        assertThat(result.events()).filteredOn(e -> e instanceof TextDelta t && t.text().isEmpty()).isEmpty();
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(16, 1307, 0, 1323)));
    }

    @Test
    void finalChunkWithoutPartsStillFinishes() {
        StreamResult result = replay("streaming-success-no-content-parts.txt");

        assertThat(result.text()).hasSize(419).startsWith("I will generate a 3D rendering")
                .endsWith("slightly cloudy sky.\n\n");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(34, 1370, 0, 1404)));
    }

    @Test
    void finishMessageBecomesTheDetailEvenWithoutATrailingBlankLine() {
        StreamResult result = replay("streaming-success-finish-message.txt");

        assertThat(result.events()).containsExactly(new TextDelta("Hello"), new TextDelta(" world!"),
                new Finished(FinishReason.STOP, Usage.NONE, "Finished successfully"));
    }

    @Test
    void citationsAreIgnoredAndUrlContextBecomesASource() {
        StreamResult citations = replay("streaming-success-citations.txt");
        assertThat(citations.text()).hasSize(6711).startsWith("Okay, let's break down quantum mechanics.\n\n")
                .endsWith("Good luck on your learning journey!\n");
        assertThat(citations.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(15, 1381, 0, 1396)));

        StreamResult url = replay("streaming-success-url-context.txt");
        assertThat(url.text()).hasSize(361).startsWith("\nThe Google homepage primarily serves")
                .endsWith("and an \"About\" section.");
        assertThat(url.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(438, 81, 39, 1177), null,
                java.util.List.of(new dev.geminibot.core.model.Source("https://google.com", "Google"))));
        assertThat(url.events().getFirst()).as("the page was read before the first word")
                .isEqualTo(new dev.geminibot.core.model.ToolActivity(dev.geminibot.core.model.ToolActivity.Kind.READING_PAGES));
    }

    @Test
    void executedCodeAndItsResultAreShownAsCodeBlocks() {
        StreamResult result = replay("streaming-success-code-execution.txt");

        assertThat(result.text()).isEqualTo("To find the sum of the first 5 prime numbers, we first need to identify "
                + "them. The first five prime numbers are 2, 3, 5, 7, and 11.\n\nNow, let's calculate their"
                + " sum using a Python tool:\n\n"
                + "```python\nprime_numbers = [2, 3, 5, 7, 11]\nsum_of_primes = sum(prime_numbers)\n"
                + "print(f'The sum of the first 5 prime numbers is: {sum_of_primes}')\n```\n"
                + "```\nThe sum of the first 5 prime numbers is: 28\n```\n"
                + "The sum of the first 5 prime numbers is 28.");
        assertThat(result.finished()).isEqualTo(new Finished(FinishReason.STOP, new Usage(21, 126, 95, 485)));
    }

    @Test
    void multiByteTextCommentsAndKeepAliveLinesSurvive() {
        gemini.enqueueSse(FakeGemini.fixture(UNICODE));
        StreamResult result = ask();

        assertThat(result.events()).containsExactly(
                new ThinkingDelta("**Thinking** about 猫 and 🐶…"),
                new TextDelta("Cats 🐱 and dogs 🐶: "),
                new TextDelta("猫と犬は仲良し — naïve café, 👩‍💻 at work.\n"),
                new TextDelta("Ελληνικά, العربية, 한국어 ✓"),
                new Finished(FinishReason.STOP, new Usage(12, 30, 8, 50)));
    }

    @Test
    void aUsageOnlyChunkAfterTheFinishReasonIsKept() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("done", false, "MAX_TOKENS", 3, 1))
                + FakeGemini.event("{\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":9,"
                + "\"totalTokenCount\":12}}"));

        assertThat(ask().events()).containsExactly(new TextDelta("done"),
                new Finished(FinishReason.MAX_TOKENS, new Usage(3, 9, 0, 12)));
    }

    @Test
    void unknownFinishReasonsAreOther() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("x", false, "MALFORMED_FUNCTION_CALL", 1, 1)));

        assertThat(ask().finished().reason()).isEqualTo(FinishReason.OTHER);
    }

    // ---- cut into pieces ----

    /**
     * Every byte boundary, in two HTTP chunks: the short streams (the long ones would only repeat this).
     * The chunk boundary is what the SSE reader sees as a short read; see {@link FakeGemini#enqueueInPieces}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"streaming-success-basic-reply-short.txt", "streaming-success-finish-message.txt",
            "streaming-failure-prompt-blocked-safety.txt", UNICODE})
    void twoPiecesCutAtEveryByteGiveTheSameEvents(String fixture) {
        String body = FakeGemini.fixture(fixture);
        List<StreamEvent> whole = replayWhole(body);
        int length = body.getBytes(StandardCharsets.UTF_8).length;

        for (int cut = 1; cut < length; cut++) {
            gemini.enqueueInPieces(FakeGemini.cutAt(body, cut));
            assertThat(ask().events()).as("cut at byte %d of %s", cut, fixture).isEqualTo(whole);
        }
    }

    /** Every stream, in crumbs of 1 to 3 bytes, each its own chunk and TCP write (three cuttings each). */
    @ParameterizedTest
    @ValueSource(strings = {"streaming-success-basic-reply-short.txt", "streaming-success-basic-reply-long.txt",
            "streaming-success-thinking-reply-thought-summary.txt",
            "streaming-success-thinking-function-call-thought-summary-signature.txt",
            "streaming-failure-recitation-no-content.txt", "streaming-failure-prompt-blocked-safety.txt",
            "streaming-success-empty-parts.txt", "streaming-success-no-content-parts.txt",
            "streaming-success-finish-message.txt", "streaming-success-citations.txt",
            "streaming-success-url-context.txt", "streaming-success-code-execution.txt", UNICODE})
    void crumbsOfOneToThreeBytesGiveTheSameEvents(String fixture) {
        String body = FakeGemini.fixture(fixture);
        List<StreamEvent> whole = replayWhole(body);

        for (long seed = 1; seed <= 3; seed++) {
            gemini.enqueueInPieces(FakeGemini.crumbs(body, seed));
            assertThat(ask().events()).as("crumbs with seed %d of %s", seed, fixture).isEqualTo(whole);
        }
    }

    @Test
    void crlfAndLfLineEndsDecodeAlike() {
        String lf = FakeGemini.fixture("streaming-success-basic-reply-short.txt").replace("\r\n", "\n");
        String crlf = FakeGemini.fixture("streaming-success-finish-message.txt").replace("\n", "\r\n");

        assertThat(replayWhole(lf)).isEqualTo(replayWhole(FakeGemini.fixture("streaming-success-basic-reply-short.txt")));
        assertThat(replayWhole(crlf)).isEqualTo(replayWhole(FakeGemini.fixture("streaming-success-finish-message.txt")));
    }

    private List<StreamEvent> replayWhole(String body) {
        gemini.enqueueSse(body);
        List<StreamEvent> events = ask().events();
        assertThat(events).last().isInstanceOf(Finished.class);
        return events;
    }
}
