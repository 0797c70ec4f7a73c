package dev.geminibot.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the YAML file into {@link Settings}: Jackson parses it into a tree, and this class walks
 * the tree against the key table, so that every unknown key, wrong shape and bad value is reported,
 * not only the first. A {@code null} value ({@code key:} or {@code key: ~}) leaves the default.
 */
final class YamlSource {
    // Duplicate keys are a classic copy-paste accident; by default the last one would silently win.
    private static final ObjectReader READER = new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .reader();

    private final Settings into;
    private final Problems problems;

    private YamlSource(Settings into, Problems problems) {
        this.into = into;
        this.problems = problems;
    }

    /** Reads {@code file}, which exists; problems go to {@code problems}, good values to {@code into}. */
    static void read(Path file, Settings into, Problems problems) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = READER.readTree(in);
        } catch (JacksonException e) {
            problems.add(file.toString(), syntaxError(e));
            return;
        } catch (IOException e) {
            problems.add(file.toString(), "cannot be read (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file: all defaults
        }
        if (!root.isObject()) {
            problems.add(file.toString(), "must be a map of sections (" + String.join(":, ", topSections())
                    + ":), not " + shape(root));
            return;
        }
        new YamlSource(into, problems).walk("", root);
    }

    private void walk(String prefix, JsonNode section) {
        for (Map.Entry<String, JsonNode> field : section.properties()) {
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            var key = Key.byPath(path);
            var secret = SecretKey.byPath(path);
            if (key.isPresent()) {
                bind(key.get(), value);
            } else if (Key.isSection(path)) {
                if (value.isObject()) {
                    walk(path, value);
                } else if (!value.isNull()) {
                    problems.add(path, "is a section, so it takes keys (" + keysUnder(path) + "), not " + shape(value));
                }
            } else if (secret.isPresent()) {
                problems.add(path, "secrets are not read from the file: remove it and set "
                        + secret.get().envVar() + " in the environment instead");
            } else {
                problems.add(path, unknownKey(path));
            }
        }
    }

    private void bind(Key key, JsonNode node) {
        ValueType type = key.type();
        try {
            if (node.isNull()) {
                return;
            } else if (node.isObject()) {
                problems.add(key.path(), "expected " + expected(type) + ", found a section (a map)");
            } else if (node.isArray()) {
                if (!type.isList()) {
                    problems.add(key.path(), "expected a single value, found a list");
                    return;
                }
                List<String> items = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    JsonNode item = node.get(i);
                    if (!item.isValueNode() || item.isNull()) {
                        problems.add(key.path(), "item " + (i + 1) + ": expected a value, found " + shape(item));
                        return;
                    }
                    items.add(item.asText());
                }
                into.put(key, type.parseItems(items), key.path());
            } else {
                // A scalar where a list belongs reads as comma-separated, exactly as from the environment.
                Object value = type.isList() ? type.parseCommaSeparated(node.asText()) : type.parseOne(node.asText());
                into.put(key, value, key.path());
            }
        } catch (InvalidValue e) {
            problems.add(key.path(), e);
        }
    }

    /** An unknown key never has its value shown: it might be a secret under a misspelt name. */
    private static String unknownKey(String path) {
        List<String> candidates = Stream.of(
                Key.paths().stream(), Key.sections().stream(), SecretKey.all().stream().map(SecretKey::path))
                .flatMap(s -> s).toList();
        var suggestion = Suggestions.closest(path, candidates)
                .or(() -> Suggestions.closestByLastName(path, Key.paths()));
        if (suggestion.isPresent()) {
            String s = suggestion.get();
            var secret = SecretKey.byPath(s);
            return secret.isPresent()
                    ? "unknown key (did you mean `" + s + "`? secrets are not read from the file: set "
                            + secret.get().envVar() + " in the environment instead)"
                    : "unknown key (did you mean `" + s + "`?)";
        }
        int dot = path.lastIndexOf('.');
        String parent = dot < 0 ? "" : path.substring(0, dot);
        if (parent.isEmpty()) {
            return "unknown section (sections: " + String.join(", ", topSections()) + ")";
        }
        return Key.isSection(parent) ? "unknown key (keys in `" + parent + "`: " + keysUnder(parent) + ")" : "unknown key";
    }

    private static List<String> topSections() {
        return Key.paths().stream().map(p -> p.substring(0, p.indexOf('.'))).distinct().toList();
    }

    private static String keysUnder(String section) {
        return String.join(", ", Key.paths().stream()
                .filter(p -> p.startsWith(section + "."))
                .map(p -> p.substring(section.length() + 1))
                .toList());
    }

    private static String expected(ValueType type) {
        return type.isList() ? "a list" : "a single value";
    }

    private static String shape(JsonNode node) {
        if (node.isObject()) return "a section (a map)";
        if (node.isArray()) return "a list";
        if (node.isNull()) return "an empty value";
        return "a single value";
    }

    /**
     * Says what is wrong and where, without the source snippet that SnakeYAML's own message
     * quotes: the line at fault could hold a secret someone pasted into the file.
     */
    private static String syntaxError(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                var at = yaml.getProblemMark();
                var started = yaml.getContextMark();
                String what = yaml.getContext() == null ? yaml.getProblem()
                        : yaml.getContext() + (started == null || started.getLine() == at.getLine() ? ""
                                : " that starts at line " + (started.getLine() + 1) + ", column " + (started.getColumn() + 1))
                                + ", " + yaml.getProblem();
                return "is not valid YAML at line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": " + what;
            }
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String original = e.getOriginalMessage();
        if (original != null && original.startsWith("Duplicate field '")) {
            String name = original.substring("Duplicate field '".length(), original.indexOf('\'', "Duplicate field '".length()));
            return "has the key `" + name + "` twice in one section" + where;
        }
        return "is not valid YAML" + where;
    }
}
