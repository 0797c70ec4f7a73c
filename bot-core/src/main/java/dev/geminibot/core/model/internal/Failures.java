package dev.geminibot.core.model.internal;

import dev.geminibot.config.Secret;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Maps what went wrong (an HTTP status and error body, an I/O failure, an unreadable chunk) to a
 * {@link ModelException}. Every text that came from the server or the network passes through
 * {@link Secret#redactFrom}, because error bodies can echo the key ({@code "Invalid API key: …"});
 * no message ever includes the prompt.
 */
final class Failures {
    private static final int MAX_SERVER_WORDS = 300;

    private final String provider;
    private final Optional<Secret> key;
    private final Duration idleTimeout;
    private final Duration totalTimeout;

    Failures(String provider, Optional<Secret> key, Duration idleTimeout, Duration totalTimeout) {
        this.provider = provider;
        this.key = key;
        this.idleTimeout = idleTimeout;
        this.totalTimeout = totalTimeout;
    }

    /** The kind for an HTTP status (or the status an in-stream error stands for). */
    static Kind kindFor(int status, ErrorBody body) {
        if (status == 401 || (status == 400 && body.hasReason("API_KEY_INVALID"))) {
            return Kind.BAD_KEY;
        }
        return switch (status) {
            case 403 -> Kind.PERMISSION;
            case 404 -> Kind.NOT_FOUND;
            case 429 -> Kind.RATE_LIMITED;
            case 503 -> Kind.OVERLOADED;
            default -> status >= 500 && status <= 599 ? Kind.SERVER
                    : status >= 400 && status <= 499 ? Kind.BAD_REQUEST
                    : Kind.PROTOCOL;
        };
    }

    /** A non-2xx response. {@code retryAfterHeader} is the raw {@code Retry-After} value or null. */
    ModelException http(int status, ErrorBody body, String retryAfterHeader) {
        Duration retryAfter = body.retryDelay() != null ? body.retryDelay() : parseRetryAfter(retryAfterHeader);
        String message = provider + " answered HTTP " + status + describe(body);
        return new ModelException(kindFor(status, body), message, retryAfter, status, null);
    }

    /** An {@code {"error": …}} object inside a 200 stream. */
    ModelException inStream(ErrorBody body) {
        String message = provider + " reported an error inside the stream" + describe(body);
        return new ModelException(kindFor(body.httpStatus(), body), message, body.retryDelay(), 0, null);
    }

    /** An I/O failure of the call: connect, idle timeout, whole-call timeout, dropped connection. */
    ModelException io(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new ModelException(Kind.TIMEOUT, "no data from " + provider + " for " + idleTimeout,
                    null, 0, e);
        }
        if (isCallTimeout(e)) {
            return new ModelException(Kind.TIMEOUT, provider + "'s answer took longer than " + totalTimeout,
                    null, 0, e);
        }
        return new ModelException(Kind.NETWORK, "connection to " + provider + " failed: " + redact(e.toString()),
                null, 0, e);
    }

    /**
     * True for OkHttp's whole-call timeout ({@code callTimeout}): an {@link InterruptedIOException}
     * that is not a socket (idle) timeout. Not worth retrying: the attempt already used the whole time.
     */
    static boolean isCallTimeout(Throwable e) {
        return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    }

    ModelException protocol(String what, Throwable cause) {
        String detail = cause == null ? "" : " (" + cause.getClass().getSimpleName() + ")";
        return new ModelException(Kind.PROTOCOL, provider + " sent an unreadable stream: " + what + detail,
                null, 0, cause);
    }

    /** The stream ended cleanly with no answer text, no thinking and no reason other than STOP. */
    ModelException empty() {
        return new ModelException(Kind.EMPTY, provider + " sent an empty answer: the stream ended without text",
                null, 0, null);
    }

    /** The stream ended cleanly after some answer, but without a finish reason. */
    ModelException incomplete() {
        return new ModelException(Kind.INCOMPLETE,
                provider + "'s stream ended without a finish reason; the answer may be cut", null, 0, null);
    }

    ModelException cancelled(Throwable cause) {
        return new ModelException(Kind.CANCELLED, "the " + provider + " stream was cancelled", null, 0, cause);
    }

    /** {@code original} happened after part of the answer had been delivered. */
    ModelException interrupted(ModelException original) {
        return new ModelException(Kind.INTERRUPTED,
                "the answer broke off after it had started (" + original.kind() + "): " + original.getMessage(),
                null, original.httpStatus(), original);
    }

    private String describe(ErrorBody body) {
        StringBuilder text = new StringBuilder();
        if (body.status() != null) {
            text.append(' ').append(body.status());
        }
        if (body.message() != null && !body.message().isBlank()) {
            String words = redact(body.message().strip());
            if (words.length() > MAX_SERVER_WORDS) {
                words = words.substring(0, MAX_SERVER_WORDS) + "…";
            }
            text.append(": ").append(words);
        }
        return text.toString();
    }

    String redact(String text) {
        return key.map(secret -> secret.redactFrom(text)).orElse(text);
    }

    /** {@code Retry-After} in delta-seconds; the HTTP-date form is ignored (Google sends seconds). */
    static Duration parseRetryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            return null;
        }
    }
}
