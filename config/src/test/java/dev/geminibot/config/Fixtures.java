package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a YAML file into a test's temporary directory and loads it. */
final class Fixtures {
    private final Path dir;

    Fixtures(Path dir) {
        this.dir = dir;
    }

    Path write(String yaml) {
        try {
            Path file = Files.createTempFile(dir, "bot", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BotConfig load(String yaml) {
        return ConfigLoader.load(write(yaml), Map.of(), dir);
    }

    BotConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(write(yaml), env, dir);
    }

    /** The exception loading must throw. */
    ConfigException failure(String yaml, Map<String, String> env) {
        Path file = write(yaml);
        var holder = new ConfigException[1];
        assertThatThrownBy(() -> ConfigLoader.load(file, env, dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> holder[0] = e);
        return holder[0];
    }

    List<ConfigProblem> problems(String yaml) {
        return failure(yaml, Map.of()).problems();
    }

    List<ConfigProblem> problems(String yaml, Map<String, String> env) {
        return failure(yaml, env).problems();
    }
}
