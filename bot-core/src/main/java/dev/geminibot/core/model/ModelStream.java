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
     * Stops the answer from any thread: closes the HTTP call at once and wakes a blocked reader, which
     * then sees a {@link ModelException} of kind {@link ModelException.Kind#CANCELLED}. Idempotent.
     */
    void cancel();

    /** Releases the connection. Idempotent; cancels a stream that is still open. */
    @Override
    void close();
}
