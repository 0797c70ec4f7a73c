package dev.geminibot.core.model.internal;

import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.internal.ServerSentEventReader;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed answer over HTTP + SSE.
 *
 * <p>Threads. Everything runs on the thread that iterates: it sends the request with
 * {@code call.execute()} (so OkHttp's dispatcher caps do not apply), reads error bodies, parses the SSE
 * body one event per step, decodes payloads, retries and sleeps its backoff. There is no reader thread:
 * {@code hasNext()} reads the socket itself, so the client's read timeout (the idle timeout) applies to
 * that read, and the network, not memory, absorbs a slow consumer.
 *
 * <p>Cancel. {@link #cancel()} sets a flag, wakes a backoff wait and cancels the current {@link Call},
 * which closes its socket: a read blocked in {@code hasNext()} then throws at once and is reported as
 * {@link ModelException.Kind#CANCELLED}. The response itself is only ever closed by the iterating
 * thread (an OkHttp body is not safe to close under a concurrent read).
 */
final class SseModelStream implements ModelStream {
    private static final Logger log = LoggerFactory.getLogger(SseModelStream.class);

    private final ModelHttp http;
    private final Request request;
    private final Supplier<StreamDecoder> decoders;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    private final AtomicBoolean iterated = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Attempt current;
    /** Set once by {@link #iterator()}; read by {@link #close()} to tell the iterating thread apart. */
    private volatile Events events;

    SseModelStream(ModelHttp http, Request request, Supplier<StreamDecoder> decoders) {
        this.http = http;
        this.request = request;
        this.decoders = decoders;
    }

    @Override
    public Iterator<StreamEvent> iterator() {
        if (!iterated.compareAndSet(false, true)) {
            throw new IllegalStateException("a model stream can be iterated once");
        }
        Events created = new Events(Thread.currentThread());
        events = created;
        return created;
    }

    @Override
    public void cancel() {
        cancelled = true;
        cancelSignal.countDown();
        Attempt attempt = current;
        if (attempt != null) {
            attempt.call.cancel();
        }
    }

    /**
     * Cancels, and on the iterating thread also closes the response at once. From another thread the
     * response is closed by the iterating thread when it next calls {@code hasNext()} (which throws
     * {@code CANCELLED}), or at once if it is blocked reading.
     */
    @Override
    public void close() {
        cancel();
        Events owner = events;
        if (owner != null && owner.thread == Thread.currentThread()) {
            owner.release(false);
        }
    }

    /** One HTTP call and, once its 2xx response started, the SSE reader over its body. */
    private static final class Attempt {
        final Call call;
        /** Iterating thread only. */
        Response response;
        /** Iterating thread only. */
        ServerSentEventReader reader;

        Attempt(Call call) {
            this.call = call;
        }
    }

    /**
     * The body as the SSE reader sees it, with a blank line added after a clean end. The SSE rules drop
     * an event that is not followed by a blank line when the stream ends (okhttp-sse's reader does: at
     * the end of the body it returns false and discards the event it was building), but servers (and
     * recorded Gemini streams) end on {@code data: …\n}; a clean end means the HTTP framing completed,
     * so the last event is whole. A broken body throws instead and gets no blank line.
     */
    private static BufferedSource terminateAtEof(BufferedSource body) {
        return Okio.buffer(new ForwardingSource(body) {
            private boolean ended;

            @Override
            public long read(@NotNull Buffer sink, long byteCount) throws IOException {
                long read = super.read(sink, byteCount);
                if (read == -1 && !ended) {
                    ended = true;
                    sink.writeUtf8("\n\n");
                    return 2;
                }
                return read;
            }
        });
    }

    /** What okhttp-sse's own {@code EventSource} accepts: {@code text/event-stream}, any parameters. */
    private static boolean isEventStream(MediaType type) {
        return type != null && type.type().equals("text") && type.subtype().equals("event-stream");
    }

    /** The iterator: confined to the one thread that iterates. */
    private final class Events implements Iterator<StreamEvent>, ServerSentEventReader.Callback {
        final Thread thread;
        private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>();
        private final List<StreamEvent> decoded = new ArrayList<>();
        private StreamDecoder decoder;
        private boolean done;
        /** Set by {@link #onEvent} when the decoder said the payload ends the stream. */
        private boolean payloadsEnded;
        /** True once a delta was handed out: from then on nothing is retried. */
        private boolean emitted;
        private int retries;
        private Duration waited = Duration.ZERO;

        Events(Thread thread) {
            this.thread = thread;
        }

        @Override
        public boolean hasNext() {
            if (!pending.isEmpty()) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                advance();
            } catch (ModelException e) {
                done = true;
                release(false);
                throw e;
            }
            return !pending.isEmpty();
        }

        @Override
        public StreamEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return pending.poll();
        }

        private void advance() {
            while (pending.isEmpty() && !done) {
                try {
                    if (cancelled) {
                        // Checked before every event, not only by the failing read: okio may still hold
                        // whole events in its buffer after the socket was closed.
                        throw http.failures().cancelled(null);
                    }
                    if (current == null) {
                        open();
                    }
                    readOneEvent();
                } catch (ModelException failure) {
                    release(false);
                    retryOrThrow(cancelled ? http.failures().cancelled(failure) : failure);
                }
            }
        }

        private void open() {
            decoder = decoders.get();
            payloadsEnded = false;
            Attempt attempt = new Attempt(http.client().newCall(request));
            current = attempt;
            if (cancelled) { // cancel() may have run before current was set
                attempt.call.cancel();
            }
            Response response;
            try {
                response = attempt.call.execute();
            } catch (IOException e) {
                throw ioFailure(e);
            }
            if (!response.isSuccessful()) {
                try (response) { // closed after reading: the connection can serve the retry
                    throw http.failures().http(response.code(), ErrorBody.parse(errorBody(response)),
                            response.header("Retry-After"));
                }
            }
            attempt.response = response;
            MediaType type = response.body().contentType();
            if (!isEventStream(type)) {
                throw http.failures().protocol("the response is " + type + ", not text/event-stream", null);
            }
            attempt.reader = new ServerSentEventReader(terminateAtEof(response.body().source()), this);
        }

        private static String errorBody(Response response) {
            try {
                return response.peekBody(64 * 1024).string();
            } catch (IOException unreadable) {
                return "";
            }
        }

        /**
         * Reads up to the next blank line. okhttp-sse's {@code EventSources.processResponse} would read the
         * whole body and push every event from inside its loop, which only works with a second thread
         * and a handoff between them; its internal {@link ServerSentEventReader} is the same parser with
         * a pull API (one event per call), so this thread reads exactly as far as the consumer asked.
         * {@code SseReaderContractTest} pins the behaviour we rely on, in case a new okhttp-sse changes it.
         */
        private void readOneEvent() {
            boolean more;
            try {
                more = current.reader.processNextEvent(); // calls onEvent for a non-empty data payload
            } catch (IOException e) {
                bodyFailed(e);
                return;
            }
            if (payloadsEnded) {
                end(false);
            } else if (!more) {
                end(true);
            }
        }

        /** okhttp-sse callback, on this thread, from inside {@link #readOneEvent}. */
        @Override
        public void onEvent(String id, String type, @NotNull String data) {
            decoded.clear();
            boolean more;
            try {
                more = decoder.decode(data, decoded);
            } catch (ChunkException e) {
                throw e.error() == null
                        ? http.failures().protocol(e.getMessage(), e.getCause())
                        : http.failures().inStream(e.error());
            }
            for (StreamEvent event : decoded) {
                pending.add(event);
                emitted |= event instanceof TextDelta || event instanceof ThinkingDelta;
            }
            payloadsEnded = !more;
        }

        /** The server's reconnect hint: ignored, {@link RetryPolicy} decides when to try again. */
        @Override
        public void onRetryChange(long timeMs) {
        }

        /** @param bodyComplete true when the body was read to its end (the connection can be reused) */
        private void end(boolean bodyComplete) {
            Finished finished = decoder.finish();
            if (finished == null) {
                throw http.failures().protocol("the stream ended before any answer", null);
            }
            pending.add(finished);
            done = true;
            release(bodyComplete);
        }

        private void bodyFailed(IOException error) {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                throw ioFailure(error);
            }
            if (decoder.complete()) {
                // The server had said why it finished; only a trailing usage chunk can be missing.
                log.debug("{} stream broke after its finish reason; keeping the answer", http.provider());
                end(false);
                return;
            }
            throw http.failures().io(error);
        }

        /**
         * An I/O failure of this thread's read or call. A cancel closes the socket and an interrupt of a
         * virtual thread does too, so both surface here as plain I/O errors; they are reported as CANCELLED.
         */
        private ModelException ioFailure(IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                cancel();
            }
            return cancelled ? http.failures().cancelled(e) : http.failures().io(e);
        }

        private void retryOrThrow(ModelException failure) {
            if (failure.kind() == ModelException.Kind.CANCELLED) {
                throw failure;
            }
            if (emitted) {
                throw http.failures().interrupted(failure);
            }
            boolean retryable = RetryPolicy.retryable(failure.kind())
                    && !Failures.isCallTimeout(failure.getCause());
            Duration wait = retryable
                    ? http.retryPolicy().delayBefore(retries + 1, failure.retryAfter().orElse(null), waited)
                    : null;
            if (wait == null) {
                throw failure;
            }
            retries++;
            waited = waited.plus(wait);
            log.warn("{} request failed ({}, HTTP {}); retry {} of {} in {} ms", http.provider(),
                    failure.kind(), failure.httpStatus(), retries, http.maxRetries(), wait.toMillis());
            try {
                if (cancelSignal.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw http.failures().cancelled(failure);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw http.failures().cancelled(e);
            }
        }

        /**
         * Ends the current attempt, on this thread. A body read to its end is just closed, so its
         * connection goes back to the pool; otherwise the call is cancelled first, so that closing does
         * not wait to drain a body that may never end.
         */
        void release(boolean bodyComplete) {
            Attempt attempt = current;
            current = null;
            if (attempt == null) {
                return;
            }
            if (!bodyComplete) {
                attempt.call.cancel();
            }
            if (attempt.response != null) {
                attempt.response.close();
            }
        }
    }
}
