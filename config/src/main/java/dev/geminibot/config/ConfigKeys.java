package dev.geminibot.config;

import java.util.List;

/**
 * The names of the settings, for documentation and for the launcher's help. These names are a
 * public interface: deployment files and scripts rely on them.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    /** Every key the YAML file accepts, e.g. {@code streaming.editInterval}, in file order. Secrets are not keys. */
    public static List<String> all() {
        return Key.paths();
    }

    /**
     * The environment variable that overrides {@code key}: {@code GEMINI_BOT_} followed by the key in
     * upper snake case, dots and camelCase humps becoming {@code _}. For example
     * {@code streaming.editInterval} is {@code GEMINI_BOT_STREAMING_EDIT_INTERVAL} and
     * {@code slack.http.port} is {@code GEMINI_BOT_SLACK_HTTP_PORT}. List values are comma-separated.
     * ({@code gemini.baseUrl} and {@code gemini.model} also answer to {@code GEMINI_BASE_URL} and
     * {@code GEMINI_MODEL}.)
     *
     * @throws IllegalArgumentException if {@code key} is not one of {@link #all()}
     */
    public static String envVarFor(String key) {
        return Key.byPath(key).map(Key::envVar)
                .orElseThrow(() -> new IllegalArgumentException("not a configuration key: " + key));
    }

    /** The variables secrets are read from; secrets are never read from the file. */
    public static List<String> secretEnvVars() {
        return SecretKey.all().stream().map(SecretKey::envVar).toList();
    }
}
