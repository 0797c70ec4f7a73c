package dev.geminibot.core.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/**
 * A Gemini API on loopback, for tests: a {@link MockWebServer} that answers with real Gemini wire
 * format (SSE {@code data:} lines of {@code GenerateContentResponse}s, Google error JSON), replays the
 * recorded streams in {@code /gemini-recorded/}, and records what the client sent.
 *
 * <pre>{@code
 * try (FakeGemini gemini = FakeGemini.start()) {
 *     gemini.enqueueStream("Hello", " world");
 *     ChatModel model = ChatModels.fromConfig(gemini.config());
 *     ...
 *     assertThat(gemini.takeRequest().getHeaders().get("x-goog-api-key")).isEqualTo(FakeGemini.API_KEY);
 * }
 * }</pre>
 *
 * Responses are served in the order enqueued (or by a {@link Dispatcher} set with {@link #dispatcher}).
 * Chunked bodies ({@link #enqueueInPieces}) are sent as one HTTP chunk per piece: OkHttp's chunked
 * decoder hands the SSE reader at most one chunk per read, so the pieces are exactly the boundaries the
 * parser sees, whatever TCP does with the writes (which may coalesce or split them further).
 */
public final class FakeGemini implements AutoCloseable {
    /** The key in {@link #config()}: distinctive, so a test can search logs and messages for it. */
    public static final String API_KEY = "AIzaFAKE-k3y-9b1d7e5c";
    public static final String MODEL = "gemini-2.5-flash";

    private final MockWebServer server;
    private final List<Stall> stalls = new CopyOnWriteArrayList<>();

    private FakeGemini(MockWebServer server) {
        this.server = server;
    }

