package dev.geminibot.core.state;

import java.util.Objects;

/**
 * Whether the store works, in the shape of the readiness checks: UP or DOWN and a one-line detail naming
 * the backend and where it is (a host or a file), never a password.
 */
public record StateHealth(Status status, String detail) {
    public enum Status { UP, DOWN }

    public StateHealth {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    public static StateHealth up(String detail) {
        return new StateHealth(Status.UP, detail);
    }

    public static StateHealth down(String detail) {
        return new StateHealth(Status.DOWN, detail);
    }

    public boolean isUp() {
        return status == Status.UP;
    }
}
