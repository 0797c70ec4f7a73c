package dev.geminibot.bench;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * The lean fakes' pacer loop: streams handed over through {@code inbox}, kept ordered by when their next event
 * is due ({@code System.nanoTime()}), each written when due by {@code write} (which sets the next due time and
 * returns false once the stream has ended). One thread; parks at most 10 ms, so new streams are seen soon.
 */
final class DueQueue<S> {
    /** Writes the stream's due event; true when more is to come (its due time updated). */
    interface Writer<S> {
        boolean writeDue(S stream, long now);
    }

    private DueQueue() {
    }

    static <S> void run(ConcurrentLinkedQueue<S> inbox, ToLongFunction<S> due, Writer<S> write, BooleanSupplier closed) {
        PriorityQueue<S> queue = new PriorityQueue<>((a, b) -> Long.compare(due.applyAsLong(a), due.applyAsLong(b)));
        while (!closed.getAsBoolean()) {
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
