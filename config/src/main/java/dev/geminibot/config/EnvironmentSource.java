package dev.geminibot.config;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the environment: the secrets, and overrides of any key ({@code GEMINI_BOT_…}, plus the short
 * {@code GEMINI_BASE_URL} and {@code GEMINI_MODEL}). A blank variable counts as unset, because
 * deployment files often declare a variable with an empty value to mean "not used here".
 */
final class EnvironmentSource {
    /**
     * Variables with the prefix that the launcher script reads ({@code ./gemini-bot}, {@code .mvn/jdk.sh}) and
     * hands on to this process's environment: not settings, and not mistakes.
     */
    static final Set<String> LAUNCHER_VARIABLES = Set.of("GEMINI_BOT_JAVA_OPTS", "GEMINI_BOT_JDK_DIRS");

    private EnvironmentSource() {
    }

    /** The secrets that are set, by key. */
    static Map<SecretKey, Secret> secrets(Map<String, String> env) {
        Map<SecretKey, Secret> secrets = new EnumMap<>(SecretKey.class);
        for (SecretKey key : SecretKey.all()) {
            value(env, key.envVar()).ifPresent(v -> secrets.put(key, Secret.of(v)));
        }
        return secrets;
    }

    /** Puts every override into {@code into} (so it wins over the file) and reports bad or unknown ones. */
    static void read(Map<String, String> env, Settings into, Problems problems) {
        Set<String> known = new HashSet<>(LAUNCHER_VARIABLES);
        for (Key key : Key.all()) {
            known.add(key.envVar());
            key.shortEnvVar().ifPresent(known::add);
            Optional<String> general = value(env, key.envVar());
            Optional<String> shortName = key.shortEnvVar().flatMap(name -> value(env, name));
            if (general.isPresent() && shortName.isPresent() && !general.get().strip().equals(shortName.get().strip())) {
                problems.add(key.shortEnvVar().get(), "differs from " + key.envVar() + "; set only one of them");
                continue;
            }
            String origin = general.isPresent() ? key.envVar() : key.shortEnvVar().orElse(key.envVar());
            Optional<String> text = general.or(() -> shortName);
            if (text.isEmpty()) {
                continue;
            }
            try {
                ValueType type = key.type();
                into.put(key, type.isList() ? type.parseCommaSeparated(text.get()) : type.parseOne(text.get()), origin);
            } catch (InvalidValue e) {
                problems.add(origin, e);
            }
        }
        // Sorted, so that the report is the same from run to run.
        for (String name : new TreeMap<>(env).keySet()) {
            if (name.startsWith(Key.ENV_PREFIX) && !known.contains(name) && value(env, name).isPresent()) {
                problems.add(name, unknownVariable(name));
            }
        }
    }

    private static String unknownVariable(String name) {
        var secret = SecretKey.byGeneralEnvVar(name);
        if (secret.isPresent()) {
            return "is not read: this secret comes from " + secret.get().envVar() + " only";
        }
        List<String> candidates = Stream.concat(
                Key.all().stream().map(Key::envVar),
                SecretKey.all().stream().map(k -> Key.envVarFor(k.path()))).toList();
        return Suggestions.closest(name, candidates)
                .map(s -> SecretKey.byGeneralEnvVar(s)
                        .map(k -> "matches no setting (did you mean the secret " + k.envVar() + "?)")
                        .orElse("matches no setting (did you mean " + s + "?)"))
                .orElse("matches no setting (key streaming.editInterval is GEMINI_BOT_STREAMING_EDIT_INTERVAL, and so on;"
                        + " docs/bot.example.yaml lists every key)");
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
