package dev.geminibot.core.state;

/**
 * The backend cannot be reached or refused the operation. Callers degrade (answer without history, treat a
 * delivery as first, answer without a lease) instead of failing the user's message. The message names the
 * backend and its host or file, never a password.
 */
public final class StateUnavailableException extends RuntimeException {
    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateUnavailableException(String message) {
        super(message);
    }
}
