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
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streamed answer over HTTP + SSE.
 *
 * <p>Threads. The iterating thread does everything that decides: it sends the request with
 * {@code call.execute()} (so OkHttp's dispatcher caps do not apply), reads error bodies, decodes
 * payloads, retries and sleeps its backoff. Only the SSE framing runs elsewhere: okhttp-sse's
 * {@link EventSources#processResponse} reads until the body ends and reports through callbacks, so it
 * cannot be paused between events on the caller's thread; it runs on a virtual thread per attempt
 * and hands each {@code data} payload over a one-slot {@link Handoff}. The reader therefore stays at
 * most one event ahead, and all stream state (decoder, retries) is confined to the iterating thread.
 *
 * <p>Cancel. {@link #cancel()} sets a flag, wakes a backoff wait, cancels the current {@link Call}
 * (which breaks a blocked socket read) and closes the handoff (which wakes a blocked iterator at once,
 * without waiting for the socket to notice).
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
        return new Events();
    }

    @Override
    public void cancel() {
        cancelled = true;
        cancelSignal.countDown();
        Attempt attempt = current;
        if (attempt != null) {
            attempt.abort();
        }
    }

    @Override
    public void close() {
        // A stream that already finished has released its attempt; this then only sets the flag.
        cancel();
    }

    /** One HTTP call and, once its 2xx response started, the thread that reads its SSE body. */
    private final class Attempt {
        final Call call;
        final Handoff handoff = new Handoff();

        Attempt(Call call) {
            this.call = call;
        }

        void abort() {
            handoff.close();
            call.cancel();
        }

        void startReader(Response response) {
            Response framed = response.newBuilder().body(terminateAtEof(response.body())).build();
            Thread.ofVirtual().name(http.provider() + "-sse-reader").start(
                    () -> EventSources.processResponse(framed, new EventSourceListener() {
                        @Override
                        public void onEvent(@NotNull EventSource source, String id, String type,
                                            @NotNull String data) {
                            try {
                                if (!handoff.put(new Handoff.Data(data))) {
                                    source.cancel();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                source.cancel();
                            }
                        }

                        @Override
                        public void onClosed(@NotNull EventSource source) {
                            handoff.finish(new Handoff.Ended());
                        }

                        @Override
                        public void onFailure(@NotNull EventSource source, Throwable t, Response r) {
                            handoff.finish(new Handoff.Failed(
                                    t != null ? t : new IOException("HTTP " + (r == null ? 0 : r.code()))));
                        }
                    }));
        }
    }

    /**
     * The body as the SSE reader sees it, with a blank line added after a clean end. The SSE rules drop
     * an event that is not followed by a blank line when the stream ends, but servers (and recorded
     * Gemini streams) end on {@code data: …\n}; a clean end means the HTTP framing completed, so the
     * last event is whole. A broken body throws instead and gets no blank line.
     */
    private static ResponseBody terminateAtEof(ResponseBody body) {
        Source source = new ForwardingSource(body.source()) {
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
        };
        return ResponseBody.create(Okio.buffer(source), body.contentType(), -1);
    }

    /** The iterator: confined to the one thread that iterates. */
    private final class Events implements Iterator<StreamEvent> {
        private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>();
        private final List<StreamEvent> decoded = new ArrayList<>();
        private StreamDecoder decoder;
        private boolean done;
        /** True once a delta was handed out: from then on nothing is retried. */
        private boolean emitted;
        private int retries;
        private Duration waited = Duration.ZERO;

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
                release();
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
                    if (current == null) {
                        open();
                    }
                    switch (take()) {
                        case Handoff.Data data -> decode(data.payload());
                        case Handoff.Ended ended -> end();
                        case Handoff.Failed failed -> readerFailed(failed.error());
                    }
                } catch (ModelException failure) {
                    release();
                    retryOrThrow(cancelled ? http.failures().cancelled(failure) : failure);
                }
            }
        }

        private void open() {
            if (cancelled) {
                throw http.failures().cancelled(null);
            }
            decoder = decoders.get();
            Attempt attempt = new Attempt(http.client().newCall(request));
            current = attempt;
            if (cancelled) { // cancel() may have run before current was set
                attempt.abort();
            }
            Response response;
            try {
                response = attempt.call.execute();
            } catch (IOException e) {
                throw cancelled ? http.failures().cancelled(e) : http.failures().io(e);
            }
            if (!response.isSuccessful()) {
                try (response) {
                    throw http.failures().http(response.code(), ErrorBody.parse(errorBody(response)),
                            response.header("Retry-After"));
                }
            }
            attempt.startReader(response);
        }

        private static String errorBody(Response response) {
            try {
                return response.peekBody(64 * 1024).string();
            } catch (IOException unreadable) {
                return "";
            }
        }

        private Handoff.Signal take() {
            Attempt attempt = current;
            Handoff.Signal signal;
            try {
                signal = attempt == null ? null : attempt.handoff.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw http.failures().cancelled(e);
            }
            if (signal == null) {
                throw http.failures().cancelled(null);
            }
            return signal;
        }

        private void decode(String payload) {
            decoded.clear();
            boolean more;
            try {
                more = decoder.decode(payload, decoded);
            } catch (ChunkException e) {
                throw e.error() == null
                        ? http.failures().protocol(e.getMessage(), e.getCause())
                        : http.failures().inStream(e.error());
            }
            for (StreamEvent event : decoded) {
                pending.add(event);
                emitted |= event instanceof TextDelta || event instanceof ThinkingDelta;
            }
            if (!more) {
                end();
            }
        }

        private void end() {
            Finished finished = decoder.finish();
            if (finished == null) {
                throw http.failures().protocol("the stream ended before any answer", null);
            }
            pending.add(finished);
            done = true;
            release();
        }

        private void readerFailed(Throwable error) {
            if (cancelled) {
                throw http.failures().cancelled(error);
            }
            if (error instanceof IOException io) {
                if (decoder.complete()) {
                    // The server had said why it finished; only a trailing usage chunk can be missing.
                    log.debug("{} stream broke after its finish reason; keeping the answer", http.provider());
                    end();
                    return;
                }
                throw http.failures().io(io);
            }
            // processResponse reports a wrong content type as IllegalStateException.
            throw http.failures().protocol(String.valueOf(error.getMessage()), error);
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

        private void release() {
            Attempt attempt = current;
            current = null;
            if (attempt != null) {
                attempt.abort();
            }
        }
    }
}
