package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of problem, each naming the key or variable and what is wrong. */
class ValidationTest {
    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    private ConfigProblem onlyProblem(String yaml) {
        List<ConfigProblem> problems = fx.problems(yaml);
        assertThat(problems).hasSize(1);
        return problems.getFirst();
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        assertThat(onlyProblem("streaming:\n  editIntervall: 1s\n")).isEqualTo(new ConfigProblem(
                "streaming.editIntervall", "unknown key (did you mean `streaming.editInterval`?)"));
        assertThat(onlyProblem("streaming:\n  edit_interval: 1s\n").message())
                .isEqualTo("unknown key (did you mean `streaming.editInterval`?)");
        assertThat(onlyProblem("gemnii:\n  model: x\n")).isEqualTo(new ConfigProblem(
                "gemnii", "unknown key (did you mean `gemini`?)"));
        assertThat(onlyProblem("slack:\n  httpPort: 80\n").message())
                .isEqualTo("unknown key (did you mean `slack.http.port`?)");
        // In the wrong section: found by its last name.
        assertThat(onlyProblem("gemini:\n  editInterval: 1s\n").message())
                .isEqualTo("unknown key (did you mean `streaming.editInterval`?)");
    }

    @Test
    void unknownKeyWithNothingCloseListsTheSectionsKeys() {
        assertThat(onlyProblem("streaming:\n  colour: red\n").message())
                .isEqualTo("unknown key (keys in `streaming`: editInterval, cursor, thinkingText, mode)");
        assertThat(onlyProblem("telegram:\n  token: x\n").message())
                .isEqualTo("unknown section (sections: gemini, streaming, context, limits, discord, slack, ops, logging, state)");
    }

