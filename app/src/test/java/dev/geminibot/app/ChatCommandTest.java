package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The terminal chat, piped: each answer written once, whole, in order, with context across turns. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int chat(String input, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "chat";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.execute(Map.of(), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), all);
    }

    @Test
    void withoutAKeyItChatsWithTheDemoModelAndCarriesContext() {
        int status = chat("what is a monad?\nand a functor?\n/reset\nfresh start\n", "--demo-pace=0");

        assertThat(status).isZero();
        assertThat(err.toString()).contains("offline demo model").contains("GEMINI_API_KEY is not set");
        String text = out.toString();
        int first = text.indexOf("You asked: “what is a monad?”. This is the start of our conversation.");
        int second = text.indexOf("You asked: “and a functor?”. This is message 2 of our conversation; "
                + "your first one was “what is a monad?”.");
        int third = text.indexOf("You asked: “fresh start”. This is the start of our conversation.");
        assertThat(first).isNotNegative();
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        // Piped output carries final texts only: no cursor, no placeholder, each answer once.
        assertThat(text).doesNotContain("▌").doesNotContain("Thinking…");
        assertThat(text.split("\\*\\*Demo mode\\*\\*", -1)).hasSize(4);
        assertThat(err.toString()).contains("(conversation forgotten)");
    }

    @Test
    void aLongAnswerContinuesInFurtherMessagesWithoutLosingText() {
        int status = chat("write something long\n", "--demo-pace=0");

        assertThat(status).isZero();
        String text = out.toString();
        for (int i = 1; i <= 12; i++) {
            assertThat(text).contains("Paragraph " + i + " of a long answer.");
        }
        assertThat(text).contains("Set `GEMINI_API_KEY` to talk to Gemini for real.");
        // Every message fits Discord's limit: messages are separated by a blank line in the pipe.
        assertThat(text.length()).isGreaterThan(TerminalSink.MAX_LENGTH);
    }

    @Test
    void endOfInputExitsAfterTheLastAnswerIsComplete() {
        int status = chat("hello", "--demo-pace=1");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("You asked: “hello”").contains("Type `/reset` to start over.");
    }

    @Test
    void aBadConfigurationExitsWithStatusTwoAndNamesTheProblem() {
        int status = Main.execute(Map.of("GEMINI_BOT_STREAMING_EDIT_INTERVAL", "fast"),
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), "chat");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("GEMINI_BOT_STREAMING_EDIT_INTERVAL").contains("fast");
    }
}
