package dev.geminibot.core.model.internal;

import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.ReadPacing;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
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
 * {@code hasNext()} reads the socket itself, and the network, not memory, absorbs a slow consumer. The
 * idle timeout applies to each wait for the server (the response headers, every body read), enforced by
 * the {@link IdleWatchdog} rather than OkHttp's read timeout; time the consumer spends between reads
 * does not count.
 *
 * <p>Cancel. {@link #cancel()} sets a flag, wakes a backoff wait and cancels the current {@link Call},
 * which closes its socket: a read blocked in {@code hasNext()} then throws at once and is reported as
 * {@link ModelException.Kind#CANCELLED}. The response itself is only ever closed by the iterating
 * thread (an OkHttp body is not safe to close under a concurrent read).
 */
final class SseModelStream implements ModelStream {
    private static final Logger log = LoggerFactory.getLogger(SseModelStream.class);
    /**
     * A body read that took longer than this waited for the server rather than finding bytes already in a
     * buffer (those take microseconds). Misjudging a slow read only makes one pause early, which costs
     * nothing the consumer would see: the pause ends before the consumer needs the events.
     */
    private static final long WAITED_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A guard on {@link ReadPacing}: no hold is longer than this. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    /**
     * A guard on the consumer: a hold it does not end by its wake-up ends this long after the time it gave,
     * when the {@link IdleWatchdog} next sweeps (the consumer wakes the reader when it needs events; this only
     * bounds a consumer that forgot).
     */
    private static final long HOLD_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ModelHttp http;
    private final Request request;
    private final Supplier<StreamDecoder> decoders;
    private final CountDownLatch cancelSignal = new CountDownLatch(1);
    private final AtomicBoolean iterated = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Attempt current;
    private volatile ReadPacing pacing = ReadPacing.EAGER;
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
    public void paceReads(ReadPacing readPacing) {
        pacing = readPacing == null ? ReadPacing.EAGER : readPacing;
    }

    @Override
    public void cancel() {
        cancelled = true;
        cancelSignal.countDown();
        Events reading = events;
        if (reading != null) {
            reading.wakeHold();
        }
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

    /**
     * One HTTP call and, once its 2xx response started, the SSE reader over its body. Watched by the
     * {@link IdleWatchdog} while it is open: every wait for the server (the response headers, each read
     * of the body) stamps {@link #waitingSince}.
     */
    private static final class Attempt implements IdleWatchdog.Watched {
        final Call call;
        private final long idleTimeoutNanos;
        /** Iterating thread only. */
        Response response;
        /** Iterating thread only. */
        SseReader reader;
        private volatile long waitingSince;
        /** Set by the watchdog before it cancels the call: the failure that follows is the idle timeout. */
        volatile boolean idle;
        /** See {@link IdleWatchdog.Watched#holdDeadline()}; 0 when not holding. */
        volatile long holdDeadline;
        /** The iterating thread, which holds the reads, for {@link #endHold()}. */
        private final Thread holder;
        /** Where the network interceptor leaves the HTTP/2 connection's input (gathered reads). */
        final ModelSockets.Slot slot = new ModelSockets.Slot();
        /** Iterating thread only: that input, once the response came; null when not ours or not HTTP/2. */
        ModelSockets.HookedInput connection;
        /**
         * Iterating thread only: a body read since the last pause had to wait for the server, so the stream
         * has caught up and the next network read would likely wait again (see {@link Events#pace()}).
         */
        boolean caughtUp;
        /** Iterating thread only: the response came over HTTP/2 (how OkHttp talks to Google). */
        boolean http2;
        /**
         * Iterating thread only: what a body read over HTTP/1.1 does when it is about to wait for the
         * network ({@link ModelSockets}); null when nothing is held.
         */
        ModelSockets.BeforeWait beforeWait;
        /**
         * Iterating thread only: the socket told when a read would wait, so reads are held there and the
         * slower guess of {@link #caughtUp} is not needed.
         */
        boolean hooked;

        Attempt(okhttp3.OkHttpClient client, Request request, long idleTimeoutNanos, Thread holder) {
            this.call = client.newCall(request.newBuilder().tag(ModelSockets.Slot.class, slot).build());
            this.idleTimeoutNanos = idleTimeoutNanos;
            this.holder = holder;
        }

        void waiting() {
            waitingSince = System.nanoTime() | 1; // never 0, which means "not waiting"
        }

        void notWaiting() {
            waitingSince = 0;
        }

        @Override
        public long waitingSince() {
            return waitingSince;
        }

        @Override
        public long idleTimeoutNanos() {
            return idleTimeoutNanos;
        }

        @Override
        public void expire() {
            idle = true;
            call.cancel();
        }

        @Override
        public long holdDeadline() {
            return holdDeadline;
        }

        @Override
        public void endHold() {
            LockSupport.unpark(holder);
        }

        /** The body as the SSE reader reads it: each read that goes to the network is a wait. */
        BufferedSource watchedBody(BufferedSource body) {
            return Okio.buffer(new ForwardingSource(body) {
                @Override
                public long read(@NotNull Buffer sink, long byteCount) throws IOException {
                    waiting();
                    long start = waitingSince;
                    long read = -1;
                    boolean hook = !http2 && beforeWait != null;
                    ModelSockets.HookedInput gathered = http2 ? connection : null;
                    if (hook) {
                        ModelSockets.set(beforeWait);
                    } else if (gathered != null) {
                        gathered.readStarts(); // a stream that wants data: the connection's reader does not gather
                    }
                    try {
                        read = super.read(sink, byteCount);
                        return read;
                    } finally {
                        if (hook) {
                            ModelSockets.clear();
                        } else if (gathered != null) {
                            gathered.readDone();
                        }
                        notWaiting();
                        // An HTTP/2 stream hands over everything it holds in one read, so a read that returns
                        // less than asked for has emptied it: caught up without a read that waits (over
                        // HTTP/1.1 a read returns at most one chunk, and says nothing about the next one).
                        // Once the socket says when a read would wait (hooked), reads are held there instead.
                        if (!hooked && (System.nanoTime() - start > WAITED_NANOS
                                || http2 && read >= 0 && read < byteCount && body.getBuffer().size() == 0)) {
                            caughtUp = true;
                        }
                    }
                }
            });
        }
    }

    /** What okhttp-sse's own {@code EventSource} accepts: {@code text/event-stream}, any parameters. */
    private static boolean isEventStream(MediaType type) {
        return type != null && type.type().equals("text") && type.subtype().equals("event-stream");
    }

    /** The iterator: confined to the one thread that iterates. */
    private final class Events implements Iterator<StreamEvent> {
        final Thread thread;
        private final ArrayDeque<StreamEvent> pending = new ArrayDeque<>();
        private final List<StreamEvent> decoded = new ArrayList<>();
        private StreamDecoder decoder;
        private boolean done;
        /** True once a delta was handed out: from then on nothing is retried. */
        private boolean emitted;
        private int retries;
        private Duration waited = Duration.ZERO;
        /** Holds so far; each one's wake-up is told apart by its number (a late wake-up is ignored). */
        private long holds;
        /** The hold this thread is in, or 0: written by this thread and by wake-ups from the consumer. */
        private volatile long heldGeneration;

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
                    } else {
                        pace();
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
            Attempt attempt = new Attempt(http.client(), request, http.idleTimeoutNanos(), thread);
            current = attempt;
            if (cancelled) { // cancel() may have run before current was set
                attempt.call.cancel();
            }
            Response response;
            attempt.waiting();
            http.watchdog().watch(attempt);
            try {
                response = attempt.call.execute();
            } catch (IOException e) {
                throw ioFailure(e);
            } finally {
                attempt.notWaiting();
            }
            if (!response.isSuccessful()) {
                attempt.waiting(); // reading the error body is a wait for the server too
                try (response) { // closed after reading: the connection can serve the retry
                    throw http.failures().http(response.code(), ErrorBody.parse(errorBody(response)),
                            response.header("Retry-After"));
                } finally {
                    attempt.notWaiting();
                }
            }
            attempt.response = response;
            MediaType type = response.body().contentType();
            if (!isEventStream(type)) {
                throw http.failures().protocol("the response is " + type + ", not text/event-stream", null);
            }
            attempt.http2 = response.protocol() == Protocol.HTTP_2 || response.protocol() == Protocol.H2_PRIOR_KNOWLEDGE;
            attempt.connection = attempt.http2 ? attempt.slot.input : null;
            attempt.reader = new SseReader(attempt.watchedBody(response.body().source()));
            attempt.beforeWait = () -> {
                attempt.hooked = true;
                attempt.notWaiting(); // a hold is not a silence of the server
                try {
                    if (hold()) {
                        throw new InterruptedIOException("cancelled");
                    }
                } finally {
                    attempt.waiting();
                }
            };
        }

        private static String errorBody(Response response) {
            try {
                return response.peekBody(64 * 1024).string();
            } catch (IOException unreadable) {
                return "";
            }
        }

        /**
         * Batches reads (see {@link ModelStream#paceReads}) where the socket cannot say when a read would wait
         * (HTTP/2, TLS from another socket factory): once a read found the stream caught up, and nothing is
         * left in the reader's buffer, the next read is held. Buffers below the reader (a chunked body's, the
         * connection's) may still hold an event; it is then read after the hold, which ends before the
         * consumer uses it.
         */
        private void pace() {
            Attempt attempt = current;
            if (attempt.hooked || !attempt.caughtUp || attempt.reader.buffered() > 0) {
                return;
            }
            attempt.caughtUp = false;
            if (hold()) {
                throw http.failures().cancelled(null);
            }
        }

        /**
         * Each event that arrives on its own costs a wake-up of this thread (the poller, a carrier, a mount)
         * that is worth more than reading and decoding the event; so once everything that arrived is read,
         * tell the consumer and wait until it needs events (it wakes this thread at its next edit), then read
         * what came meanwhile together. Not after the finish reason: only the end (or a usage chunk) is left,
         * and the final edit waits on it.
         *
         * @return true when the stream was cancelled meanwhile
         */
        boolean hold() {
            if (cancelled) {
                return true;
            }
            if (decoder.complete()) {
                return false;
            }
            Attempt attempt = current;
            long generation = ++holds;
            heldGeneration = generation; // before the consumer may wake it
            try {
                Duration pause = pacing.caughtUp(() -> wake(generation));
                if (pause.isNegative() || pause.isZero()) {
                    return cancelled;
                }
                // An untimed park: the consumer ends the hold, and the idle watchdog, which sweeps anyway, is the
                // guard; a timed park would cost every hold a timer set and cancelled.
                long deadline = System.nanoTime() + Math.min(pause.toNanos() + HOLD_SLACK_NANOS, MAX_PAUSE.toNanos());
                attempt.holdDeadline = deadline | 1; // never 0, which means "not holding"
                while (heldGeneration == generation && !cancelled && System.nanoTime() - deadline < 0) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        cancel();
                    }
                }
                if (heldGeneration != generation && !cancelled && attempt.connection != null) {
                    // Woken for an edit: the connection's reader may be gathering frames that arrived meanwhile.
                    attempt.connection.freshen(ModelSockets.GATHER_NANOS);
                }
                return cancelled;
            } finally {
                attempt.holdDeadline = 0;
                heldGeneration = 0;
            }
        }

        private boolean wake(long generation) {
            if (heldGeneration != generation) {
                return false;
            }
            heldGeneration = 0;
            LockSupport.unpark(thread);
            return true;
        }

        /** Ends a hold at once (a cancel). */
        void wakeHold() {
            if (heldGeneration != 0) {
                LockSupport.unpark(thread);
            }
        }

        /** Reads and decodes the next payload, or ends the stream at the end of the body. */
        private void readOneEvent() {
            byte[] payload;
            try {
                payload = current.reader.next();
            } catch (IOException e) {
                bodyFailed(e);
                return;
            }
            if (payload == null) {
                end(true);
            } else if (!decode(payload, current.reader.lastWasPlain())) {
                end(false);
            }
        }

        /**
         * Hands one payload to the decoder and queues its events.
         *
         * @param plain the payload came from lines without {@code data:} (how Gemini sends a mid-stream
         *              error); it is decoded like any chunk, so an error object in it fails the stream
         * @return false when the payload ends the stream ({@code [DONE]})
         */
        private boolean decode(byte[] payload, boolean plain) {
            decoded.clear();
            boolean more;
            try {
                more = decoder.decode(payload, decoded);
            } catch (ChunkException e) {
                throw e.error() == null
                        ? http.failures().protocol((plain ? "lines outside any event: " : "") + e.getMessage(),
                                e.getCause())
                        : http.failures().inStream(e.error());
            }
            for (StreamEvent event : decoded) {
                pending.add(event);
                emitted |= event instanceof TextDelta || event instanceof ThinkingDelta;
            }
            return more;
        }

        /** @param bodyComplete true when the body was read to its end (the connection can be reused) */
        private void end(boolean bodyComplete) {
            Finished finished = decoder.finish();
            if (finished == null) {
                // The server closed the stream without saying why the answer finished.
                throw emitted ? http.failures().incomplete() : http.failures().empty();
            }
            if (finished.reason() == FinishReason.STOP && !emitted) {
                throw http.failures().empty();
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
            throw ioFailure(error);
        }

        /**
         * An I/O failure of this thread's read or call. A cancel closes the socket and an interrupt of a
         * virtual thread does too, so both surface here as plain I/O errors; they are reported as CANCELLED.
         */
        private ModelException ioFailure(IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                cancel();
            }
            if (cancelled) {
                return http.failures().cancelled(e);
            }
            Attempt attempt = current;
            if (attempt != null && attempt.idle) {
                SocketTimeoutException timeout = new SocketTimeoutException("idle timeout");
                timeout.initCause(e);
                return http.failures().io(timeout);
            }
            return http.failures().io(e);
        }

        private void retryOrThrow(ModelException failure) {
            if (failure.kind() == ModelException.Kind.CANCELLED || failure.kind() == ModelException.Kind.INCOMPLETE) {
                throw failure; // INCOMPLETE: a verdict on a whole answer, not a failure to retry or wrap
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
            http.watchdog().unwatch(attempt);
            if (!bodyComplete) {
                attempt.call.cancel();
            }
            if (attempt.response != null) {
                attempt.response.close();
            }
        }
    }
}
