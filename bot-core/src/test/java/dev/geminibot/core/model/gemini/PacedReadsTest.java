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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ModelStream#paceReads}: once the reader has read everything that arrived, it holds its next read until
 * the consumer needs events (or wakes it), and what arrived meanwhile is read then. Nothing may be lost or
 * reordered, a cancel must still end the stream at once, and the idle timeout must count only waits for the
 * server.
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

    /**
     * The consumer's side: once the first text was seen, answers the reader's {@code caughtUp} with the holds in
     * {@code holds} (then {@code rest}); before it, zero (as a streaming reply does). Keeps the last wake-up.
     */
    static final class Consumer implements ReadPacing {
        final List<Seen> seen;
        final BlockingQueue<Duration> holds = new LinkedBlockingQueue<>();
        volatile Duration rest = Duration.ZERO;
        final AtomicInteger asked = new AtomicInteger();
        final Semaphore askedSignal = new Semaphore(0);
        volatile BooleanSupplier wake;

        Consumer(List<Seen> seen) {
            this.seen = seen;
        }

        @Override
        public Duration caughtUp(BooleanSupplier wakeUp) {
            if (seen.isEmpty()) {
                return Duration.ZERO;
            }
            wake = wakeUp;
            asked.incrementAndGet();
            askedSignal.release();
            Duration next = holds.poll();
            return next != null ? next : rest;
        }

        void awaitAsked(String why) throws InterruptedException {
            assertThat(askedSignal.tryAcquire(5, TimeUnit.SECONDS)).as(why).isTrue();
        }
    }

    ModelStream stream(GeminiConfig config, ReadPacing pacing) {
        ModelStream stream = new GeminiModel(config, CLIENT).stream(ChatRequest.of("", "hi"));
        stream.paceReads(pacing);
        return stream;
    }

    /** Reads on a virtual thread, sends "one" and returns once the reader holds after it. */
    CompletableFuture<Throwable> holdingAfterFirst(GeminiConfig config, Consumer consumer, List<Seen> seen)
            throws InterruptedException {
        CompletableFuture<Throwable> ended = read(stream(config, consumer), seen);
        send("one", null);
        consumer.awaitAsked("holding after the first event");
        return ended;
    }

    void awaitSeen(List<Seen> seen, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(seen).hasSize(count);
    }

    /**
     * Over HTTP/1.1 the socket says when a read would wait: the reader holds as soon as it has read what
     * arrived, not after a read that waited for the next event.
     */
    @Test
    void eventsThatArriveDuringAHoldAreReadAfterItInOrder() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.holds.add(Duration.ofMillis(600));
        CompletableFuture<Throwable> ended = read(stream(gemini.config(), consumer), seen);

        send("one", null);
        consumer.awaitAsked("the reader caught up after the first event, with no second one sent");
        assertThat(seen).extracting(Seen::text).containsExactly("one");
        send(" two", null);
        send(" three", null);
        send(" four.", "STOP");
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three", " four.");
        // The hold kept the reads that followed it back (a lower bound: a hold is never shorter).
        long heldFor = seen.get(1).atNanos() - seen.get(0).atNanos();
        assertThat(TimeUnit.NANOSECONDS.toMillis(heldFor)).isGreaterThanOrEqualTo(500);
    }

    @Test
    void theConsumersWakeUpEndsAHoldAtOnce() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.rest = Duration.ofSeconds(30); // longer than any guard: only the wake-up ends it early
        CompletableFuture<Throwable> ended = holdingAfterFirst(gemini.config(), consumer, seen);
        send(" two", null);
        Thread.sleep(100);
        assertThat(seen).as("held").hasSize(1);

        long woken = System.nanoTime();
        assertThat(consumer.wake.getAsBoolean()).as("the wake-up ended a hold").isTrue();
        awaitSeen(seen, 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(seen.get(1).atNanos() - woken)).isLessThan(1_000);
        consumer.awaitAsked("caught up again after reading what came during the hold");
        BooleanSupplier second = consumer.wake;
        consumer.rest = Duration.ZERO; // from now on the reader reads on
        assertThat(second.getAsBoolean()).isTrue();
        assertThat(second.getAsBoolean()).as("a second run of the same wake-up finds no hold").isFalse();

        send(" three.", "STOP");
        pieces.add(END);
        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
    }

    /** The end of the stream decides when the final edit goes: once Gemini said it finished, nothing holds. */
    @Test
    void afterTheFinishReasonTheReaderDoesNotHold() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.rest = Duration.ofSeconds(30);
        CompletableFuture<Throwable> ended = holdingAfterFirst(gemini.config(), consumer, seen);
        send(" two.", "STOP");
        consumer.wake.getAsBoolean();
        awaitSeen(seen, 2);
        Thread.sleep(50);
        pieces.add(END);

        assertThat(ended.get(1, TimeUnit.SECONDS)).as("the end is read at once, not after a hold").isNull();
        assertThat(consumer.asked).as("no hold after the finish reason").hasValue(1);
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two.");
    }

    @Test
    void withoutPacingEveryEventIsReadAsItComes() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        ModelStream eager = new GeminiModel(gemini.config(), CLIENT).stream(ChatRequest.of("", "hi"));
        CompletableFuture<Throwable> ended = read(eager, seen);
        send("one", null);
        awaitSeen(seen, 1);

        send(" two", null);
        awaitSeen(seen, 2);
        send(" three.", "STOP");
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
    }

    @Test
    void cancelWakesAHoldingReaderAtOnce() throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.rest = Duration.ofSeconds(30);
        ModelStream stream = stream(gemini.config(), consumer);
        CompletableFuture<Throwable> ended = read(stream, seen);
        send("one", null);
        consumer.awaitAsked("holding after the first event");
        send(" two", null); // never read: the hold is cancelled

        stream.cancel();

        assertThat(ended.get(1, TimeUnit.SECONDS)).isInstanceOfSatisfying(ModelException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED));
        assertThat(seen).extracting(Seen::text).containsExactly("one");
    }

    @Test
    void aHoldLongerThanTheIdleTimeoutIsNotASilence() throws Exception {
        GeminiConfig config = gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.holds.add(Duration.ofMillis(900));
        CompletableFuture<Throwable> ended = holdingAfterFirst(config, consumer, seen);
        send(" two.", "STOP"); // arrives at once; the reader only looks after its hold of 900 ms
        pieces.add(END);

        assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(seen).extracting(Seen::text).containsExactly("one", " two.");
        assertThat(TimeUnit.NANOSECONDS.toMillis(seen.get(1).atNanos() - seen.get(0).atNanos()))
                .isGreaterThanOrEqualTo(800);
    }

    @Test
    void aSilenceAfterAHoldIsStillTimedOut() throws Exception {
        GeminiConfig config = gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(30));
        List<Seen> seen = new CopyOnWriteArrayList<>();
        Consumer consumer = new Consumer(seen);
        consumer.holds.add(Duration.ofMillis(100));
        CompletableFuture<Throwable> ended = holdingAfterFirst(config, consumer, seen);
        // ... and then nothing: the read after the hold waits for the server, and the watchdog ends it.

        assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ModelException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED); // text came first: the answer was cut
                    assertThat(e.getMessage()).contains("no data from Gemini for PT0.3S");
                });
        assertThat(seen).extracting(Seen::text).containsExactly("one");
    }

    /**
     * Over HTTP/2 (how the bot talks to Google) OkHttp's connection reader reads the socket, and one read of
     * the stream takes everything it holds, so a read that empties it is caught up: the reader holds again at
     * once instead of waiting in a read for the next event.
     */
    @Test
    void overHttp2AReadThatEmptiesTheStreamHoldsWithoutWaitingForMore() throws Exception {
        BlockingQueue<byte[]> h2Pieces = new LinkedBlockingQueue<>();
        try (FakeGemini http2 = FakeGemini.startHttp2()) {
            http2.enqueue(FakeGemini.sse("").body(new QueuedBody(h2Pieces, false)).build());
            OkHttpClient h2 = new OkHttpClient.Builder().protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
            List<Seen> seen = new CopyOnWriteArrayList<>();
            Consumer consumer = new Consumer(seen);
            consumer.rest = Duration.ofMillis(300);
            ModelStream stream = new GeminiModel(http2.config(), h2).stream(ChatRequest.of("", "hi"));
            stream.paceReads(consumer);
            CompletableFuture<Throwable> ended = read(stream, seen);
            java.util.function.Consumer<String> send = text -> h2Pieces.add(
                    FakeGemini.event(FakeGemini.chunk(text, false, null, 1, 1)).getBytes(StandardCharsets.UTF_8));

            send.accept("one");
            consumer.awaitAsked("hold 1, after the read that emptied the stream");
            send.accept(" two"); // arrives during hold 1, read when it ends
            consumer.awaitAsked("hold 2, after that read, before any more data");
            assertThat(seen).extracting(Seen::text).containsExactly("one", " two");

            h2Pieces.add(FakeGemini.event(FakeGemini.chunk(" three.", false, "STOP", 1, 1)).getBytes(StandardCharsets.UTF_8));
            h2Pieces.add(END);
            assertThat(ended.get(10, TimeUnit.SECONDS)).isNull();
            assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
        }
    }

    /**
     * Over TLS, as Google's endpoint is: the TLS layer reads the plain socket on the reading thread, so over
     * HTTP/1.1 the socket still says when a read would wait; over HTTP/2 (chosen by ALPN) the stream rule
     * applies. Either way nothing is lost or reordered.
     */
    @Test
    void overTlsTheReaderHoldsAfterWhatArrivedWithHttp1AndHttp2() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
        HandshakeCertificates server = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
        HandshakeCertificates client = new HandshakeCertificates.Builder()
                .addTrustedCertificate(certificate.certificate()).build();
        OkHttpClient trusting = new OkHttpClient.Builder()
                .sslSocketFactory(client.sslSocketFactory(), client.trustManager()).build();
        for (List<okhttp3.Protocol> protocols : List.of(List.of(okhttp3.Protocol.HTTP_1_1),
                List.of(okhttp3.Protocol.HTTP_2, okhttp3.Protocol.HTTP_1_1))) {
            BlockingQueue<byte[]> tlsPieces = new LinkedBlockingQueue<>();
            MockWebServer mock = new MockWebServer();
            mock.useHttps(server.sslSocketFactory());
            mock.setProtocols(protocols);
            try (FakeGemini tls = FakeGemini.start(mock)) {
                boolean http1 = protocols.size() == 1;
                var response = FakeGemini.sse("").body(new QueuedBody(tlsPieces, http1));
                tls.enqueue((http1 ? response.removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked")
                        : response).build());
                List<Seen> seen = new CopyOnWriteArrayList<>();
                Consumer consumer = new Consumer(seen);
                consumer.rest = Duration.ofSeconds(30);
                ModelStream stream = new GeminiModel(tls.config(), trusting).stream(ChatRequest.of("", "hi"));
                stream.paceReads(consumer);
                CompletableFuture<Throwable> ended = read(stream, seen);
                java.util.function.Consumer<String> send = text -> tlsPieces.add(
                        FakeGemini.event(FakeGemini.chunk(text, false, null, 1, 1)).getBytes(StandardCharsets.UTF_8));

                send.accept("one");
                consumer.awaitAsked(protocols + ": holding after the first event, with no second one sent");
                send.accept(" two");
                Thread.sleep(100);
                assertThat(seen).as(protocols + ": held").hasSize(1);
                consumer.rest = Duration.ZERO;
                assertThat(consumer.wake.getAsBoolean()).isTrue();
                awaitSeen(seen, 2);
                consumer.awaitAsked(protocols + ": caught up again after what came during the hold, with nothing"
                        + " more sent (the first hold could follow a read that waited; this one cannot)");
                tlsPieces.add(FakeGemini.event(FakeGemini.chunk(" three.", false, "STOP", 1, 1))
                        .getBytes(StandardCharsets.UTF_8));
                tlsPieces.add(END);

                assertThat(ended.get(10, TimeUnit.SECONDS)).as(protocols.toString()).isNull();
                assertThat(seen).extracting(Seen::text).containsExactly("one", " two", " three.");
            }
        }
    }
}
