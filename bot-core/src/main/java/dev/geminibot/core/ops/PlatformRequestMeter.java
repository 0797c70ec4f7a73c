package dev.geminibot.core.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Counts every call a platform's HTTP client makes, as {@code gemini_bot_platform_requests_total{platform,
 * method, status}}: an OkHttp interceptor on the platform library's own client, so each attempt is counted
 * where it happens, retries after a 429 included. {@code status} is the HTTP code, or {@code io_error} when
 * no response came. Each adapter says how a request becomes a {@code method} label, from a small fixed set
 * of values (never an id or a token).
 */
public abstract class PlatformRequestMeter implements Interceptor {
    private final MeterRegistry registry;
    private final String platform;

    protected PlatformRequestMeter(MeterRegistry registry, String platform) {
        this.registry = registry;
        this.platform = platform;
    }

    /** The {@code method} label of this request. */
    protected abstract String method(Request request);

    @Override
    public final Response intercept(Chain chain) throws IOException {
        String method = method(chain.request());
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

    private void count(String method, String status) {
        Counter.builder("gemini.bot.platform.requests")
                .description("Calls to the chat platforms' APIs by method and HTTP status")
                .tag("platform", platform)
                .tag("method", method)
                .tag("status", status)
                .register(registry)
                .increment();
    }
}
