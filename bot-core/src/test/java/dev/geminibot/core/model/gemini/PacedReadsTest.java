package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelException.Kind;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.ReadPacing;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.testing.FakeGemini;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponseBody;
import okhttp3.OkHttpClient;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelStream#paceReads}: once a read had to wait for the server, the next network read waits until
 * the consumer needs events, and what arrived meanwhile is read then. Nothing may be lost or reordered, a
 * cancel must still end the stream at once, and the idle timeout must count only waits for the server.
 */
class PacedReadsTest {

    private static final OkHttpClient CLIENT = new OkHttpClient();
    private static final byte[] END = new byte[0];

    FakeGemini gemini;
    /** What the server writes next, one HTTP chunk each, flushed; {@link #END} ends the body. */
    final BlockingQueue<byte[]> pieces = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() {
        gemini = FakeGemini.start();
        gemini.enqueue(FakeGemini.sse("").body(new QueuedBody(pieces, true))
                .removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked").build());
    }

    /**
     * Writes what the test puts in {@code queue}, each piece flushed on its own (as an HTTP/1.1 chunk, or as
     * HTTP/2 DATA), until {@link #END}.
     */
    private record QueuedBody(BlockingQueue<byte[]> queue, boolean chunked) implements MockResponseBody {
        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                for (byte[] piece = queue.poll(10, TimeUnit.SECONDS); piece != null && piece != END;
                        piece = queue.poll(10, TimeUnit.SECONDS)) {
                    if (chunked) {
                        sink.writeHexadecimalUnsignedLong(piece.length).writeUtf8("\r\n").write(piece).writeUtf8("\r\n");
                    } else {
                        sink.write(piece);
                    }
                    sink.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (chunked) {
                sink.writeUtf8("0\r\n");
                sink.flush();
            }
        }
    }

    @AfterEach
    void stop() {
        pieces.add(END);
        gemini.close();
    }

    void send(String text, String finishReason) {
        pieces.add(FakeGemini.event(FakeGemini.chunk(text, false, finishReason, 1, 1)).getBytes(StandardCharsets.UTF_8));
    }

    /** The events as the consumer saw them, each with the time it got it. */
    record Seen(String text, long atNanos) {
    }

    /** Reads on a virtual thread, as the engine does, recording each delta and when it came. */
    static CompletableFuture<Throwable> read(ModelStream stream, List<Seen> seen) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                for (StreamEvent event : stream) {
                    if (event instanceof TextDelta delta) {
                        seen.add(new Seen(delta.text(), System.nanoTime()));
                    }
                }
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        return ended;
    }

    /** Pauses for {@code first} when asked the first time, then never; counts down {@code asked} each time. */
    static ReadPacing pauseOnce(Duration first, CountDownLatch asked, AtomicInteger calls) {
        return () -> {
            asked.countDown();
            return calls.incrementAndGet() == 1 ? first : Duration.ZERO;
        };
    }

    ModelStream stream(GeminiConfig config, ReadPacing pacing) {
        ModelStream stream = new GeminiModel(config, CLIENT).stream(ChatRequest.of("", "hi"));
        stream.paceReads(pacing);
        return stream;
    }

    /** Sends "one", waits until the reader has it and has gone back to wait for the server. */
    void firstEventThenSilence(List<Seen> seen) throws InterruptedException {
        send("one", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(seen).as("the first event arrives").hasSize(1);
        Thread.sleep(50); // the reader now waits for the server: its next read counts as caught up
    }

    @Test
    void eventsThatArriveWhileTheReaderPausesAreReadAfterItInOrder() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch asked = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Throwable> ended = read(stream(gemini.config(), pauseOnce(Duration.ofMillis(600), asked, calls)), seen);
        firstEventThenSilence(seen);

        send(" two", null); // ends the wait: the reader then pauses before its next network read
        assertThat(asked.await(5, TimeUnit.SECONDS)).as("the reader asked its consumer when to read").isTrue();
        send(" three", null);
        send(" four", null);
        send(" five.", "STOP");
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three", " four", " five.");
        // The pause held the reads that followed it (a lower bound: a pause is never shorter).
        long heldFor = seen.get(2).atNanos() - seen.get(1).atNanos();
        assertThat(TimeUnit.NANOSECONDS.toMillis(heldFor)).isGreaterThanOrEqualTo(500);
    }

    /** The end of the stream decides when the final edit goes: once Gemini said it finished, nothing pauses. */
    @Test
    void afterTheFinishReasonTheReaderDoesNotPause() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Throwable> ended = read(stream(gemini.config(), () -> {
            calls.incrementAndGet();
            return Duration.ofSeconds(30);
        }), seen);
        firstEventThenSilence(seen);
        send(" two.", "STOP"); // a read that waited, then the finish reason
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        pieces.add(END);