    @ParameterizedTest(name = "{0}: {1}")
    // JUnit 6's CSV reader rejects text after a closing quote, and the messages quote values with ':
    // backticks (unused here) are the quote character, so "#general" and "" reach the YAML as written.
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            streaming.editInterval | fast     | 'fast' is not a duration (use e.g. 500ms, 1s, 2m)
            streaming.editInterval | 250      | '250' has no unit (write e.g. 250ms or 250s)
            streaming.editInterval | 0s       | '0s' must be more than zero
            gemini.idleTimeout     | -5s      | '-5s' must be more than zero
            gemini.totalTimeout    | PT-1M    | 'PT-1M' must be more than zero
            gemini.connectTimeout  | PT1X     | 'PT1X' is not a duration (use e.g. 500ms, 1s, 2m)
            gemini.maxRetries      | -1       | '-1' must be at least 0
            gemini.maxRetries      | three    | 'three' is not a whole number
            gemini.maxOutputTokens | 0        | '0' must be more than zero
            gemini.thinkingBudget  | -2       | '-2' must be at least -1
            context.maxChars       | 1.5      | '1.5' is not a whole number
            context.cacheMaxChars  | 0        | '0' must be more than zero
            limits.maxPromptChars  | 99999999999 | '99999999999' is too large (at most 2147483647)
            slack.http.port        | 0        | '0' must be from 1 to 65535
            slack.http.port        | 70000    | '70000' must be from 1 to 65535
            slack.http.path        | events   | 'events' is not a URL path (write e.g. /slack/events)
            gemini.temperature     | 2.5      | '2.5' is out of range (0 to 2)
            gemini.temperature     | -0.1     | '-0.1' is out of range (0 to 2)
            gemini.temperature     | warm     | 'warm' is not a number
            gemini.includeThoughts | maybe    | 'maybe' is not a boolean (use true or false)
            gemini.wireFormat      | grpc     | 'grpc' is not one of: gemini, openai
            slack.mode             | events   | 'events' is not one of: socket, http
            gemini.baseUrl         | localhost:8080 | 'localhost:8080' is not an absolute URL (must start with one of http://, https:// and name a host)
            gemini.baseUrl         | ftp://example.com | 'ftp://example.com' is not an absolute URL (must start with one of http://, https:// and name a host)
            gemini.baseUrl         | http://exa mple.com | 'http://exa mple.com' is not a valid URL (Illegal character in authority)
            gemini.baseUrl         | https://example.com/?key=1 | 'https://example.com/?key=1' must not have a query or fragment
            discord.restBaseUrl    | wss://gateway.discord.gg | 'wss://gateway.discord.gg' is not an absolute URL (must start with one of http://, https:// and name a host)
            discord.gatewayUrl     | gateway.discord.gg | 'gateway.discord.gg' is not an absolute URL (must start with one of http://, https://, ws://, wss:// and name a host)
            discord.shardRange     | 3-1      | '3-1' is not a shard range (write e.g. 0-3, or 2)
            discord.guildIds       | 12,abc   | item 2: 'abc' is not a Discord id (digits only; copy it with Developer Mode on)
            slack.allowedChannels  | "#general" | item 1: '#general' is not a Slack id (e.g. C0123456789 or U0123456789, not a #name)
            gemini.model           | \"\"     | must not be empty
            """)
    void badValuesAreNamedAndExplained(String key, String value, String message) {
        assertThat(onlyProblem(yamlWith(key, value))).isEqualTo(new ConfigProblem(key, message));
    }

    @Test
    void theSameValueFromTheEnvironmentIsReportedUnderTheVariable() {
        assertThat(fx.problems("", Map.of("GEMINI_BOT_STREAMING_EDIT_INTERVAL", "fast"))).containsExactly(
                new ConfigProblem("GEMINI_BOT_STREAMING_EDIT_INTERVAL", "'fast' is not a duration (use e.g. 500ms, 1s, 2m)"));
        assertThat(fx.problems("", Map.of("GEMINI_BASE_URL", "nowhere"))).extracting(ConfigProblem::where)
                .containsExactly("GEMINI_BASE_URL");
    }

    @Test
    void wrongShapesAreReported() {
        assertThat(onlyProblem("gemini:\n  model:\n    name: x\n"))
                .isEqualTo(new ConfigProblem("gemini.model", "expected a single value, found a section (a map)"));
        assertThat(onlyProblem("gemini:\n  model: [a, b]\n"))
                .isEqualTo(new ConfigProblem("gemini.model", "expected a single value, found a list"));
        assertThat(onlyProblem("discord:\n  guildIds: {a: 1}\n"))
                .isEqualTo(new ConfigProblem("discord.guildIds", "expected a list, found a section (a map)"));
        assertThat(onlyProblem("discord:\n  guildIds: [[1]]\n"))
                .isEqualTo(new ConfigProblem("discord.guildIds", "item 1: expected a value, found a list"));
        assertThat(onlyProblem("streaming: fast\n")).isEqualTo(new ConfigProblem("streaming",
                "is a section, so it takes keys (editInterval, cursor, thinkingText, mode), not a single value"));
        assertThat(onlyProblem("slack:\n  http: 3000\n").message())
                .isEqualTo("is a section, so it takes keys (port, path), not a single value");
    }

    @Test
    void aFileThatIsNotAMapIsReported() {
        List<ConfigProblem> problems = fx.problems("- gemini\n- slack\n");
        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().message()).isEqualTo(
                "must be a map of sections (gemini:, streaming:, context:, limits:, discord:, slack:, ops:, logging:, state:), not a list");
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumn() {
        List<ConfigProblem> problems = fx.problems("gemini:\n  model: x\n  bad: : y\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().where()).endsWith(".yaml");
        assertThat(problems.getFirst().message())
                .isEqualTo("is not valid YAML at line 3, column 8: mapping values are not allowed here");
    }

    @Test
    void anUnclosedQuoteSaysWhereItStarted() {
        assertThat(onlyProblem("gemini:\n  systemPrompt: \"unclosed\n  model: x\n").message()).isEqualTo(
                "is not valid YAML at line 4, column 1: while scanning a quoted scalar that starts at line 2, "
                        + "column 17, found unexpected end of stream");
    }

    @Test
    void tabIndentationIsASyntaxErrorWithItsLine() {
        assertThat(onlyProblem("gemini:\n\tmodel: x\n").message()).startsWith("is not valid YAML at line 2, column 1: ");
    }

    @Test
    void duplicateKeysAreReported() {
        assertThat(onlyProblem("gemini:\n  model: a\n  model: b\n").message())
                .startsWith("has the key `model` twice in one section at line 3");
    }

    @Test
    void unknownVariablesWithThePrefixAreReportedWithASuggestion() {
        assertThat(fx.problems("", Map.of("GEMINI_BOT_STREAMING_EDIT_INTERVL", "1s"))).containsExactly(new ConfigProblem(
                "GEMINI_BOT_STREAMING_EDIT_INTERVL", "matches no setting (did you mean GEMINI_BOT_STREAMING_EDIT_INTERVAL?)"));
        assertThat(fx.problems("", Map.of("GEMINI_BOT_SLACK_HTTP_PROT", "1"))).containsExactly(new ConfigProblem(
                "GEMINI_BOT_SLACK_HTTP_PROT", "matches no setting (did you mean GEMINI_BOT_SLACK_HTTP_PORT?)"));
        assertThat(fx.problems("", Map.of("GEMINI_BOT_WHATEVER", "1")).getFirst().message())
                .startsWith("matches no setting (key streaming.editInterval is GEMINI_BOT_STREAMING_EDIT_INTERVAL");
        assertThat(fx.problems("", Map.of("GEMINI_BOT_DISCORD_TOKEN", "t"))).containsExactly(new ConfigProblem(
                "GEMINI_BOT_DISCORD_TOKEN", "is not read: this secret comes from DISCORD_BOT_TOKEN only"));
    }

    @Test
    void theLaunchersOwnVariablesAreNotSettingsAndNotProblems() {
        assertThat(fx.load("", Map.of("GEMINI_BOT_JAVA_OPTS", "-Xmx2g", "GEMINI_BOT_JDK_DIRS", "/opt/jvm")))
                .isEqualTo(BotConfig.defaults());
    }

    @Test
    void variablesWithoutThePrefixAreNotOurs() {
        assertThat(fx.load("", Map.of("PATH", "/bin", "GEMINI_FOO", "x", "HOME", "/root"))).isEqualTo(BotConfig.defaults());
    }

    @Test
    void secretsInTheFileAreRefused() {
        assertThat(fx.problems("""
                gemini:
                  apiKey: AIzaInTheFile
                discord:
                  token: discord-in-the-file
                slack:
                  signingSecret: s
                """)).containsExactly(
                new ConfigProblem("gemini.apiKey",
                        "secrets are not read from the file: remove it and set GEMINI_API_KEY in the environment instead"),
                new ConfigProblem("discord.token",
                        "secrets are not read from the file: remove it and set DISCORD_BOT_TOKEN in the environment instead"),
                new ConfigProblem("slack.signingSecret",
                        "secrets are not read from the file: remove it and set SLACK_SIGNING_SECRET in the environment instead"));
    }

    @Test
    void aMisspeltSecretInTheFilePointsToItsVariable() {
        assertThat(onlyProblem("gemini:\n  apikey: x\n").message()).isEqualTo(
                "unknown key (did you mean `gemini.apiKey`? secrets are not read from the file: set GEMINI_API_KEY in the environment instead)");
    }

    @Test
    void everyProblemIsReportedTogether() {
        ConfigException e = fx.failure("""
                gemini:
                  temperature: 3
                  wireFormat: grpc
                streaming:
                  editInterval: fast
                  colour: red
                slack:
                  http:
                    port: 0
                """, Map.of("GEMINI_BOT_LIMITS_MAX_PROMPT_CHARS", "-1", "GEMINI_BOT_NOPE", "1"));

        assertThat(e.problems()).extracting(ConfigProblem::where).containsExactly(
                "gemini.temperature", "gemini.wireFormat", "streaming.editInterval", "streaming.colour",
                "slack.http.port", "GEMINI_BOT_LIMITS_MAX_PROMPT_CHARS", "GEMINI_BOT_NOPE");
        assertThat(e.getMessage()).startsWith("""
                Configuration has 7 problems:
                  - gemini.temperature: '3' is out of range (0 to 2)
                  - gemini.wireFormat: 'grpc' is not one of: gemini, openai
                  - streaming.editInterval: 'fast' is not a duration (use e.g. 500ms, 1s, 2m)
                """);
    }

    @Test
    void oneProblemIsSingular() {
        assertThat(fx.failure("gemini:\n  maxRetries: x\n", Map.of()).getMessage()).isEqualTo(
                "Configuration has 1 problem:\n  - gemini.maxRetries: 'x' is not a whole number");
    }

    @Test
    void longValuesAreShortenedInTheReport() {
        String message = onlyProblem("gemini:\n  wireFormat: " + "x".repeat(500) + "\n").message();
        assertThat(message).hasSizeLessThan(120).contains("...' is not one of");
    }

    private static String yamlWith(String key, String value) {
        String[] parts = key.split("\\.");
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            yaml.append("  ".repeat(i)).append(parts[i]).append(":\n");
        }
        return yaml.append("  ".repeat(parts.length - 1)).append(parts[parts.length - 1]).append(": ")
                .append(value).append('\n').toString();
    }
}
