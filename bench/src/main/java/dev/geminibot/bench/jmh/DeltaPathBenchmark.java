package dev.geminibot.bench.jmh;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.gemini.BenchDecoders;
import dev.geminibot.core.model.internal.ChunkException;
import dev.geminibot.core.model.internal.SseReader;
import dev.geminibot.core.model.internal.StreamDecoder;
import dev.geminibot.core.reply.EditPacer;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.ReplyOptions;
import dev.geminibot.core.reply.StreamingReply;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.VirtualScheduler;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-delta path, in process and without sockets: SSE bytes of a real Gemini stream (built by
 * {@link FakeGemini#streamOf}) served by an OkHttp interceptor, read by the real client
 * ({@link ChatModels#fromConfig}: SSE framing and the Gemini decoder, both on the iterating
 * thread), appended to the real {@link StreamingReply} over a sink that completes at once.
 * Scores are per delta ({@link OperationsPerInvocation}); run with {@code -prof gc} for bytes per delta.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DeltaPathBenchmark {
    /** Deltas in one answer; every score is divided by this. */
    public static final int DELTAS = 200;
    /** A long answer (about 5,000 characters, 35 paragraphs and list items): Discord splits it in three. */
    public static final int LONG_DELTAS = 700;
    private static final MediaType SSE = MediaType.get("text/event-stream");

    private byte[] body;
    private byte[] firstEventOnly;
    private List<String> deltas;
    private List<String> longDeltas;
    private ChatModel model;
    private ChatModel firstModel;
    private ChatRequest request;
    private final ArrayList<StreamEvent> decoded = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        deltas = new ArrayList<>();
        for (int i = 0; i < DELTAS; i++) {
            deltas.add((i == 0 ? "" : " ") + "word" + (i % 17));
        }
        longDeltas = new ArrayList<>();
        for (int i = 0; i < LONG_DELTAS; i++) {
            String gap = i == 0 ? "" : i % 40 == 0 ? "\n\n" : i % 40 == 20 ? "\n- " : " ";
            longDeltas.add(gap + "word" + (i % 17));
        }
        body = FakeGemini.streamOf(deltas.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8);
        firstEventOnly = FakeGemini.streamOf(deltas.get(0)).getBytes(StandardCharsets.UTF_8);
        model = inMemoryModel(body);
        firstModel = inMemoryModel(firstEventOnly);
        request = ChatRequest.of("", "hello");
    }

    /** The real Gemini client whose HTTP calls are answered in memory with {@code sse}. */
    static ChatModel inMemoryModel(byte[] sse) {
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(chain -> new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
                        .code(200).message("OK").header("Content-Type", "text/event-stream")
                        .body(ResponseBody.create(sse, SSE)).build())
                .build();
        GeminiConfig config = GeminiConfig.defaults().withApiKey(Secret.of("bench-key"))
                .withEndpoint(URI.create("http://127.0.0.1:9/"), WireFormat.GEMINI);
        return ChatModels.fromConfig(config, client);
    }

    /** Bytes to events to StreamingReply: the whole per-delta path of one answer, final edit included. */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public Object sseToReply() {
        VirtualScheduler clock = new VirtualScheduler();
        StreamingReply reply = new StreamingReply(new InstantSink(), ReplyOptions.defaults(Duration.ofMillis(500)),
                clock, EditPacer.NONE);
        try (ModelStream stream = model.stream(request)) {
            for (StreamEvent event : stream) {
                if (event instanceof TextDelta delta) {
                    reply.append(delta.text());
                }
            }
        }
        return reply.finish(null).join();
    }

    /**
     * The real client alone: bytes to events through the HTTP call, the SSE reader and the decoder
     * on this thread; no reply. Minus {@link #sseDecodeOnly} (the same framing and decoding without the
     * client), it is the price of the call, the iterator and retry bookkeeping.
     */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public void sseToEvents(Blackhole hole) {
        try (ModelStream stream = model.stream(request)) {
            for (StreamEvent event : stream) {
                hole.consume(event);
            }
        }
    }

    /** SSE framing ({@code SseReader}) and Gemini decoding only, on one thread: no client, no reply. */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public void sseDecodeOnly(Blackhole hole) throws java.io.IOException {
        StreamDecoder decoder = BenchDecoders.gemini();
        SseReader reader = new SseReader(new okio.Buffer().write(body));
        for (byte[] data = reader.next(); data != null; data = reader.next()) {
            decoded.clear();
            try {
                decoder.decode(data, decoded);
            } catch (ChunkException e) {
                throw new IllegalStateException(e);
            }
            hole.consume(decoded.size());
        }
    }

    /**
     * StreamingReply alone, as the model feeds it: one delta every 25 ms of virtual time (40/s), so with
     * a 500 ms interval an edit (cut at a word, healed, rendered) goes out every 20 deltas.
     */
    @Benchmark
    @OperationsPerInvocation(DELTAS)
    public Object replyBookkeeping() {
        return replyAlone(deltas);
    }

    /**
     * StreamingReply alone on a long answer of paragraphs and list items, as {@link #replyBookkeeping}: the
     * cost of an edit that grows with the text (healing it, cutting it into messages) shows here.
     */
    @Benchmark
    @OperationsPerInvocation(LONG_DELTAS)
    public Object replyLongAnswer() {
        return replyAlone(longDeltas);
    }

    /** Feeds {@code answer} to a reply on a virtual clock, one delta per 25 ms, and finishes it. */
    private static Object replyAlone(List<String> answer) {
        VirtualScheduler clock = new VirtualScheduler();
        StreamingReply reply = new StreamingReply(new InstantSink(), ReplyOptions.defaults(Duration.ofMillis(500)),
                clock, EditPacer.NONE);
        for (String delta : answer) {
            reply.append(delta);
            clock.advance(Duration.ofMillis(25));
        }
        return reply.finish(null).join();
    }

    /**
     * Latency from asking the model to the first platform write (the post of the first text), in process:
     * HTTP call through the interceptor, SSE framing, decode, append, post. Sample mode gives
     * its percentiles.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object firstDeltaToPost() {
        InstantSink sink = new InstantSink();
        StreamingReply reply = new StreamingReply(sink, ReplyOptions.defaults(Duration.ofMillis(500)),
                new VirtualScheduler(), EditPacer.NONE);
        try (ModelStream stream = firstModel.stream(request)) {
            Iterator<StreamEvent> events = stream.iterator();
            while (sink.posts == 0 && events.hasNext()) {
                if (events.next() instanceof TextDelta delta) {
                    reply.append(delta.text());
                }
            }
        }
        if (sink.posts != 1) {
            throw new IllegalStateException("the first text was not posted");
        }
        return sink;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoded.clear();
    }

    /** A platform that answers every call at once, inside the call. */
    static final class InstantSink implements MessageSink {
        int posts;
        int edits;

        @Override
        public CompletableFuture<MessageRef> post(String text, boolean live) {
            posts++;
            return CompletableFuture.completedFuture(new MessageRef("m" + posts));
        }

        @Override
        public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
            edits++;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public int maxLength() {
            return 2000;
        }
    }
}
