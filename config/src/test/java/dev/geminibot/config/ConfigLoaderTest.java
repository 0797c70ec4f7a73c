package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    @Test
    void noFileAndNoEnvironmentGivesTheDefaults() {
        assertThat(ConfigLoader.load(null, Map.of(), dir)).isEqualTo(BotConfig.defaults());
    }

    @Test
    void withNoFileNamedTheWorkingDirectorysBotYamlIsRead() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "gemini:\n  model: from-default-file\n");

        assertThat(ConfigLoader.load(null, Map.of(), dir).gemini().model()).isEqualTo("from-default-file");
    }

    @Test
    void aNamedFileThatDoesNotExistIsAProblemNamingThePath() {
        Path missing = dir.resolve("nope/bot.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of(), dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(new ConfigProblem(missing.toString(), "does not exist")));
    }

    @Test
    void anEmptyFileGivesTheDefaults() {
        assertThat(fx.load("")).isEqualTo(BotConfig.defaults());
        assertThat(fx.load("# only a comment\n")).isEqualTo(BotConfig.defaults());
    }

    @Test
    void fileValuesAreBoundOntoTheRecords() {
        BotConfig c = fx.load("""
                gemini:
                  baseUrl: http://127.0.0.1:8080
                  wireFormat: OpenAI
                  temperature: 0.7
                  idleTimeout: 1.5s
                  totalTimeout: PT3M
                streaming:
                  editInterval: 750ms
                discord:
                  restBaseUrl: http://127.0.0.1:9000/api/v10
                  guildIds: [123, "456"]
                  replyInThread: true
                slack:
                  mode: HTTP
                  http:
                    port: 8081
                    path: /events
                  allowedChannels:
                    - C012345
                """);

        assertThat(c.gemini().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(c.gemini().wireFormat()).isEqualTo(WireFormat.OPENAI);
        assertThat(c.gemini().temperature()).contains(0.7);
        assertThat(c.gemini().idleTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.gemini().totalTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.gemini().model()).isEqualTo(GeminiConfig.DEFAULT_MODEL);
        assertThat(c.streaming().editInterval()).contains(Duration.ofMillis(750));
        // A base that relative paths resolve against gets its trailing slash.
        assertThat(c.discord().restBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:9000/api/v10/"));
        assertThat(c.discord().guildIds()).containsExactly("123", "456");
        assertThat(c.discord().replyInThread()).isTrue();
        assertThat(c.slack().mode()).contains(SlackMode.HTTP);
        assertThat(c.slack().httpPort()).isEqualTo(8081);
        assertThat(c.slack().httpPath()).isEqualTo("/events");
        assertThat(c.slack().allowedChannels()).containsExactly("C012345");
        assertThat(c.context()).isEqualTo(ContextConfig.defaults());
    }

    @Test
    void anEmptyValueLeavesTheDefault() {
        BotConfig c = fx.load("gemini:\n  model:\n  maxRetries: ~\nstreaming:\n");

        assertThat(c).isEqualTo(BotConfig.defaults());
    }

    @Test
    void theEnvironmentWinsOverTheFile() {
        BotConfig c = fx.load("""
                streaming:
                  editInterval: 2s
                slack:
                  http:
                    port: 4000
                """, Map.of(
                "GEMINI_BOT_STREAMING_EDIT_INTERVAL", "300ms",
                "GEMINI_BOT_SLACK_HTTP_PORT", "5000"));

        assertThat(c.streaming().editInterval()).contains(Duration.ofMillis(300));
        assertThat(c.slack().httpPort()).isEqualTo(5000);
    }

    @Test
    void geminiBaseUrlAndModelHaveShortVariables() {
        BotConfig c = fx.load("gemini:\n  model: from-file\n", Map.of(
                "GEMINI_BASE_URL", "http://localhost:1234",
                "GEMINI_MODEL", "gemini-2.5-pro"));

        assertThat(c.gemini().baseUrl()).isEqualTo(URI.create("http://localhost:1234"));
        assertThat(c.gemini().model()).isEqualTo("gemini-2.5-pro");
    }

    @Test
    void shortAndGeneralVariablesThatDisagreeAreAProblem() {
        assertThat(fx.problems("", Map.of("GEMINI_MODEL", "a", "GEMINI_BOT_GEMINI_MODEL", "b")))
                .containsExactly(new ConfigProblem("GEMINI_MODEL", "differs from GEMINI_BOT_GEMINI_MODEL; set only one of them"));
        assertThat(fx.load("", Map.of("GEMINI_MODEL", "a", "GEMINI_BOT_GEMINI_MODEL", "a")).gemini().model()).isEqualTo("a");
    }

    @Test
    void listsFromTheEnvironmentAreCommaSeparated() {
        BotConfig c = fx.load("discord:\n  guildIds: [1]\n", Map.of(
                "GEMINI_BOT_DISCORD_GUILD_IDS", " 111, 222 ,,333,",
                "GEMINI_BOT_SLACK_ALLOWED_USERS", "U01,W02"));

        assertThat(c.discord().guildIds()).containsExactly("111", "222", "333");
        assertThat(c.slack().allowedUsers()).containsExactly("U01", "W02");
    }

    @Test
    void aSingleValueWhereAListBelongsIsAListOfOne() {
        assertThat(fx.load("discord:\n  allowedRoles: 42\n").discord().allowedRoles()).containsExactly("42");
    }

    @Test
    void secretsComeFromTheEnvironment() {
        BotConfig c = fx.load("", Map.of(
                "GEMINI_API_KEY", "gk",
                "DISCORD_BOT_TOKEN", "dt",
                "SLACK_BOT_TOKEN", "xoxb-1",
                "SLACK_APP_TOKEN", "xapp-1",
                "SLACK_SIGNING_SECRET", "ss"));

        assertThat(c.gemini().apiKey()).contains(Secret.of("gk"));
        assertThat(c.discord().token()).contains(Secret.of("dt"));
        assertThat(c.discord().enabled()).isTrue();
        assertThat(c.slack().botToken()).contains(Secret.of("xoxb-1"));
        assertThat(c.slack().appToken()).contains(Secret.of("xapp-1"));
        assertThat(c.slack().signingSecret()).contains(Secret.of("ss"));
        assertThat(c.slack().enabled()).isTrue();
    }

    @Test
    void stateKeysHaveTheirDefaultsAndRedisNeedsItsUrl() {
        StateConfig defaults = fx.load("").state();
        assertThat(defaults.backend()).isEmpty();
        assertThat(defaults.backendOr(StateBackend.SQLITE)).isEqualTo(StateBackend.SQLITE);
        assertThat(defaults.path()).isEqualTo(java.nio.file.Path.of("gemini-bot.db"));
        assertThat(defaults.keyPrefix()).isEqualTo("gemini-bot:");

        StateConfig redis = fx.load("state:\n  backend: redis\n  keyPrefix: \"bot2:\"\n",
                Map.of("REDIS_URL", "redis://:pw@localhost:6379")).state();
        assertThat(redis.backend()).contains(StateBackend.REDIS);
        assertThat(redis.keyPrefix()).isEqualTo("bot2:");
        assertThat(redis.redisUrl()).contains(Secret.of("redis://:pw@localhost:6379"));
        assertThat(redis.toString()).doesNotContain("pw@");

        assertThat(fx.problems("state:\n  backend: redis\n")).containsExactly(new ConfigProblem("REDIS_URL",
                "is not set, but state.backend is redis (write redis://[:password@]host:port)"));
        assertThat(fx.problems("state:\n  backend: postgres\n")).extracting(ConfigProblem::where)
                .containsExactly("state.backend");
        assertThat(fx.load("state:\n  path: data/bot.db\n").state().path())
                .isEqualTo(java.nio.file.Path.of("data/bot.db"));
    }

    @Test
    void blankVariablesCountAsUnset() {
        BotConfig c = fx.load("", Map.of(
                "GEMINI_API_KEY", "  ",
                "DISCORD_BOT_TOKEN", "",
                "GEMINI_MODEL", "",
                "GEMINI_BOT_STREAMING_EDIT_INTERVAL", " "));

        assertThat(c).isEqualTo(BotConfig.defaults());
        assertThat(c.discord().enabled()).isFalse();
    }

    @Test
    void slackModeIsInferredFromTheTokensUnlessSet() {
        BotConfig socket = fx.load("", Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1"));
        BotConfig http = fx.load("", Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s"));
        BotConfig both = fx.load("", Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_APP_TOKEN", "xapp-1",
                "SLACK_SIGNING_SECRET", "s"));
        BotConfig explicitHttp = fx.load("slack:\n  mode: http\n", Map.of("SLACK_BOT_TOKEN", "xoxb-1",
                "SLACK_APP_TOKEN", "xapp-1", "SLACK_SIGNING_SECRET", "s"));

        assertThat(socket.slack().effectiveMode()).isEqualTo(SlackMode.SOCKET);
        assertThat(http.slack().effectiveMode()).isEqualTo(SlackMode.HTTP);
        assertThat(both.slack().effectiveMode()).isEqualTo(SlackMode.SOCKET);
        assertThat(explicitHttp.slack().effectiveMode()).isEqualTo(SlackMode.HTTP);
        assertThat(BotConfig.defaults().slack().effectiveMode()).isEqualTo(SlackMode.HTTP);
    }

    @Test
    void halfConfiguredSlackIsReported() {
        assertThat(fx.problems("", Map.of("SLACK_BOT_TOKEN", "xoxb-1"))).extracting(ConfigProblem::where)
                .containsExactly("SLACK_BOT_TOKEN");
        assertThat(fx.problems("", Map.of("SLACK_APP_TOKEN", "xapp-1"))).extracting(ConfigProblem::where)
                .containsExactly("SLACK_BOT_TOKEN");
        assertThat(fx.problems("slack:\n  mode: socket\n", Map.of("SLACK_BOT_TOKEN", "xoxb-1", "SLACK_SIGNING_SECRET", "s")))
                .extracting(ConfigProblem::where).containsExactly("slack.mode");
        assertThat(fx.problems("", Map.of("GEMINI_BOT_SLACK_MODE", "http", "SLACK_BOT_TOKEN", "xoxb-1",
                "SLACK_APP_TOKEN", "xapp-1")))
                .extracting(ConfigProblem::where).containsExactly("GEMINI_BOT_SLACK_MODE");
    }

    @Test
    void shardRangeIsCheckedAgainstTheTotal() {
        assertThat(fx.load("discord:\n  shards: 4\n  shardRange: 0 - 3\n").discord().shardRange())
                .contains(new ShardRange(0, 3));
        assertThat(fx.load("discord:\n  shards: 4\n  shardRange: 2\n").discord().shardRange())
                .contains(new ShardRange(2, 2));
        assertThat(fx.problems("discord:\n  shards: 4\n  shardRange: 2-4\n"))
                .containsExactly(new ConfigProblem("discord.shardRange",
                        "'2-4' goes past discord.shards (4): shards are numbered 0 to 3"));
        assertThat(fx.problems("discord:\n  shardRange: 1\n")).extracting(ConfigProblem::where)
                .containsExactly("discord.shardRange");
    }

    @Test
    void everyKeyCanBeSetFromTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>();
        for (Key key : Key.all()) {
            env.put(key.envVar(), sampleValue(key.type()));
        }
        env.put("GEMINI_BOT_DISCORD_SHARDS", "10"); // so that the sample range 1-2 fits
        env.put("GEMINI_BOT_DISCORD_REPLY_IN_THREAD", "true");
        env.put("GEMINI_BOT_SLACK_NATIVE_STREAMING_IN_CHANNELS", "true");

        BotConfig c = fx.load("", env);

        // Every component differs from its default, so no key was dropped or bound to the wrong place.
        BotConfig d = BotConfig.defaults();
        assertAllComponentsDiffer(c.gemini(), d.gemini(), "apiKey");
        assertAllComponentsDiffer(c.streaming(), d.streaming());
        assertAllComponentsDiffer(c.context(), d.context());
        assertAllComponentsDiffer(c.limits(), d.limits());
        assertAllComponentsDiffer(c.discord(), d.discord(), "token");
        assertAllComponentsDiffer(c.slack(), d.slack(), "botToken", "appToken", "signingSecret");
        assertAllComponentsDiffer(c.state(), d.state(), "redisUrl");
        assertAllComponentsDiffer(c.ops(), d.ops());
    }

    @Test
    void nativeStreamingInChannelThreadsIsOffUnlessTheFileOrTheEnvironmentTurnsItOn() {
        assertThat(fx.load("").slack().nativeStreamingInChannels()).isFalse();
        assertThat(BotConfig.defaults().slack().nativeStreamingInChannels()).isFalse();
        SlackConfig fromFile = fx.load("slack:\n  nativeStreamingInChannels: true\n").slack();
        assertThat(fromFile.nativeStreamingInChannels()).isTrue();
        assertThat(fromFile.nativeStreaming()).as("the other native key keeps its default").isTrue();
        assertThat(fx.load("slack:\n  nativeStreamingInChannels: true\n",
                Map.of("GEMINI_BOT_SLACK_NATIVE_STREAMING_IN_CHANNELS", "false")).slack().nativeStreamingInChannels())
                .isFalse();
        assertThat(fx.load("", Map.of("GEMINI_BOT_SLACK_NATIVE_STREAMING_IN_CHANNELS", "TRUE")).slack()
                .nativeStreamingInChannels()).isTrue();
        assertThat(fx.problems("slack:\n  nativeStreamingInChannels: sometimes\n", Map.of()).toString())
                .contains("slack.nativeStreamingInChannels");
    }

    @Test
    void opsListenerAndLogFormatDefaultToPort8081OnAllInterfacesAndTextAndAnswerToTheirVariables() {
        assertThat(fx.load("").ops()).isEqualTo(new OpsConfig(8081, "0.0.0.0", LogFormat.TEXT));
        OpsConfig ops = fx.load("ops:\n  port: 9000\nlogging:\n  format: json\n", Map.of(
                "GEMINI_BOT_OPS_PORT", "0", "GEMINI_BOT_OPS_HOST", "127.0.0.1")).ops();
        assertThat(ops).isEqualTo(new OpsConfig(0, "127.0.0.1", LogFormat.JSON));
        assertThat(ops.enabled()).as("port 0 turns the listener off").isFalse();
        assertThat(fx.load("", Map.of("GEMINI_BOT_LOGGING_FORMAT", "JSON")).ops().logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(fx.problems("", Map.of("GEMINI_BOT_LOGGING_FORMAT", "xml")).toString())
                .contains("GEMINI_BOT_LOGGING_FORMAT").contains("text, json");
        assertThat(fx.problems("ops:\n  port: 70000\n", Map.of()).toString()).contains("ops.port");
    }

    /** A valid value unlike any default, for each kind of value. */
    static String sampleValue(ValueType type) {
        return switch (type) {
            case TEXT, NON_BLANK_TEXT -> "sample";
            case BOOLEAN -> "false"; // every boolean but discord.replyInThread defaults to true
            case POSITIVE_INT, NON_NEGATIVE_INT, POSITIVE_LONG, THINKING_BUDGET, PORT, PORT_OR_OFF -> "7";
            case LOG_FORMAT -> "json";
            case TEMPERATURE -> "1.25";
            case POSITIVE_DURATION -> "7s";
            case HTTP_URL -> "http://127.0.0.1:1/x";
            case HTTP_BASE_URL -> "http://127.0.0.1:1/base";
            case GATEWAY_URL -> "ws://127.0.0.1:2";
            case URL_PATH -> "/sample";
            case WIRE_FORMAT -> "openai";
            case SLACK_MODE -> "socket";
            case STATE_BACKEND -> "sqlite";
            case STREAMING_MODE -> "final";
            case SHARD_RANGE -> "1-2";
            case DISCORD_IDS -> "1,2";
            case SLACK_IDS -> "C1X,U2Y";
            case NAMES -> "sample-a,sample-b";
            case BYTE_SIZE -> "4KB";
            case GEMINI_TOOLS -> "googleSearch,urlContext";
        };
    }

    private static void assertAllComponentsDiffer(Record actual, Record defaults, String... skipped) {
        for (var component : actual.getClass().getRecordComponents()) {
            if (List.of(skipped).contains(component.getName())) {
                continue;
            }
            try {
                Object a = component.getAccessor().invoke(actual);
                Object d = component.getAccessor().invoke(defaults);
                assertThat(a).as(component.getName()).isNotEqualTo(d);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void optionalComponentsStayEmptyUnlessSet() {
        BotConfig c = fx.load("gemini:\n  temperature: 0\n");

        assertThat(c.gemini().temperature()).isEqualTo(Optional.of(0.0));
        assertThat(c.gemini().maxOutputTokens()).isEmpty();
    }

    @Test
    void toolsAndAttachmentSizesReadAsOperatorsWriteThem() {
        BotConfig c = fx.load("gemini:\n  tools: [googleSearch, url_context, CodeExecution]\n  maxAttachmentBytes: 4KB\n");

        assertThat(c.gemini().tools()).containsExactly(GeminiTool.GOOGLE_SEARCH, GeminiTool.URL_CONTEXT,
                GeminiTool.CODE_EXECUTION);
        assertThat(c.gemini().maxAttachmentBytes()).isEqualTo(4096);
        assertThat(fx.load("gemini:\n  maxAttachmentBytes: 20MB\n").gemini().maxAttachmentBytes()).isEqualTo(20L << 20);
        assertThat(fx.load("gemini:\n  maxAttachmentBytes: 1GB\n").gemini().maxAttachmentBytes()).isEqualTo(1L << 30);
        assertThat(fx.load("gemini:\n  maxAttachmentBytes: 123456\n").gemini().maxAttachmentBytes()).isEqualTo(123456);
        assertThat(fx.load("", Map.of("GEMINI_BOT_GEMINI_TOOLS", "googleSearch")).gemini().tools())
                .containsExactly(GeminiTool.GOOGLE_SEARCH);
        assertThat(BotConfig.defaults().gemini().tools()).isEmpty();
        assertThat(BotConfig.defaults().gemini().maxAttachmentBytes()).isEqualTo(20L << 20);
    }

    @Test
    void badToolsAndSizesAreNamed() {
        assertThat(fx.problems("gemini:\n  tools: [googleSearch, imageGen]\n  maxAttachmentBytes: 20 parsecs\n"))
                .extracting(ConfigProblem::where)
                .containsExactlyInAnyOrder("gemini.tools", "gemini.maxAttachmentBytes");
    }
}
