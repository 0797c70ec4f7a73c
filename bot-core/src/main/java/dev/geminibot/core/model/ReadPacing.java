package dev.geminibot.core.model;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * When the consumer of a {@link ModelStream} next makes use of new events: a streaming reply shows new text
 * only at its next edit, so events that arrive before then can be read together, just before that edit, with
 * one wake-up instead of one per event (see {@link ModelStream#paceReads}).
 */
@FunctionalInterface
public interface ReadPacing {

    /** Never waits: every event is read as soon as it arrives. */
    ReadPacing EAGER = wake -> Duration.ZERO;

    /**
     * The reader has read everything that had arrived: its next read would wait for the network. The
     * consumer may use the moment (a streaming reply that deferred an edit until the reader caught up makes
     * it now), and says how long it can do without new events.
     *
     * @param wake the consumer runs it (from any thread; late or extra runs are harmless) when it wants the
     *             events sooner than it said, at its next edit: true if that ended a hold, false if the reader
     *             was not holding (it reads on by itself)
     * @return how long the reader may hold its next read; zero to read on at once
     */
    Duration caughtUp(BooleanSupplier wake);
}
