package dev.geminibot.core.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a model stream failed, in a small set of kinds that callers act on, with a message that is safe
 * to show to a chat user. Messages never contain the API key or the prompt.
 */
public final class ModelException extends RuntimeException {

    /** What went wrong, coarse enough to decide on retry and on what to tell the user. */
    public enum Kind {
        /** The API key was refused (400 API_KEY_INVALID, 401). */
        BAD_KEY("Gemini refused the API key; ask the bot's operator to check GEMINI_API_KEY"),
        /** 403: the key may not use this model or API. */
        PERMISSION("Gemini denied access to this model; ask the bot's operator to check the key's permissions"),
        /** 404: no such model or endpoint. */
        NOT_FOUND("Gemini does not know the configured model; ask the bot's operator to check GEMINI_MODEL"),
        /** Another 4xx: the request was not acceptable. */
        BAD_REQUEST("Gemini could not accept this request"),
        /** 429: quota or rate limit; {@link #retryAfter()} says when to try again, when known. */
        RATE_LIMITED("Gemini's rate limit was reached, try again in a minute"),
        /** 503: the model is overloaded. */
        OVERLOADED("Gemini is overloaded, try again in a minute"),
        /** 500, 504 or another 5xx. */
        SERVER("Gemini had an internal error, try again"),
        /** Could not connect, or the connection dropped before any answer arrived. */
        NETWORK("could not reach Gemini, try again"),
        /** No event within the idle timeout, or the whole answer took too long. */
        TIMEOUT("Gemini took too long to answer"),
        /** The stream broke after part of the answer was received; the partial answer stands. */
        INTERRUPTED("the answer was interrupted"),
        /**
         * The stream ended after part of the answer without saying why it finished (no finish reason):
         * the text stands but may be cut.
         */
        INCOMPLETE("the answer may be cut: Gemini ended it without saying it was finished"),
        /** The stream ended without any answer text or thinking, and without a reason to show. */
        EMPTY("Gemini sent an empty answer"),
        /** The server sent something that is not a valid stream. */
        PROTOCOL("Gemini sent a response the bot could not read"),
        /** {@link ModelStream#cancel()} was called. */
        CANCELLED("stopped");

        private final String userMessage;

        Kind(String userMessage) {
            this.userMessage = userMessage;
        }

        /** A short sentence for a chat user, without secrets or internals. */
        public String userMessage() {
            return userMessage;
        }
    }

    private final Kind kind;
    private final Duration retryAfter;
    private final int httpStatus;

    public ModelException(Kind kind, String message, Duration retryAfter, int httpStatus, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.httpStatus = httpStatus;
    }

    public ModelException(Kind kind, String message) {
        this(kind, message, null, 0, null);
    }

    public Kind kind() {
        return kind;
    }

    /** When the server said to try again (429 {@code RetryInfo}, {@code Retry-After}), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The HTTP status behind this failure, or 0 when there was none (network, inside a stream). */
    public int httpStatus() {
        return httpStatus;
    }

    /** A short sentence for a chat user: the kind's message, with the retry delay when one is known. */
    public String userMessage() {
        if (kind == Kind.RATE_LIMITED && retryAfter != null && !retryAfter.isZero()) {
            long seconds = Math.max(1, retryAfter.toSeconds());
            return "Gemini's rate limit was reached, try again in " + seconds + " s";
        }
        return kind.userMessage();
    }
}
