package dev.geminibot.bench;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The lean fakes' pacers: {@code bench.pacers} platform threads (default 2), each with the streams handed to
 * it ordered by when their next event is due ({@code System.nanoTime()}), writing each when due. A stream
 * goes to a pacer by its id, so one stream is only ever written by one thread. Parks at most 10 ms, so new
 * streams are seen soon. A writer may gather: it then keeps what a pass writes and sends it in
 * {@link Writer#flush()}, and passes come at most once per its {@link Writer#holdNanos()}.
 */
final class DueQueue<S> {
    private static final int PACERS = Integer.getInteger("bench.pacers", 2);

    /** Writes the stream's due event; true when more is to come (its due time updated). One pacer thread. */
    interface Writer<S> {
        boolean writeDue(S stream, long now);

        /**
         * Sends what {@link #writeDue} kept back: called after each pass over the due streams. A writer that
         * gathers events into fewer socket writes keeps them until then.
         */
        default void flush() {
        }

        /** The least time between passes, so a pass gathers what fell due meanwhile; 0 for a pass per due time. */
        default long holdNanos() {
            return 0;
        }
    }

    private final Thread[] pacers = new Thread[PACERS];
    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<S>[] inboxes = new ConcurrentLinkedQueue[PACERS];
    private volatile boolean closed;

    /** @param writers one writer per pacer thread (it may keep scratch buffers of its own) */
    DueQueue(String name, ToLongFunction<S> due, Supplier<Writer<S>> writers) {
        for (int i = 0; i < PACERS; i++) {
            ConcurrentLinkedQueue<S> inbox = new ConcurrentLinkedQueue<>();
            inboxes[i] = inbox;
            Writer<S> writer = writers.get();
            pacers[i] = Thread.ofPlatform().name(name + "-pacer-" + i).daemon().start(() -> run(inbox, due, writer));
        }
    }

    /** Hands a new stream to its pacer. */
    void add(long id, S stream) {
        int pacer = (int) Math.floorMod(id, (long) PACERS);
        inboxes[pacer].add(stream);
        LockSupport.unpark(pacers[pacer]);
    }

    void close() {
        closed = true;
        for (Thread pacer : pacers) {
            LockSupport.unpark(pacer);
        }
    }

    /**
     * Writes every due stream, flushes, then sleeps until the next one is due; a writer that gathers sleeps at
     * least its hold, so what falls due meanwhile goes out in the same flush (it would have waited for it anyway).
     */
    private void run(ConcurrentLinkedQueue<S> inbox, ToLongFunction<S> due, Writer<S> write) {
        PriorityQueue<S> queue = new PriorityQueue<>((a, b) -> Long.compare(due.applyAsLong(a), due.applyAsLong(b)));
        long hold = write.holdNanos();
        while (!closed) {
            for (S s; (s = inbox.poll()) != null; ) {
                queue.add(s);
            }
            long passAt = System.nanoTime();
            S head;
            for (long now = passAt; (head = queue.peek()) != null && due.applyAsLong(head) - now <= 0;
                    now = System.nanoTime()) {
                queue.poll();
                if (write.writeDue(head, now)) {
                    queue.add(head);
                }
            }
            write.flush();
            long next = head == null ? passAt + 10_000_000L : due.applyAsLong(head);
            long wait = Math.max(next, passAt + hold) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 10_000_000L));
            }
        }
    }
}
