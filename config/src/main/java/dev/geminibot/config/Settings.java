package dev.geminibot.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values that parsed, by key, each with where it came from (a key path for the file, a variable
 * name for the environment) so that later checks can name the right place. A later {@link #put}
 * wins, which is how the environment overrides the file. Confined to one load.
 */
final class Settings {
    private final Map<Key, Object> values = new EnumMap<>(Key.class);
    private final Map<Key, String> origins = new EnumMap<>(Key.class);

    /** @param value of the Java type {@link ValueType} produces for {@code key}'s type */
    void put(Key key, Object value, String origin) {
        values.put(key, value);
        origins.put(key, origin);
    }

    /** The configured value, or {@code fallback} (the default) when none was configured. */
    @SuppressWarnings("unchecked") // put() receives what key.type() parsed, which is the component's type
    <T> T get(Key key, T fallback) {
        return values.containsKey(key) ? (T) values.get(key) : fallback;
    }

    /** For components that are {@code Optional}: the configured value, or {@code fallback}. */
    @SuppressWarnings("unchecked")
    <T> Optional<T> optional(Key key, Optional<T> fallback) {
        return values.containsKey(key) ? Optional.of((T) values.get(key)) : fallback;
    }

    /** Where {@code key}'s value came from: the variable that set it, else the key path itself. */
    String origin(Key key) {
        return origins.getOrDefault(key, key.path());
    }
}
