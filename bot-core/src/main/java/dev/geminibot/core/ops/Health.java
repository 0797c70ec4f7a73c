package dev.geminibot.core.ops;

import java.util.Objects;

/**
 * One component's readiness as {@code /readyz} shows it: UP or DOWN, and a short detail for the operator
 * (never a secret, an id of a person, or message text).
 *
 * @param status UP when the component can do its work now
 * @param detail why, in a few words, e.g. {@code "2 shards connected"} or {@code "Socket Mode disconnected"}
 */
public record Health(Status status, String detail) {

    /** UP or DOWN; the names are what {@code /readyz} prints. */
    public enum Status { UP, DOWN }

    public Health {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static Health up(String detail) {
        return new Health(Status.UP, detail);
    }

    public static Health down(String detail) {
        return new Health(Status.DOWN, detail);
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
