package dev.geminibot.discord;

import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.PlatformException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;

/** Maps what a JDA RestAction failed with to the platform-neutral {@link PlatformException}. */
final class PlatformErrors {

    private PlatformErrors() {
    }

    static PlatformException map(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof PlatformException platform) {
            return platform;
        }
        if (t instanceof RateLimitedException limited) {
            return new PlatformException(Kind.RATE_LIMITED, "Discord rate limit on " + limited.getRateLimitedRoute(),
                    Duration.ofMillis(Math.max(0, limited.getRetryAfter())), t);
        }
        if (t instanceof InsufficientPermissionException missing) {
            return new PlatformException(Kind.FORBIDDEN, "missing permission " + missing.getPermission().getName(),
                    null, t);
        }
        if (t instanceof ErrorResponseException error) {
            return switch (error.getErrorResponse()) {
                // 10008 Unknown Message: someone deleted the answer; 10003 the channel or thread is gone;
                // 10015/10062/50027: the interaction token is no longer valid for this message.
                case UNKNOWN_MESSAGE, UNKNOWN_CHANNEL, UNKNOWN_WEBHOOK, UNKNOWN_INTERACTION, INVALID_WEBHOOK_TOKEN ->
                        new PlatformException(Kind.GONE, "Discord: " + error.getMeaning(), null, t);
                case MISSING_ACCESS, MISSING_PERMISSIONS, THREAD_LOCKED, CANNOT_SEND_TO_USER,
                     REPLY_FAILED_MISSING_MESSAGE_HISTORY_PERM ->
                        new PlatformException(Kind.FORBIDDEN, "Discord: " + error.getMeaning(), null, t);
                default -> error.isServerError() || error.getErrorCode() == -1
                        ? new PlatformException(Kind.TRANSIENT, "Discord: " + error.getMeaning(), null, t)
                        : new PlatformException(Kind.REJECTED, "Discord: " + error.getMeaning(), null, t);
            };
        }
        if (t instanceof IOException || t instanceof TimeoutException) {
            return new PlatformException(Kind.TRANSIENT, "Discord unreachable: " + t.getClass().getSimpleName(), null, t);
        }
        return new PlatformException(Kind.TRANSIENT, "Discord call failed: " + t, null, t);
    }
}
