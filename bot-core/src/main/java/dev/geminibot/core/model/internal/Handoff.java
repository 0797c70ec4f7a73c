package dev.geminibot.core.model.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Passes SSE payloads from the reader thread to the iterating thread one at a time: the reader waits
 * until the previous payload was taken, so at most one event is read ahead of the consumer (the
 * network, not memory, absorbs a slow consumer). A terminal signal (end or failure) never waits, and
 * {@link #close()} wakes both sides at once: this is how a cancel reaches a blocked reader.
 */
final class Handoff {

    /** What the reader reports. */
    sealed interface Signal permits Data, Ended, Failed {
    }

    record Data(String payload) implements Signal {
    }

    record Ended() implements Signal {
    }

    record Failed(Throwable error) implements Signal {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Data item;
    private Signal terminal;
    private boolean closed;

    /** Reader side: waits for the slot. Returns false when the consumer has gone; stop reading then. */
    boolean put(Data data) throws InterruptedException {
        lock.lock();
        try {
            while (item != null && !closed) {
                changed.await();
            }
            if (closed) {
                return false;
            }
            item = data;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Reader side: the stream ended or failed. Only the first terminal signal counts. */
    void finish(Signal signal) {
        lock.lock();
        try {
            if (terminal == null) {
                terminal = signal;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Consumer side: the next payload, else the terminal signal once all payloads were taken; null when
     * {@link #close()} was called.
     */
    Signal take() throws InterruptedException {
        lock.lock();
        try {
            while (item == null && terminal == null && !closed) {
                changed.await();
            }
            if (closed) {
                return null;
            }
            if (item != null) {
                Data next = item;
                item = null;
                changed.signalAll();
                return next;
            }
            return terminal;
        } finally {
            lock.unlock();
        }
    }

    /** Either side, any thread: drops what is pending and wakes everyone. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            item = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
