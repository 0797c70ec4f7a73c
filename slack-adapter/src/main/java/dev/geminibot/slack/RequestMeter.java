package dev.geminibot.slack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Counts every Web API call the Slack SDK makes, as {@code gemini_bot_platform_requests_total{platform="slack",
 * method, status}}: an OkHttp interceptor on the SDK's client, so a 429 and the retry after it are both
 * counted. {@code method} is the Web API method name verbatim ({@code chat.update}), the last path segment of
 * the call; {@code status} the HTTP status code (Slack answers most errors with 200 and {@code ok: false}).
 */
final class RequestMeter implements Interceptor {
    private final MeterRegistry registry;

    RequestMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String method = method(chain.request().url().encodedPath());
        Response response;
        try {
            response = chain.proceed(chain.request());
        } catch (IOException e) {
            count(method, "io_error");
            throw e;
        }
        count(method, Integer.toString(response.code()));
        return response;
    }

    /** {@code /api/chat.update} to {@code chat.update}; anything that is not a method name becomes {@code other}. */
    static String method(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.matches("[a-zA-Z]+(\\.[a-zA-Z]+)+") ? last : "other";
    }

    private void count(String method, String status) {
        Counter.builder("gemini.bot.platform.requests")
                .description("Calls to the chat platforms' APIs by method and HTTP status")
                .tag("platform", SlackRouter.PLATFORM)
                .tag("method", method)
                .tag("status", status)
                .register(registry)
                .increment();
    }
}
