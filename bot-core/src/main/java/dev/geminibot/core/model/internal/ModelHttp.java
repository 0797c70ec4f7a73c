package dev.geminibot.core.model.internal;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ModelStream;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The transport one model client uses: its OkHttp client with the configured timeouts, its retry
 * policy and its failure mapping. Thread-safe; one per model, shared by all its streams.
 */
public final class ModelHttp {
    private final String provider;
    private final OkHttpClient client;
    private final RetryPolicy retryPolicy;
    private final Failures failures;
    private final int maxRetries;
    private final long idleTimeoutNanos;

    /**
     * @param provider the name shown in messages and logs ({@code "Gemini"})
     * @param config   timeouts, retries and the key (to redact from error messages)
     * @param shared   the client whose connection pool and dispatcher are shared; this transport
     *                 derives its own with {@link #configure}
     */
    public ModelHttp(String provider, GeminiConfig config, OkHttpClient shared) {
        this(provider, config, shared, () -> ThreadLocalRandom.current().nextDouble());
    }

    ModelHttp(String provider, GeminiConfig config, OkHttpClient shared, DoubleSupplier jitter) {
        this.provider = provider;
        this.client = configure(shared, config);
        this.maxRetries = config.maxRetries();
        this.idleTimeoutNanos = config.idleTimeout().toNanos();
        this.retryPolicy = new RetryPolicy(config.maxRetries(), config.retryBaseDelay(), config.retryBudget(), jitter);
        this.failures = new Failures(provider, config.apiKey(), config.idleTimeout(), config.totalTimeout());
    }

    /**
     * A client for streaming: no read timeout (the idle timeout between events is enforced by
     * {@link IdleWatchdog}, which costs a read far less; OkHttp's default 10 s would also kill a model
     * that thinks quietly), the call timeout bounds one whole attempt, and plain sockets say when a read
     * would wait ({@link ModelSockets}, for paced reads). Derived with {@code newBuilder()}, so it shares
     * {@code shared}'s connection pool and threads.
     */
    public static OkHttpClient configure(OkHttpClient shared, GeminiConfig config) {
        return shared.newBuilder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(java.time.Duration.ZERO)
                .writeTimeout(config.idleTimeout())
                .callTimeout(config.totalTimeout())
                .socketFactory(ModelSockets.wrap(shared.socketFactory()))
                .addNetworkInterceptor(ModelSockets::intercept)
                .build();
    }

    /**
     * A stream that sends {@code request} when its iteration starts and decodes each SSE payload with a
     * fresh decoder from {@code decoders} per attempt. No I/O happens here.
     */
    public ModelStream open(Request request, Supplier<StreamDecoder> decoders) {
        return new SseModelStream(this, request, decoders);
    }

    /** Removes the key from a text that came from the server. */
    public String redact(String text) {
        return failures.redact(text);
    }

    String provider() {
        return provider;
    }

    OkHttpClient client() {
        return client;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    Failures failures() {
        return failures;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    IdleWatchdog watchdog() {
        return IdleWatchdog.SHARED;
    }

    int maxRetries() {
        return maxRetries;
    }
}
