package dev.geminibot.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okio.BufferedSink;

/** A response held open by the fake server: release it, or watch the client hang up. */
public final class Stall {
    private static final long MAX_HOLD_MILLIS = 10_000;

    private final Duration heartbeat;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch clientGone = new CountDownLatch(1);
    private volatile byte[] rest;

    Stall(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** Lets the response go on with {@code more} (SSE text) and end normally. */
    public void release(String more) {
        rest = more.getBytes(StandardCharsets.UTF_8);
        released.countDown();
    }

    /** Ends the response normally without more data. */
    public void release() {
        released.countDown();
    }

    /**
     * Waits until the server noticed that the client closed the connection (needs a heartbeat).
     *
     * @return false if it did not within {@code timeout}
     */
    public boolean awaitClientGone(Duration timeout) throws InterruptedException {
        return clientGone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called by the body on the server thread; returns what to send before ending. */
    byte[] hold(BufferedSink sink) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_HOLD_MILLIS);
        try {
            while (System.nanoTime() < deadline) {
                long wait = heartbeat == null ? 50 : heartbeat.toMillis();
                if (released.await(wait, TimeUnit.MILLISECONDS)) {
                    return rest;
                }
                if (heartbeat != null) {
                    sink.writeAll(FakeGemini.frame(": keep-alive\n".getBytes(StandardCharsets.UTF_8)));
                    sink.flush();
                }
            }
            return rest;
        } catch (IOException e) {
            clientGone.countDown();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