    /**
     * Starts a server that speaks cleartext HTTP/2 only (prior knowledge), as Google's endpoint speaks
     * HTTP/2 (over TLS); a client needs {@code protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))}.
     */
    public static FakeGemini startHttp2() {
        MockWebServer server = new MockWebServer();
        server.setProtocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE));
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeGemini(server);
    }

    /** Starts {@code server}, set up by the caller (TLS, protocols), on a free loopback port. */
    public static FakeGemini start(MockWebServer server) {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeGemini(server);
    }

    /** Starts a server on a free loopback port. */
    public static FakeGemini start() {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(new NoDelayServerSockets());
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FakeGemini(server);
    }

    /**
     * A configuration pointing at this server with {@link #API_KEY}, native wire format, short timeouts
     * (connect 2 s, idle 5 s, total 30 s) and fast retries (2 retries from 1 ms, 1 s budget).
     */
    public GeminiConfig config() {
        return GeminiConfig.defaults()
                .withApiKey(Secret.of(API_KEY))
                .withEndpoint(baseUrl(), WireFormat.GEMINI)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30))
                .withRetries(2, Duration.ofMillis(1), Duration.ofSeconds(1));
    }

    /** {@link #config()} with the OpenAI-compatible wire format. */
    public GeminiConfig openAiConfig() {
        return config().withEndpoint(baseUrl(), WireFormat.OPENAI);
    }

    public URI baseUrl() {
        return server.url("/").uri();
    }

    public MockWebServer server() {
        return server;
    }

    // ---- responses ----

    public FakeGemini enqueue(MockResponse response) {
        server.enqueue(response);
        return this;
    }

    /** Answers with {@code dispatcher} instead of the queue (e.g. to hold responses back). */
    public FakeGemini dispatcher(Dispatcher dispatcher) {
        server.setDispatcher(dispatcher);
        return this;
    }

    /** A 200 {@code text/event-stream} response with {@code body} as it is. */
    public FakeGemini enqueueSse(String body) {
        return enqueue(sse(body).build());
    }

    /** A stream of these answer pieces, then {@code STOP} with usage (see {@link #streamOf}). */
    public FakeGemini enqueueStream(String... deltas) {
        return enqueueSse(streamOf(deltas));
    }

    /** A recorded stream from {@code /gemini-recorded/}, e.g. {@code streaming-success-basic-reply-short.txt}. */
    public FakeGemini enqueueFixture(String name) {
        return enqueueSse(fixture(name));
    }

    /**
     * A 200 SSE response whose body goes out in HTTP chunks of exactly these byte pieces, each in a TCP
     * write of its own (flushed).
     */
    public FakeGemini enqueueInPieces(List<byte[]> pieces) {
        return enqueueInPieces(pieces, true);
    }

    /**
     * As {@link #enqueueInPieces(List)}; with {@code flushEach} false all chunks go out in one write.
     * The client still reads them piece by piece: OkHttp's chunked decoder never returns bytes of two
     * chunks from one read.
     */
    public FakeGemini enqueueInPieces(List<byte[]> pieces, boolean flushEach) {
        return enqueue(chunkedSse().body(new ChunkedBody(pieces, null, flushEach)).build());
    }

    /** A 200 SSE response that sends {@code body} {@code bytesPerPeriod} bytes at a time, pausing between. */
    public FakeGemini enqueueThrottled(String body, long bytesPerPeriod, Duration period) {
        return enqueue(sse(body).throttleBody(bytesPerPeriod, period.toNanos(), TimeUnit.NANOSECONDS).build());
    }

    /** An HTTP error with Google's error JSON: {@code {"error":{"code","message","status"}}}. */
    public FakeGemini enqueueError(int httpCode, String status, String message) {
        return enqueue(json(httpCode, errorJson(httpCode, status, message, null)).build());
    }

    /** 429 RESOURCE_EXHAUSTED with a {@code google.rpc.RetryInfo} asking to wait {@code retryDelay} ("57s"). */
    public FakeGemini enqueueRateLimited(String retryDelay) {
        return enqueue(json(429, errorJson(429, "RESOURCE_EXHAUSTED",
                "You exceeded your current quota, please check your plan and billing details.", retryDelay)).build());
    }

    /** An HTTP error whose body is a recorded error file, e.g. {@code unary-failure-api-key.json}. */
    public FakeGemini enqueueErrorFixture(int httpCode, String name) {
        return enqueue(json(httpCode, fixture(name)).build());
    }

    /**
     * A 200 SSE response that sends {@code first}, then holds the connection open until
     * {@link Stall#release} (or until the client goes away, or 10 s pass). With a {@code heartbeat},
     * it writes an SSE comment that often, which notices a closed connection (see
     * {@link Stall#awaitClientGone}); without one it stays silent (for idle timeouts).
     */
    public Stall enqueueStall(String first, Duration heartbeat) {
        Stall stall = new Stall(heartbeat);
        stalls.add(stall);
        enqueue(chunkedSse().body(new ChunkedBody(List.of(first.getBytes(StandardCharsets.UTF_8)), stall))
                .build());
        return stall;
    }

    /**
     * A 200 SSE response that sends {@code first} and then closes the socket, although its
     * {@code Content-Length} promised more: a connection dropped mid-body.
     */
    public FakeGemini enqueueDroppedAfter(String first) {
        return enqueue(sseHeaders().body(first).setHeader("Content-Length", 1_000_000)
                .onResponseEnd(new SocketEffect.CloseSocket()).build());
    }

    // ---- requests ----

    /** The next request the server received, waiting up to 5 s for it. */
    public RecordedRequest takeRequest() {
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("no request reached the fake Gemini within 5 s");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many requests the server has received so far. */
    public int requestCount() {
        return server.getRequestCount();
    }

    @Override
    public void close() {
        stalls.forEach(Stall::release);
        server.close();
    }

    // ---- wire-format builders ----

    /** A response builder: 200, {@code text/event-stream}, this body. */
    public static MockResponse.Builder sse(String body) {
        return sseHeaders().body(body);
    }

    private static MockResponse.Builder sseHeaders() {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream");
    }

    private static MockResponse.Builder chunkedSse() {
        return sseHeaders().setHeader("Transfer-Encoding", "chunked");
    }

    private static MockResponse.Builder json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json; charset=UTF-8")
                .body(body);
    }

    /**
     * A Gemini SSE body that streams {@code deltas} as answer text, one chunk each, the last with
     * {@code finishReason: STOP} and usage (prompt 5 tokens, one output token per delta), CRLF line ends
     * as Google sends them.
     */
    public static String streamOf(String... deltas) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < deltas.length; i++) {
            boolean last = i == deltas.length - 1;
            body.append(event(chunk(deltas[i], false, last ? "STOP" : null, 5, i + 1)));
        }
        if (deltas.length == 0) {
            body.append(event(chunk(null, false, "STOP", 5, 0)));
        }
        return body.toString();
    }

    /** One SSE event: {@code data: json} and a blank line, CRLF. */
    public static String event(String json) {
        return "data: " + json + "\r\n\r\n";
    }

    /** One {@code GenerateContentResponse} JSON with a text part (or none), optional finish reason and usage. */
    public static String chunk(String text, boolean thought, String finishReason, int promptTokens, int outputTokens) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        if (text != null) {
            ObjectNode part = content.putArray("parts").addObject().put("text", text);
            if (thought) {
                part.put("thought", true);
            }
        }
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        root.putObject("usageMetadata").put("promptTokenCount", promptTokens)
                .put("candidatesTokenCount", outputTokens).put("totalTokenCount", promptTokens + outputTokens);
        root.put("modelVersion", MODEL);
        return root.toString();
    }

    /** Google's error JSON, with a {@code RetryInfo} detail when {@code retryDelay} is not null. */
    public static String errorJson(int code, String status, String message, String retryDelay) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode error = root.putObject("error").put("code", code).put("message", message).put("status", status);
        if (retryDelay != null) {
            ArrayNode details = error.putArray("details");
            details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure");
            details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo").put("retryDelay", retryDelay);
        }
        return root.toPrettyString();
    }

    /** A file from {@code /gemini-recorded/} (or any classpath path starting with '/'), as UTF-8. */
    public static String fixture(String name) {
        String path = name.startsWith("/") ? name : "/gemini-recorded/" + name;
        try (InputStream in = FakeGemini.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits {@code body}'s UTF-8 bytes at these offsets (ascending), for {@link #enqueueInPieces}. */
    public static List<byte[]> cutAt(String body, int... offsets) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int offset : offsets) {
            pieces.add(java.util.Arrays.copyOfRange(bytes, from, offset));
            from = offset;
        }
        pieces.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        pieces.removeIf(piece -> piece.length == 0); // a zero-length chunk would end the body
        return pieces;
    }

    /** Splits {@code body}'s UTF-8 bytes into pieces of 1 to 3 bytes, sizes from a seeded random. */
    public static List<byte[]> crumbs(String body, long seed) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        java.util.Random random = new java.util.Random(seed);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; ) {
            int to = Math.min(bytes.length, from + 1 + random.nextInt(3));
            pieces.add(java.util.Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return pieces;
    }

    /** Bytes for an HTTP chunk frame. */
    static Buffer frame(byte[] piece) {
        Buffer frame = new Buffer();
        frame.writeHexadecimalUnsignedLong(piece.length).writeUtf8("\r\n").write(piece).writeUtf8("\r\n");
        return frame;
    }
}
