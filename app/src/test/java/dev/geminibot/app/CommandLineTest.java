package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public command line: help, version, and what `run` and `ask` say when something is missing. */
class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return Main.execute(env, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void helpAndVersionWorkOnEveryCommand() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("run").contains("chat").contains("ask");
        for (String command : new String[] {"run", "chat", "ask"}) {
            assertThat(run(Map.of(), command, "--help")).isZero();
            assertThat(run(Map.of(), command, "--version")).isZero();
        }
        assertThat(out.toString()).contains("--config").contains("gemini-bot");
    }

    @Test
    void runWithoutPlatformSecretsExitsTwoNamingTheVariablesAndPointingToChat() {
        assertThat(run(Map.of(), "run")).isEqualTo(2);

        assertThat(err.toString())
                .contains("DISCORD_BOT_TOKEN").contains("SLACK_BOT_TOKEN").contains("SLACK_APP_TOKEN")
                .contains("SLACK_SIGNING_SECRET").contains("gemini-bot chat").contains("GEMINI_API_KEY");
    }

    @Test
    void runWithAPlatformButNoKeyNamesTheKey() {
        assertThat(run(Map.of("DISCORD_BOT_TOKEN", "discord-token-secret-value"), "run")).isEqualTo(2);

        assertThat(err.toString()).contains("GEMINI_API_KEY is not set").doesNotContain("No chat platform")
                .doesNotContain("discord-token-secret-value");
    }

    @Test
    void askWithoutAKeySaysHowToSetIt() {
        assertThat(run(Map.of(), "ask", "hello")).isEqualTo(2);

        assertThat(err.toString()).contains("GEMINI_API_KEY is not set").contains("export GEMINI_API_KEY")
                .contains("--demo");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void askWithTheDemoModelStreamsTheAnswerToStdout() {
        assertThat(run(Map.of(), "ask", "--demo", "--demo-pace=0", "what", "is", "a", "monad?")).isZero();

        assertThat(out.toString()).startsWith("**Demo mode**").contains("You asked: “what is a monad?”")
                .endsWith("start over.\n");
        assertThat(err.toString()).contains("(thinking…)");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        assertThat(run(Map.of(), "fly")).isEqualTo(2);
        assertThat(run(Map.of())).isEqualTo(2);
    }
}
