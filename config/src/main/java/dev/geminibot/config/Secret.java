package dev.geminibot.config;

import java.util.Objects;

/**
 * A secret value (API key, bot token, signing secret). Its {@link #toString()} never shows the value,
 * so a secret can sit inside any record, log line or exception message without leaking.
 * Read the value only where it is sent to its own service, with {@link #reveal()}.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a non-blank value. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be blank");
        }
        return new Secret(value.strip());
    }

    /** The value itself: pass it straight to the service it is for, never to a log or a message. */
    public String reveal() {
        return value;
    }

    /**
     * Replaces every occurrence of this secret in {@code text} with a mask. Used on anything that
     * came back from a service (error bodies can echo the key) before it is logged or shown.
     */
    public String redactFrom(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
