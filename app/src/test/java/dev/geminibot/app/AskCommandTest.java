package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.testing.FakeGemini;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code gemini-bot ask} against a local fake Gemini: stdout carries the answer, stderr the status. */
class AskCommandTest {
    private final FakeGemini gemini = FakeGemini.start();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void close() {
        gemini.close();
        assertThat(out.toString() + err).doesNotContain(FakeGemini.API_KEY);
    }

    private int ask(String stdin, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("GEMINI_API_KEY", FakeGemini.API_KEY);
        env.put("GEMINI_BASE_URL", gemini.baseUrl().toString());
        env.put("GEMINI_BOT_GEMINI_MAX_RETRIES", "0");
        String[] all = new String[args.length + 1];
        all[0] = "ask";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.execute(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), all);
    }

    @Test
    void streamsTheAnswerToStdoutAndExitsZero() {
        gemini.enqueueStream("A monad ", "is a ", "monoid.");

        assertThat(ask("", "what", "is", "a", "monad?")).isZero();

        assertThat(out.toString()).isEqualTo("A monad is a monoid.\n");
        assertThat(err.toString()).isEmpty();
        assertThat(gemini.takeRequest().getBody().utf8()).contains("what is a monad?");
    }

    @Test
    void readsThePromptFromStdinWithADash() {
        gemini.enqueueStream("Yes.");

        assertThat(ask("is this\npiped?", "-")).isZero();

        assertThat(gemini.takeRequest().getBody().utf8()).contains("is this\\npiped?");
    }

    @Test
    void thinkingIsAStatusOnStderrNeverAnswerText() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Weighing the options", true, null, 5, 0))
                + FakeGemini.streamOf("Forty-two."));

        assertThat(ask("", "meaning?")).isZero();

        assertThat(out.toString()).isEqualTo("Forty-two.\n");
        assertThat(err.toString()).isEqualTo("(thinking…)\n");
    }

    @Test
    void anAnswerCutAtTheLengthLimitIsPrintedAndNoted() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("The beginning of", false, "MAX_TOKENS", 5, 4)));

        assertThat(ask("", "tell a story")).isZero();

        assertThat(out.toString()).isEqualTo("The beginning of\n");
        assertThat(err.toString()).contains("cut at the maximum length").contains("gemini.maxOutputTokens");
    }

    @Test
    void aDroppedStreamKeepsThePartialTextAndFailsWithOneLine() {
        gemini.enqueueDroppedAfter(FakeGemini.event(FakeGemini.chunk("The first half ", false, null, 5, 3)));

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(out.toString()).isEqualTo("The first half \n");
        assertThat(err.toString().lines()).first().isEqualTo("error: the answer was interrupted");
    }

    @Test
    void anErrorSentMidStreamAsPlainLinesFailsAndNamesIt() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("The first half", false, null, 5, 3))
                + "{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"An internal error has occurred.\",\n"
                + "    \"status\": \"INTERNAL\"\n  }\n}\n");

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(out.toString()).isEqualTo("The first half\n");
        assertThat(err.toString()).startsWith("error: the answer was interrupted\n")
                .contains("INTERNAL: An internal error has occurred.");
    }

    @Test
    void anEmptyAnswerFails() {
        gemini.enqueueSse("data: {\"candidates\": [{\"content\": {\"parts\": []}}]}\r\n\r\n");

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: Gemini sent an empty answer\n");
    }

    @Test
    void anAnswerWithoutAFinishReasonMayBeCut() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Half", false, null, 5, 1)));

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(out.toString()).isEqualTo("Half\n");
        assertThat(err.toString()).startsWith("error: the answer may be cut");
    }

    @Test
    void anUnknownFinishReasonIsNamedAsGeminiSentIt() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Half", false, "FAKE_ENUM", 5, 1)));

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(err.toString()).isEqualTo("error: Gemini stopped: FAKE_ENUM\n");
    }

    @Test
    void aBadRequestShowsTheServersMessage() {
        gemini.enqueueErrorFixture(400, "streaming-failure-image-rejected.txt");

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(err.toString()).startsWith("error: Gemini could not accept this request\n")
                .contains("INVALID_ARGUMENT: Request contains an invalid argument.");
    }

    @Test
    void anOverloadedModelFailsWithItsReason() {
        gemini.enqueueError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: Gemini is overloaded, try again in a minute\n");
    }

    @Test
    void aRefusedKeyNamesTheVariableToCheck() {
        gemini.enqueueErrorFixture(400, "unary-failure-api-key.json");

        assertThat(ask("", "q")).isEqualTo(1);

        assertThat(err.toString()).contains("GEMINI_API_KEY").doesNotContain("key1234");
    }

    @Test
    void aBlockedPromptIsAFailureThatSaysSo() {
        gemini.enqueueFixture("streaming-failure-prompt-blocked-safety.txt");

        assertThat(ask("", "something unkind")).isEqualTo(1);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("error: Gemini stopped: prompt blocked (SAFETY)\n");
    }
}
