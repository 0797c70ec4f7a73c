package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.ConfigException;
import dev.geminibot.config.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config} option every command shares, and loading it with the environment. */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML settings file (default: bot.yaml in the working directory, if present). "
                    + "Environment variables override it.")
    Path file;

    /** Who reads the logs. */
    enum Audience {
        /** {@code chat} and {@code ask}: a person at a terminal; only warnings, on stderr. */
        TERMINAL,
        /** {@code run}: an operator's log collector; {@code logging.format} decides. */
        SERVICE
    }

    /**
     * Loads and validates, then sets up logging for {@code audience}; on problems prints them all and
     * returns null (exit with status 2).
     */
    BotConfig load(Map<String, String> env, PrintWriter err, Audience audience) {
        if (audience == Audience.TERMINAL) {
            Logging.quietUnlessAsked(env);
        }
        BotConfig settings;
        try {
            settings = ConfigLoader.load(file, env);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            err.flush();
            return null;
        }
        if (audience == Audience.SERVICE) {
            Logging.use(settings.ops().logFormat());
        }
        return settings;
    }
}
