package dev.geminibot.core.reply;

import java.time.Duration;
import java.util.Optional;

/**
 * A platform call failed. {@link MessageSink} futures complete exceptionally with this; the kind tells
 * the streaming reply whether to wait, retry, or give up on the message.
 */
public final class PlatformException extends RuntimeException {

    public enum Kind {
        /** 429: wait {@link #retryAfter()} and send the latest text then. */
        RATE_LIMITED,
        /** The message or channel is gone (Discord 10008, Slack {@code message_not_found}): stop the answer. */
        GONE,
        /** The bot may not post or edit here (missing permission, not in channel). */
        FORBIDDEN,
        /** 5xx, a timeout, a dropped connection: worth retrying. */
        TRANSIENT,
        /** The platform refused the content (too long, malformed): retrying the same text will not help. */
        REJECTED
    }

    private final Kind kind;
    private final Duration retryAfter;

    public PlatformException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public PlatformException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public static PlatformException rateLimited(Duration retryAfter) {
        return new PlatformException(Kind.RATE_LIMITED, "rate limited for " + retryAfter.toMillis() + " ms",
                retryAfter, null);
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
