package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No secret value ever appears in a message, a record's toString or a report. */
class SecretRedactionTest {
    static final String GEMINI_KEY = "AIzaSy-VERY-DISTINCTIVE-gemini-key-0123456789abcdefghijklmnopqrstuvwxyz";
    static final String DISCORD = "MTIz.DISTINCTIVE-discord-token.0123456789";
    static final String SLACK_BOT = "xoxb-DISTINCTIVE-slack-bot-token";
    static final String SLACK_APP = "xapp-DISTINCTIVE-slack-app-token";
    static final String SIGNING = "DISTINCTIVE-signing-secret";

    @TempDir
    Path dir;
    Fixtures fx;

    @BeforeEach
    void setUp() {
        fx = new Fixtures(dir);
    }

    private static Map<String, String> secretsEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("GEMINI_API_KEY", GEMINI_KEY);
        env.put("DISCORD_BOT_TOKEN", DISCORD);
        env.put("SLACK_BOT_TOKEN", SLACK_BOT);
        env.put("SLACK_APP_TOKEN", SLACK_APP);
        env.put("SLACK_SIGNING_SECRET", SIGNING);
        return env;
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(GEMINI_KEY, DISCORD, SLACK_BOT, SLACK_APP, SIGNING)
                // nor a recognisable piece of one (a shortened quote would leave a prefix)
                .doesNotContain("VERY-DISTINCTIVE", "DISTINCTIVE-discord", "DISTINCTIVE-slack", "DISTINCTIVE-signing");
    }

    @Test
    void secretToStringHidesTheValue() {
        Secret s = Secret.of(GEMINI_KEY);

        assertThat(s.toString()).isEqualTo("Secret[****]");
        assertThat(s.reveal()).isEqualTo(GEMINI_KEY);
        assertThat(s.redactFrom("error: key " + GEMINI_KEY + " invalid")).isEqualTo("error: key **** invalid");
    }

    @Test
    void aLoadedConfigPrintsNoSecret() {
        BotConfig c = fx.load("", secretsEnv());

        assertNoSecretIn(c.toString());
    }

    @Test
    void secretsPastedIntoTheWrongPlacesNeverReachTheReport() {
        Map<String, String> env = secretsEnv();
        // An operator pastes tokens into ordinary settings, long enough that a report would shorten them.
        env.put("GEMINI_BOT_GEMINI_WIRE_FORMAT", GEMINI_KEY);
        env.put("GEMINI_MODEL", "  ");
        env.put("GEMINI_BOT_DISCORD_GUILD_IDS", "1," + DISCORD);
        env.put("GEMINI_BOT_SLACK_API_BASE_URL", SLACK_BOT);
        env.put("GEMINI_BOT_SLACK_TOKEN", SLACK_APP);
        env.put("GEMINI_BOT_DISCORD_TOKEN", DISCORD);

        ConfigException e = fx.failure("""
                gemini:
                  apiKey: %s
                  apikey: %s
                  wireFormat: %s
                  connectTimeout: %s
                discord:
                  token: %s
                  restBaseUrl: https://user:%s@example.com/
                slack:
                  botToken: %s
                  mode: %s
                  nonsense: %s
                  allowedUsers: [%s]
                """.formatted(GEMINI_KEY, GEMINI_KEY, GEMINI_KEY, SIGNING, DISCORD, DISCORD, SLACK_BOT,
                SLACK_APP, SLACK_APP, SLACK_BOT), env);

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(12);
        assertNoSecretIn(e.getMessage());
        for (ConfigProblem p : e.problems()) {
            assertNoSecretIn(p.toString());
        }
        assertThat(e.getMessage()).contains("'****' is not one of: gemini, openai");
    }

    @Test
    void aSyntaxErrorDoesNotQuoteTheOffendingLine() {
        ConfigException e = fx.failure("gemini:\n  apiKey: \"" + GEMINI_KEY + "\n  model: : x\n", Map.of());

        assertNoSecretIn(e.getMessage());
        assertThat(e.problems().getFirst().message()).contains("line ");
    }
}
