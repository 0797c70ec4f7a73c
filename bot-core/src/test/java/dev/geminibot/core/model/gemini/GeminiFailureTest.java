package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelException.Kind;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.Stall;
import dev.geminibot.core.testing.StreamResult;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How a Gemini stream fails, retries and stops. */
class GeminiFailureTest {
    static final OkHttpClient CLIENT = new OkHttpClient();
    static final String OVERLOADED = "The model is overloaded. Please try again later.";

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    FakeGemini gemini;

    @BeforeEach
    void start() {
        gemini = FakeGemini.start();
    }

    @AfterEach
    void stop() {
        gemini.close();
    }

    StreamResult ask(GeminiConfig config) {
        return StreamResult.drain(new GeminiModel(config, CLIENT).stream(ChatRequest.of("", "hi")));
    }

    StreamResult ask() {
        return ask(gemini.config());
    }

    GeminiConfig noRetries() {
        return gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1));
    }

    static ModelException failed(StreamResult result, Kind kind) {
        assertThat(result.error()).as("the stream should fail").isNotNull();
        assertThat(result.error().kind()).as(String.valueOf(result.error().getMessage())).isEqualTo(kind);
        for (Throwable t = result.error(); t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(FakeGemini.API_KEY);
        }
        return result.error();
    }

    static String errorEvent(int code, String status, String message) {
        return FakeGemini.event(FakeGemini.errorJson(code, status, message, null).replace("\n", ""));
    }

    // ---- HTTP errors ----

    @Test
    void aRefusedKeyIsBadKeyAndIsNotRetried() {
        gemini.enqueueErrorFixture(400, "unary-failure-api-key.json").enqueueStream("never");

        ModelException e = failed(ask(), Kind.BAD_KEY);

        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).contains("API key not valid");
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void unauthorizedIsBadKey() {
        gemini.enqueueError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");

        failed(ask(), Kind.BAD_KEY);
    }

    @Test
    void aKeyEchoedByTheServerIsRedacted() {
        gemini.enqueueError(400, "INVALID_ARGUMENT", "Invalid API key: " + FakeGemini.API_KEY);

        ModelException e = failed(ask(), Kind.BAD_REQUEST);

        assertThat(e.getMessage()).contains("Invalid API key: ****");
    }

    @Test
    void anotherBadRequestIsBadRequest() {
        gemini.enqueueErrorFixture(400, "streaming-failure-image-rejected.txt");

        assertThat(failed(ask(), Kind.BAD_REQUEST).getMessage()).contains("INVALID_ARGUMENT");
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void aDisabledApiIsPermission() {
        gemini.enqueueErrorFixture(403, "unary-failure-generativelanguage-api-not-enabled.json");

        failed(ask(), Kind.PERMISSION);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void anUnknownModelIsNotFound() {
        gemini.enqueueErrorFixture(404, "unary-failure-unknown-model.json");

        failed(ask(), Kind.NOT_FOUND);
    }

    @Test
    void rateLimitCarriesTheServersRetryDelay() {
        gemini.enqueueRateLimited("1.5s");

        ModelException e = failed(ask(noRetries()), Kind.RATE_LIMITED);

        assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
        assertThat(e.userMessage()).isEqualTo("Gemini's rate limit was reached, try again in 1 s");
    }

    @Test
    void rateLimitFallsBackToTheRetryAfterHeader() {
        gemini.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "7").body("Too many").build());

        assertThat(failed(ask(noRetries()), Kind.RATE_LIMITED).retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void aRetryDelayBeyondTheBudgetIsNotWaitedFor() {
        gemini.enqueueRateLimited("57s").enqueueStream("never");

        ModelException e = failed(ask(), Kind.RATE_LIMITED); // budget 1 s

        assertThat(e.retryAfter()).contains(Duration.ofSeconds(57));
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void aShortRetryDelayIsWaitedAndTheRetrySucceeds() {
        gemini.enqueueRateLimited("0.02s").enqueueStream("Hello", " again");

        StreamResult result = ask();

        assertThat(result.error()).isNull();
        assertThat(result.text()).isEqualTo("Hello again");
        assertThat(gemini.requestCount()).isEqualTo(2);
        assertThat(logs.warnings()).singleElement().asString()
                .contains("RATE_LIMITED", "HTTP 429", "retry 1 of 2", "in 20 ms");
    }

    @Test
    void overloadIsRetriedAtMostMaxRetriesTimes() {
        GeminiConfig config = gemini.config().withRetries(3, Duration.ofMillis(1), Duration.ofSeconds(1));
        for (int i = 0; i < 5; i++) {
            gemini.enqueueError(503, "UNAVAILABLE", OVERLOADED);
        }

        ModelException e = failed(ask(config), Kind.OVERLOADED);

        assertThat(e.userMessage()).isEqualTo("Gemini is overloaded, try again in a minute");
        assertThat(gemini.requestCount()).isEqualTo(1 + 3);
        assertThat(logs.warnings()).hasSize(3).allSatisfy(line -> assertThat(line).contains("OVERLOADED", "503"));
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        gemini.enqueueError(500, "INTERNAL", "An internal error has occurred.")
                .enqueueError(504, "DEADLINE_EXCEEDED", "Deadline expired.")
                .enqueueStream("fine");

        assertThat(ask().text()).isEqualTo("fine");
        assertThat(gemini.requestCount()).isEqualTo(3);
    }

    @Test
    void badGatewayIsServer() {
        gemini.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());

        assertThat(failed(ask(noRetries()), Kind.SERVER).getMessage()).isEqualTo("Gemini answered HTTP 502");
    }

    @Test
    void aClosedPortIsNetwork() {
        FakeGemini closed = FakeGemini.start();
        URI gone = closed.baseUrl();
        closed.close();

        failed(ask(noRetries().withEndpoint(gone, noRetries().wireFormat())), Kind.NETWORK);
    }

    @Test
    void aResponseThatIsNotAnEventStreamIsProtocol() {
        gemini.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{}").build());

        failed(ask(), Kind.PROTOCOL);
    }

    // ---- failures inside a 200 stream ----

    @Test
    void anErrorObjectBeforeAnyTextMapsLikeItsStatusAndIsRetried() {
        gemini.enqueueSse(errorEvent(503, "UNAVAILABLE", OVERLOADED)).enqueueStream("recovered");

        assertThat(ask().text()).isEqualTo("recovered");

        gemini.enqueueSse(errorEvent(503, "UNAVAILABLE", OVERLOADED));
        ModelException e = failed(ask(noRetries()), Kind.OVERLOADED);
        assertThat(e.httpStatus()).isZero();
        assertThat(e.getMessage()).contains("inside the stream", OVERLOADED);
    }

    @Test
    void anErrorObjectAfterTextInterruptsAndKeepsTheText() {
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Hello", false, null, 1, 1))
                + errorEvent(500, "INTERNAL", "An internal error has occurred."));

        StreamResult result = ask();

        assertThat(result.text()).isEqualTo("Hello");
        ModelException e = failed(result, Kind.INTERRUPTED);
        assertThat(((ModelException) e.getCause()).kind()).isEqualTo(Kind.SERVER);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void aMalformedChunkIsProtocolBeforeTextAndInterruptedAfter() {
        gemini.enqueueSse("data: {\"candidates\": [{\"content\": \r\n\r\n");
        failed(ask(), Kind.PROTOCOL);
        assertThat(gemini.requestCount()).isEqualTo(1);

        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Hel", false, null, 1, 1)) + "data: not json\r\n\r\n");
        StreamResult result = ask();
        assertThat(result.text()).isEqualTo("Hel");
        assertThat(((ModelException) failed(result, Kind.INTERRUPTED).getCause()).kind()).isEqualTo(Kind.PROTOCOL);
    }

    @Test
    void aConnectionDroppedAfterTextInterruptsAndKeepsTheText() {
        gemini.enqueueDroppedAfter(FakeGemini.event(FakeGemini.chunk("Partial answer", false, null, 1, 1)));

        StreamResult result = ask();

        assertThat(result.text()).isEqualTo("Partial answer");
        assertThat(((ModelException) failed(result, Kind.INTERRUPTED).getCause()).kind()).isEqualTo(Kind.NETWORK);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void aConnectionDroppedBeforeTextIsRetried() {
        gemini.enqueueDroppedAfter(": keep-alive\n").enqueueStream("second try");

        assertThat(ask().text()).isEqualTo("second try");
        assertThat(gemini.requestCount()).isEqualTo(2);
    }

    @Test
    void silenceLongerThanTheIdleTimeoutIsTimeout() {
        GeminiConfig config = noRetries().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofSeconds(30));
        gemini.enqueueStall(": starting\n", null);

        ModelException e = failed(ask(config), Kind.TIMEOUT);

        assertThat(e.getMessage()).contains("no data from Gemini for PT0.2S");
    }

    @Test
    void silenceShorterThanTheIdleTimeoutSurvives() throws Exception {
        GeminiConfig config = noRetries().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        Stall stall = gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Thinking", false, null, 1, 1)), null);
        CompletableFuture<StreamResult> result = CompletableFuture.supplyAsync(() -> ask(config));

        Thread.sleep(300); // a silence of 300 ms against an idle timeout of 2 s
        stall.release(FakeGemini.event(FakeGemini.chunk(" done.", false, "STOP", 1, 2)));

        assertThat(result.get(10, TimeUnit.SECONDS).text()).isEqualTo("Thinking done.");
    }

    /** The idle timeout counts waits for the server, not the time the consumer spends between events. */
    @Test
    void aSlowConsumerIsNotIdle() throws Exception {
        GeminiConfig config = noRetries().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofSeconds(30));
        gemini.enqueueStream("one", " two", " three");
        StringBuilder text = new StringBuilder();

        try (var stream = new GeminiModel(config, CLIENT).stream(ChatRequest.of("", "hi"))) {
            for (StreamEvent event : stream) {
                if (event instanceof TextDelta delta) {
                    text.append(delta.text());
                }
                Thread.sleep(400);
            }
        }

        assertThat(text).hasToString("one two three");
    }

    /**
     * Over HTTP/2 (how OkHttp talks to Google) a read waits on the stream, not the socket: the watchdog's
     * cancel must still end it as TIMEOUT, and a shorter silence must still survive.
     */
    @Test
    void theIdleTimeoutHoldsOverHttp2() throws Exception {
        OkHttpClient h2 = new OkHttpClient.Builder().protocols(java.util.List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
        try (FakeGemini http2 = FakeGemini.startHttp2()) {
            CountDownLatch release = new CountDownLatch(1);
            http2.enqueue(FakeGemini.sse("").body(new mockwebserver3.MockResponseBody() {
                @Override
                public long getContentLength() {
                    return -1;
                }

                @Override
                public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
                    sink.writeUtf8(FakeGemini.event(FakeGemini.chunk("Thinking", false, null, 1, 1))).flush();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }).build());
            GeminiConfig silentTooLong = http2.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(30));

            StreamResult cut = StreamResult.drain(new GeminiModel(silentTooLong, h2).stream(ChatRequest.of("", "hi")));
            release.countDown();

            assertThat(cut.text()).isEqualTo("Thinking");
            assertThat(((ModelException) failed(cut, Kind.INTERRUPTED).getCause()).kind()).isEqualTo(Kind.TIMEOUT);

            http2.enqueueStream("Hello", " there");
            assertThat(StreamResult.drain(new GeminiModel(silentTooLong, h2).stream(ChatRequest.of("", "hi"))).text())
                    .isEqualTo("Hello there");
        }
    }

    @Test
    void silenceAfterTextInterrupts() {
        GeminiConfig config = gemini.config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofSeconds(30));
        gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Thinking out loud", false, null, 1, 1)), null);

        StreamResult result = ask(config);

        assertThat(result.text()).isEqualTo("Thinking out loud");
        assertThat(((ModelException) failed(result, Kind.INTERRUPTED).getCause()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void theTotalTimeoutEndsAStreamThatKeepsTricklingAndIsNotRetried() {
        GeminiConfig config = gemini.config().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofMillis(300));
        gemini.enqueueStall(": starting\n", Duration.ofMillis(20));
        gemini.enqueueStream("never");

        assertThat(failed(ask(config), Kind.TIMEOUT).getMessage()).contains("took longer than PT0.3S");
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    // ---- cancel ----

    @Test
    void cancelFromAnotherThreadWakesABlockedReaderAtOnce() throws Exception {
        Stall stall = gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("First words", false, null, 1, 1)),
                Duration.ofMillis(20));
        ModelStream stream = new GeminiModel(gemini.config(), CLIENT).stream(ChatRequest.of("", "hi"));
        CountDownLatch firstText = new CountDownLatch(1);
        CompletableFuture<StreamResult> reading = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> reading.complete(StreamResult.drain(new ModelStream() {
            // Counts the first delta down, so the test cancels while the reader waits for the next one.
            final Iterator<StreamEvent> events = stream.iterator();

            @Override
            public Iterator<StreamEvent> iterator() {
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return events.hasNext();
                    }

                    @Override
                    public StreamEvent next() {
                        StreamEvent event = events.next();
                        firstText.countDown();
                        return event;
                    }
                };
            }

            @Override
            public void cancel() {
                stream.cancel();
            }

            @Override
            public void close() {
                stream.close();
            }
        })));
        assertThat(firstText.await(5, TimeUnit.SECONDS)).isTrue();

        stream.cancel();

        StreamResult result = reading.get(1, TimeUnit.SECONDS);
        assertThat(result.text()).isEqualTo("First words");
        failed(result, Kind.CANCELLED);
        assertThat(stall.awaitClientGone(Duration.ofSeconds(5))).as("server saw the connection closed").isTrue();
    }

    @Test
    void interruptingTheIteratingThreadWhileItWaitsForDataCancels() throws Exception {
        gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Before", false, null, 1, 1)), null);
        ModelStream stream = new GeminiModel(gemini.config(), CLIENT).stream(ChatRequest.of("", "hi"));
        CountDownLatch firstText = new CountDownLatch(1);
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            Iterator<StreamEvent> events = stream.iterator();
            try {
                assertThat(events.next()).isEqualTo(new TextDelta("Before"));
                firstText.countDown();
                events.hasNext(); // blocks: the server is silent
                ended.complete(null);
            } catch (Throwable t) {
                ended.complete(t);
            }
        });
        assertThat(firstText.await(5, TimeUnit.SECONDS)).isTrue();

        reader.interrupt();

        assertThat(ended.get(2, TimeUnit.SECONDS)).isInstanceOfSatisfying(ModelException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CANCELLED));
    }

    @Test
    void cancelDuringABackoffWaitEndsItAtOnce() throws Exception {
        GeminiConfig config = gemini.config().withRetries(2, Duration.ofSeconds(1), Duration.ofMinutes(1));
        gemini.enqueueRateLimited("30s");
        ModelStream stream = new GeminiModel(config, CLIENT).stream(ChatRequest.of("", "hi"));
        CompletableFuture<StreamResult> reading = CompletableFuture.supplyAsync(() -> StreamResult.drain(stream),
                command -> Thread.ofVirtual().start(command));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (logs.warnings().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(logs.warnings()).as("the stream is waiting to retry").hasSize(1);

        stream.cancel();

        failed(reading.get(1, TimeUnit.SECONDS), Kind.CANCELLED);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void streamSendsNothingUntilIterationAndACancelledStreamNeverSends() {
        gemini.enqueueStream("one").enqueueStream("two");
        GeminiModel model = new GeminiModel(gemini.config(), CLIENT);

        ModelStream cancelled = model.stream(ChatRequest.of("", "hi"));
        ModelStream lazy = model.stream(ChatRequest.of("", "hi"));
        cancelled.cancel();
        cancelled.cancel();
        assertThat(gemini.requestCount()).isZero();

        failed(StreamResult.drain(cancelled), Kind.CANCELLED);
        assertThat(gemini.requestCount()).isZero();
        assertThat(StreamResult.drain(lazy).text()).isEqualTo("one");
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void aStreamIsIteratedOnceAndClosesIdempotently() {
        gemini.enqueueStream("once");
        ModelStream stream = new GeminiModel(gemini.config(), CLIENT).stream(ChatRequest.of("", "hi"));

        Iterator<StreamEvent> events = stream.iterator();
        assertThat(events.next()).isEqualTo(new TextDelta("once"));
        assertThatThrownBy(stream::iterator).isInstanceOf(IllegalStateException.class);
        stream.close();
        stream.close();
    }
}
