package dev.geminibot.slack;

import dev.geminibot.core.ops.PlatformRequestMeter;
import io.micrometer.core.instrument.MeterRegistry;
import okhttp3.Request;

/**
 * Counts every Web API call the Slack SDK makes (an interceptor on the SDK's OkHttp client, so a 429 and
 * the retry after it are both counted) with {@code platform="slack"}. {@code method} is the Web API method
 * name verbatim ({@code chat.update}), the last path segment of the call; {@code status} the HTTP status code (Slack answers most errors with 200 and {@code ok: false}).
 */
final class RequestMeter extends PlatformRequestMeter {
    RequestMeter(MeterRegistry registry) {
        super(registry, SlackRouter.PLATFORM);
    }

    @Override
    protected String method(Request request) {
        return method(request.url().encodedPath());
    }

    /** {@code /api/chat.update} to {@code chat.update}; anything that is not a method name becomes {@code other}. */
    static String method(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[a-zA-Z]+(\\.[a-zA-Z]+)+") ? last : "other";
    }
}
