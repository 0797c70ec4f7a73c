package dev.geminibot.core.model;

import java.util.Iterator;

/**
 * One answer as it streams. Iterate it on one thread (a virtual thread: {@code hasNext()} blocks on the
 * network). The last event is a {@link Finished}, unless iteration ends by a {@link ModelException}
 * thrown from {@code hasNext()} or {@code next()}.
 */
public interface ModelStream extends Iterable<StreamEvent>, AutoCloseable {

    /**
     * Returns the event iterator. May be called once.
     *
     * @throws ModelException from {@code hasNext()}/{@code next()} when the request fails, the stream
     *                        breaks or it is cancelled ({@link ModelException.Kind#CANCELLED})
     */
    @Override
    Iterator<StreamEvent> iterator();

    /**
     * Lets the stream read in batches. Whenever it has read everything that arrived and its next read would
     * wait for the network, it tells {@code pacing} ({@link ReadPacing#caughtUp}) and holds that read for as
     * long as the consumer can do without events, or until the consumer wakes it (woken at once by
     * {@link #cancel()}); events that arrive meanwhile are then read in one go. Without it, or with
     * {@link ReadPacing#EAGER}, every event is read as it arrives, at the cost of one thread wake-up each.
     * Call before iterating. Streams that read from memory ignore it.
     */
    default void paceReads(ReadPacing pacing) {
    }

    /**
     * Stops the answer from any thread: closes the HTTP call at once and wakes a blocked reader, which
     * then sees a {@link ModelException} of kind {@link ModelException.Kind#CANCELLED}. Idempotent.
     */
    void cancel();

    /** Releases the connection. Idempotent; cancels a stream that is still open. */
    @Override
    void close();
}
