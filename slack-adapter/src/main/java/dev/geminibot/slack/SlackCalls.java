package dev.geminibot.slack;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.PlatformException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * Runs one blocking Web API call and turns every way it can fail into a {@link PlatformException}
 * whose kind tells the streaming reply what to do next. Error messages carry Slack's error code only:
 * never a token, never the text that was sent.
 */
final class SlackCalls {

    /** The call that may be retried with the same arguments later. */
    @FunctionalInterface
    interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private static final Set<String> REJECTED = Set.of("msg_too_long", "no_text", "invalid_blocks",
            "invalid_blocks_format", "too_many_attachments", "invalid_arguments", "invalid_form_data",
            "markdown_text_conflict", "streaming_state_conflict");
    private static final Set<String> GONE = Set.of("message_not_found", "thread_not_found", "is_archived",
            "channel_not_found", "cant_update_message_not_found");
    private static final Set<String> FORBIDDEN = Set.of("not_in_channel", "restricted_action",
            "cant_update_message", "not_authed", "invalid_auth", "account_inactive", "token_revoked",
            "missing_scope", "ekm_access_denied", "team_access_not_granted", "access_denied",
            "restricted_action_read_only_channel", "restricted_action_thread_only_channel");
    private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "team_added_to_org");

    private SlackCalls() {
    }

    /** Returns the successful response, or throws the {@link PlatformException} the failure means. */
    static <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (SlackApiException e) {
            throw fromHttp(method, e);
        } catch (IOException e) {
            throw new PlatformException(Kind.TRANSIENT, method + " failed: " + e.getClass().getSimpleName(),
                    null, e);
        }
        if (response.isOk()) {
            return response;
        }
        throw fromError(method, response.getError());
    }

    /** The Slack error code a failure carried ({@code not_in_channel}), or null. */
    static String errorCode(Throwable failure) {
        Throwable t = failure;
        while (t != null && !(t instanceof SlackError)) {
            t = t.getCause();
        }
        return t == null ? null : ((SlackError) t).code;
    }

    private static PlatformException fromHttp(String method, SlackApiException e) {
        int status = e.getResponse().code();
        if (status == 429) {
            return PlatformException.rateLimited(retryAfter(e.getResponse().header("Retry-After")));
        }
        Kind kind = status >= 500 ? Kind.TRANSIENT : Kind.REJECTED;
        String code = e.getError() == null ? null : e.getError().getError();
        return new PlatformException(kind, method + " failed: HTTP " + status + (code == null ? "" : " " + code),
                null, code == null ? null : new SlackError(code));
    }

    static PlatformException fromError(String method, String code) {
        String error = code == null ? "unknown_error" : code;
        if (error.equals("ratelimited")) {
            return PlatformException.rateLimited(Duration.ofSeconds(1));
        }
        Kind kind = REJECTED.contains(error) ? Kind.REJECTED
                : GONE.contains(error) ? Kind.GONE
                : FORBIDDEN.contains(error) ? Kind.FORBIDDEN
                : TRANSIENT.contains(error) ? Kind.TRANSIENT
                : Kind.REJECTED;
        return new PlatformException(kind, method + " failed: " + error, null, new SlackError(error));
    }

    private static Duration retryAfter(String header) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.strip())));
        } catch (RuntimeException missingOrMalformed) {
            return Duration.ofSeconds(1);
        }
    }

    /** Carries Slack's error code as the cause of a {@link PlatformException}. */
    static final class SlackError extends RuntimeException {
        final String code;

        SlackError(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }
}
