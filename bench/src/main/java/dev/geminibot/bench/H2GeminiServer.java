package dev.geminibot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    private final MockWebServer server = new MockWebServer();
    private final FakeStats stats = new FakeStats();

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
            try {
                return new MockResponse.Builder().setHeader("Content-Type", "application/json")
                        .body(new String(stats.json(), StandardCharsets.UTF_8)).build();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
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
        long[] start = stats.started(id, t0);
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
                        byte[] event = LeanGeminiServer.EVENTS.event(script.delta(i), last, i + 1);
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
                        stats.wrote(due, now);
                    }
                } catch (IOException e) {
                    stats.broken();
                    throw e;
                }
            }
        }).build();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Child-process mode: see {@link FakeStats#serveUntilStdinCloses}. */
    static void serveUntilStdinCloses() throws Exception {
        H2GeminiServer server = new H2GeminiServer();
        FakeStats.serveUntilStdinCloses(server, server.port());
    }
}
