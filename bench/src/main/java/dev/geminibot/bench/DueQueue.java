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
 * streams are seen soon.
 */
final class DueQueue<S> {
    private static final int PACERS = Integer.getInteger("bench.pacers", 2);

    /** Writes the stream's due event; true when more is to come (its due time updated). One pacer thread. */
    interface Writer<S> {
        boolean writeDue(S stream, long now);
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

    private void run(ConcurrentLinkedQueue<S> inbox, ToLongFunction<S> due, Writer<S> write) {
        PriorityQueue<S> queue = new PriorityQueue<>((a, b) -> Long.compare(due.applyAsLong(a), due.applyAsLong(b)));
        while (!closed) {
            for (S s; (s = inbox.poll()) != null; ) {
                queue.add(s);
            }
            S head = queue.peek();
            long now = System.nanoTime();
            if (head == null) {
                LockSupport.parkNanos(10_000_000L);
                continue;
            }
            long at = due.applyAsLong(head);
            if (at > now) {
                LockSupport.parkNanos(Math.min(at - now, 10_000_000L));
                continue;
            }
            queue.poll();
            if (write.writeDue(head, now)) {
                queue.add(head);
            }
        }
    }
}
