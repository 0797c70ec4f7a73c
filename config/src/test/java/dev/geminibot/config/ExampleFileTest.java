package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docs/bot.example.yaml is the operator's reference: it must load, and it must mention every key. */
class ExampleFileTest {
    // Surefire runs in the module directory; the docs live at the repository root.
    static final Path EXAMPLE = Path.of("..", "docs", "bot.example.yaml");

    @Test
    void theExampleLoadsCleanlyAndSpellsOutTheDefaults() {
        assertThat(ConfigLoader.load(EXAMPLE, Map.of())).isEqualTo(BotConfig.defaults());
    }

    @Test
    void theExampleHasEveryKey() throws Exception {
        List<String> paths = new ArrayList<>();
        collect("", new YAMLMapper().readTree(EXAMPLE.toFile()), paths);

        assertThat(paths).containsExactlyElementsOf(ConfigKeys.all());
    }

    private static void collect(String prefix, JsonNode node, List<String> into) {
        for (var field : node.properties()) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject()) {
                collect(path, field.getValue(), into);
            } else {
                into.add(path);
            }
        }
    }
}
