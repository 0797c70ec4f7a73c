package dev.geminibot.state;

/**
 * The configured state backend cannot be used at start (an unwritable or corrupt SQLite file, a missing
 * {@code REDIS_URL}). The message names the key or variable and what is wrong, never a password; the
 * launcher prints it and exits with status 2.
 */
public final class StateOpenException extends RuntimeException {
    public StateOpenException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateOpenException(String message) {
        super(message);
    }
}
