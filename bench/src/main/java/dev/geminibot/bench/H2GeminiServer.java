package dev.geminibot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import okio.BufferedSink;
import org.jetbrains.annotations.NotNull;

/**
 * The HTTP/2 experiment's load generator: the same streams as {@link PacedGeminiServer} (prompt, schedule,
 * bytes, {@code /stats}) over cleartext HTTP/2 with prior knowledge, served by OkHttp's MockWebServer
 * (one thread per stream, sleeping between events). The real Gemini endpoint speaks HTTP/2 over TLS;
 * this measures what multiplexing does to the bot's cost per event, not TLS.
 */
final class H2GeminiServer implements AutoCloseable {
    private static final Pattern PROMPT = Pattern.compile("bench id=(\\d+) deltas=(\\d+) period=(\\d+)");
    private static final int LAG_BUCKETS = 120_001;

    private final MockWebServer server = new MockWebServer();
    private final Map<Long, long[]> starts = new ConcurrentHashMap<>();
    private final AtomicLongArray lag = new AtomicLongArray(LAG_BUCKETS);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong brokenStreams = new AtomicLong();

    H2GeminiServer() throws IOException {
        server.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
        server.setDispatcher(new Dispatcher() {
            @Override
            public @NotNull MockResponse dispatch(@NotNull RecordedRequest request) {
                return H2GeminiServer.this.dispatch(request);
            }
        });
        server.start();
    }

    int port() {
        return server.getPort();
    }

    private MockResponse dispatch(RecordedRequest request) {
        long t0 = System.nanoTime();
        if (request.getTarget().startsWith("/stats")) {
            return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(stats()).build();
        }
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        Matcher m = PROMPT.matcher(body);
        if (!m.find()) {
            return new MockResponse.Builder().code(400).body("{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}")
                    .build();
        }
        long id = Long.parseLong(m.group(1));
        AnswerScript script = AnswerScript.of(id, Integer.parseInt(m.group(2)));
        long period = Long.parseLong(m.group(3)) * 1_000_000L;
        long[] start = {t0, 0};
        starts.put(id, start);
        return new MockResponse.Builder().setHeader("Content-Type", "text/event-stream").body(new MockResponseBody() {
            @Override
            public long getContentLength() {
                return -1;
            }

            @Override
            public void writeTo(@NotNull BufferedSink sink) throws IOException {
                try {
                    for (int i = 0; i < script.size(); i++) {
                        boolean last = i == script.size() - 1;
                        byte[] event = LeanGeminiServer.EVENTS.event(script.deltas().get(i), last, i + 1);
                        long due = t0 + i * period;
                        long wait;
                        while ((wait = due - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        long now = System.nanoTime();
                        sink.write(event);
                        sink.flush();
                        if (i == 0) {
                            start[1] = now;
                        }
                        writes.incrementAndGet();
                        lag.incrementAndGet((int) Math.min(LAG_BUCKETS - 1, (now - due) / 1_000_000L));
                    }
                } catch (IOException e) {
                    brokenStreams.incrementAndGet();
                    throw e;
                }
            }
        }).build();
    }

    private String stats() {
        StringBuilder t0 = new StringBuilder();
        StringBuilder first = new StringBuilder();
        starts.forEach((id, s) -> {
            t0.append(t0.isEmpty() ? "" : ",").append('"').append(id).append("\":").append(s[0]);
            first.append(first.isEmpty() ? "" : ",").append('"').append(id).append("\":").append(s[1]);
        });
        long total = 0;
        for (int i = 0; i < LAG_BUCKETS; i++) {
            total += lag.get(i);
        }
        return "{\"t0\":{" + t0 + "},\"firstWrite\":{" + first + "},\"writes\":" + writes.get() + ",\"brokenStreams\":"
                + brokenStreams.get() + ",\"lagP50\":" + quantile(0.5, total) + ",\"lagP99\":" + quantile(0.99, total)
                + ",\"lagMax\":" + quantile(1.0, total) + "}";
    }

    private long quantile(double q, long total) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < LAG_BUCKETS; i++) {
            seen += lag.get(i);
            if (seen >= rank) {
                return i;
            }
        }
        return LAG_BUCKETS - 1;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Child-process mode, as {@link PacedGeminiServer#serveUntilStdinCloses}. */
    static void serveUntilStdinCloses() throws Exception {
        try (H2GeminiServer server = new H2GeminiServer()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // drain
                    }
                } catch (IOException ignored) {
                    // parent gone
                }
            });
            watchdog.join(15 * 60 * 1000L);
        }
        System.exit(0);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
