package dev.geminibot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.geminibot.core.testing.FakeGemini;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Gemini for load: thousands of concurrent {@code streamGenerateContent?alt=sse} streams, each
 * paced (N deltas, one every P ms). The bytes are FakeGemini's ({@link FakeGemini#event},
 * {@link FakeGemini#chunk}): the same wire format the unit tests replay. It is not FakeGemini itself
 * because MockWebServer serves each connection on a platform thread and paces only by bytes per period;
 * this uses the JDK's {@code HttpServer} with one virtual thread per exchange, which sleeps between
 * events for free.
 *
 * <p>The prompt says what to stream: {@code bench id=ID deltas=N period=P}; the text is
 * {@link AnswerScript#of}(ID, N). Delta {@code i} is written at {@code t0 + i*P}, where t0 is when the
 * request arrived ({@link System#nanoTime}, which on Linux is CLOCK_MONOTONIC and so comparable between
 * processes on one machine). {@code GET /stats} returns t0 per id and how late the writes were. With the
 * environment variable {@code BENCH_DEBUG} set it prints the first writes of each stream to stderr.
 */
final class PacedGeminiServer implements AutoCloseable {
    private static final Pattern PROMPT = Pattern.compile("bench id=(\\d+) deltas=(\\d+) period=(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean DEBUG = System.getenv("BENCH_DEBUG") != null;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final FakeStats stats = new FakeStats();

    PacedGeminiServer(int backlog) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        server.setExecutor(executor);
        server.createContext("/v1beta/", this::stream);
        server.createContext("/stats", this::stats);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void stream(HttpExchange exchange) throws IOException {
        long t0 = System.nanoTime();
        try (exchange) {
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                request = JSON.readTree(in);
            }
            JsonNode contents = request.path("contents");
            String prompt = contents.path(contents.size() - 1).path("parts").path(0).path("text").asText("");
            Matcher m = PROMPT.matcher(prompt);
            if (!m.find()) {
                byte[] error = FakeGemini.errorJson(400, "INVALID_ARGUMENT", "not a bench prompt", null)
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(400, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            long id = Long.parseLong(m.group(1));
            AnswerScript script = AnswerScript.of(id, Integer.parseInt(m.group(2)));
            long period = Long.parseLong(m.group(3)) * 1_000_000L;
            long[] start = stats.started(id, t0);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < script.size(); i++) {
                boolean last = i == script.size() - 1;
                byte[] event = event(script.delta(i), last, i + 1);
                long due = t0 + i * period;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long now = System.nanoTime();
                out.write(event);
                out.flush();
                if (i == 0) {
                    start[1] = now;
                }
                if (DEBUG && i < 3) {
                    System.err.printf("%.3f server wrote delta %d of %d (t0 %.3f)%n", now / 1e6, i, id, t0 / 1e6);
                }
                stats.wrote(due, now);
            }
            out.close();
        } catch (IOException e) {
            stats.broken();
        }
    }

    // FakeGemini.chunk builds each chunk with a Jackson tree; at 400,000 events/s that would eat the CPU
    // the bot under test needs, so its output is built once as a template and filled in per event.
    private static final String TEXT = "@@TEXT@@";
    private static final int TOKENS = 987_654_321;
    private static final String MIDDLE = FakeGemini.event(FakeGemini.chunk(TEXT, false, null, 5, TOKENS));
    private static final String LAST = FakeGemini.event(FakeGemini.chunk(TEXT, false, "STOP", 5, TOKENS));

    /** Exactly {@code FakeGemini.event(FakeGemini.chunk(text, false, last ? "STOP" : null, 5, outputTokens))}. */
    static byte[] event(String text, boolean last, int outputTokens) {
        String escaped;
        try {
            String quoted = JSON.writeValueAsString(text);
            escaped = quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return (last ? LAST : MIDDLE).replace(TEXT, escaped)
                .replace(Integer.toString(TOKENS + 5), Integer.toString(outputTokens + 5))
                .replace(Integer.toString(TOKENS), Integer.toString(outputTokens))
                .getBytes(StandardCharsets.UTF_8);
    }

    private void stats(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = stats.json();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Child-process mode: see {@link FakeStats#serveUntilStdinCloses}. */
    static void serveUntilStdinCloses() throws Exception {
        PacedGeminiServer server = new PacedGeminiServer(16_384);
        FakeStats.serveUntilStdinCloses(server, server.port());
    }
}
