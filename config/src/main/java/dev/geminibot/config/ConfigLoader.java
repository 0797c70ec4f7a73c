package dev.geminibot.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the bot's configuration from an optional YAML file and the environment, and validates it.
 *
 * <p>Precedence, lowest first: the records' {@code defaults()}, the file, the environment. Secrets
 * come only from the environment ({@code GEMINI_API_KEY}, {@code DISCORD_BOT_TOKEN},
 * {@code SLACK_BOT_TOKEN}, {@code SLACK_APP_TOKEN}, {@code SLACK_SIGNING_SECRET}); any other key is
 * overridden by {@link ConfigKeys#envVarFor the variable named after it}, and {@code gemini.baseUrl}
 * and {@code gemini.model} also by {@code GEMINI_BASE_URL} and {@code GEMINI_MODEL}. A blank
 * variable counts as unset.
 *
 * <p>Loading either returns a complete, valid configuration or throws one {@link ConfigException}
 * listing every problem found; the launcher prints its message and exits with status 2.
 * Stateless and thread-safe; it reads the file and nothing else.
 */
public final class ConfigLoader {
    /** Read from the working directory when no file is named, if it exists. */
    public static final String DEFAULT_FILE_NAME = "bot.yaml";

    private ConfigLoader() {
    }

    /**
     * Loads and validates.
     *
     * @param file the YAML file; {@code null} means {@value #DEFAULT_FILE_NAME} in the working directory
     *             if there is one, else no file (all defaults). A named file that does not exist is a problem.
     * @param env  the environment, usually {@code System.getenv()}
     * @throws ConfigException listing every problem, none of which contains a secret
     */
    public static BotConfig load(Path file, Map<String, String> env) throws ConfigException {
        return load(file, env, Path.of(""));
    }

    /** As {@link #load(Path, Map)}, with the directory that holds the default file given (for tests). */
    static BotConfig load(Path file, Map<String, String> env, Path workingDirectory) {
        Objects.requireNonNull(env, "env");
        Map<SecretKey, Secret> secrets = EnvironmentSource.secrets(env);
        Problems problems = new Problems(List.copyOf(secrets.values()));
        Settings settings = new Settings();

        if (file != null) {
            if (Files.isRegularFile(file)) {
                YamlSource.read(file, settings, problems);
            } else {
                problems.add(file.toString(), (Files.exists(file) ? "is not a file" : "does not exist")
                        + (file.isAbsolute() ? "" : " (looked in " + file.toAbsolutePath().getParent() + ")"));
            }
        } else {
            Path fallback = workingDirectory.resolve(DEFAULT_FILE_NAME);
            if (Files.isRegularFile(fallback)) {
                YamlSource.read(fallback, settings, problems);
            }
        }
        EnvironmentSource.read(env, settings, problems);
        BotConfig config = ConfigAssembler.assemble(settings, secrets);
        CrossChecks.check(config, settings, problems);
        problems.throwIfAny();
        return config;
    }
}