        assertThat(ended.get(1, TimeUnit.SECONDS)).as("the end is read at once, not after a pause").isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two.");
    }

    @Test
    void withoutPacingEveryEventIsReadAsItComes() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        ModelStream eager = new GeminiModel(gemini.config(), CLIENT).stream(ChatRequest.of("", "hi"));
        CompletableFuture<Throwable> ended = read(eager, seen);
        firstEventThenSilence(seen);

        send(" two", null);
        send(" three.", "STOP");
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
    }

    @Test
    void cancelWakesAPausedReaderAtOnce() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch asked = new CountDownLatch(1);
        ModelStream stream = stream(gemini.config(), pauseOnce(Duration.ofSeconds(30), asked, new AtomicInteger()));
        CompletableFuture<Throwable> ended = read(stream, seen);
        firstEventThenSilence(seen);
        send(" two", null);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();

        stream.cancel();

        assertThat(ended.get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(ModelException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED));
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two");
    }

    @Test
    void aPauseLongerThanTheIdleTimeoutIsNotASilence() throws Exception {
        GeminiConfig config = gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = read(stream(config, pauseOnce(Duration.ofMillis(900), asked,
                new AtomicInteger())), seen);
        firstEventThenSilence(seen);
        send(" two", null);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        send(" three.", "STOP"); // arrives at once; the reader only looks after its pause of 900 ms
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
    }

    @Test
    void aSilenceAfterAPauseIsStillTimedOut() throws Exception {
        GeminiConfig config = gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        CountDownLatch asked = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = read(stream(config, pauseOnce(Duration.ofMillis(100), asked,
                new AtomicInteger())), seen);
        firstEventThenSilence(seen);
        send(" two", null);
        assertThat(asked.await(5, TimeUnit.SECONDS)).isTrue();
        // ... and then nothing: the read after the pause waits for the server, and the watchdog ends it.

        assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ModelException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED); // text came first: the answer was cut
                    assertThat(e.getMessage()).contains("no data from Gemini for PT0.3S");
                });
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two");
    }

    /**
     * Over HTTP/2 (how the bot talks to Google) one read takes everything the stream holds, so a read after a
     * pause that finds events has emptied it: the reader pauses again at once instead of waiting in a read
     * for the next event (one wake-up per edit instead of two).
     */
    @Test
    void overHttp2AReadThatEmptiesTheStreamPausesWithoutWaitingForMore() throws Exception {
        BlockingQueue<byte[]> h2Pieces = new LinkedBlockingQueue<>();
        try (FakeGemini http2 = FakeGemini.startHttp2()) {
            http2.enqueue(FakeGemini.sse("").body(new QueuedBody(h2Pieces, false)).build());
            OkHttpClient h2 = new OkHttpClient.Builder().protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
            List<Seen> seen = new CopyOnWriteArrayList<>();
            List<CountDownLatch> asked = List.of(new CountDownLatch(1), new CountDownLatch(1));
            AtomicInteger calls = new AtomicInteger();
            ReadPacing pacing = () -> {
                int call = calls.getAndIncrement();
                if (call < asked.size()) {
                    asked.get(call).countDown();
                }
                return Duration.ofMillis(300);
            };
            ModelStream stream = new GeminiModel(http2.config(), h2).stream(ChatRequest.of("", "hi"));
            stream.paceReads(pacing);
            CompletableFuture<Throwable> ended = read(stream, seen);
            java.util.function.Consumer<String> send = text -> h2Pieces.add(
                    FakeGemini.event(FakeGemini.chunk(text, false, null, 1, 1)).getBytes(StandardCharsets.UTF_8));

            send.accept("one");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50);
            send.accept(" two"); // the read waited for it: pause 1
            assertThat(asked.get(0).await(5, TimeUnit.SECONDS)).isTrue();
            send.accept(" three"); // arrives during pause 1, read when it ends

            // After that read the stream is empty: pause 2 starts without waiting for another event.
            assertThat(asked.get(1).await(5, TimeUnit.SECONDS))
                    .as("paused again after the read that emptied the stream, before any more data").isTrue();
            assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three");

            h2Pieces.add(FakeGemini.event(FakeGemini.chunk(" four.", false, "STOP", 1, 1)).getBytes(StandardCharsets.UTF_8));
            h2Pieces.add(END);
            assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three", " four.");
        }
    }
}
