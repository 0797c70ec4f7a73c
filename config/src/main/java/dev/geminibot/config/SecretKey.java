package dev.geminibot.config;

import java.util.List;
import java.util.Optional;

/**
 * The secrets, each read from exactly one environment variable. They are never read from the YAML
 * file: a file is copied, committed and pasted into chats far more often than an environment is.
 * The {@link #path()} is where the secret sits in the records; it is only used to recognise (and
 * refuse) a secret written into the file.
 */
enum SecretKey {
    GEMINI_API_KEY("gemini.apiKey", "GEMINI_API_KEY"),
    DISCORD_TOKEN("discord.token", "DISCORD_BOT_TOKEN"),
    SLACK_BOT_TOKEN("slack.botToken", "SLACK_BOT_TOKEN"),
    SLACK_APP_TOKEN("slack.appToken", "SLACK_APP_TOKEN"),
    SLACK_SIGNING_SECRET("slack.signingSecret", "SLACK_SIGNING_SECRET"),
    /** May carry a password ({@code redis://:PASSWORD@host:port}), so it is a secret like the tokens. */
    REDIS_URL("state.redisUrl", "REDIS_URL");

    private static final List<SecretKey> ALL = List.of(values());

    private final String path;
    private final String envVar;

    SecretKey(String path, String envVar) {
        this.path = path;
        this.envVar = envVar;
    }

    String path() {
        return path;
    }

    String envVar() {
        return envVar;
    }

    static Optional<SecretKey> byPath(String path) {
        return ALL.stream().filter(k -> k.path.equals(path)).findFirst();
    }

    /** The secret a {@code GEMINI_BOT_…} name would have meant, e.g. {@code GEMINI_BOT_DISCORD_TOKEN}. */
    static Optional<SecretKey> byGeneralEnvVar(String name) {
        return ALL.stream().filter(k -> Key.envVarFor(k.path).equals(name)).findFirst();
    }

    static List<SecretKey> all() {
        return ALL;
    }
}
