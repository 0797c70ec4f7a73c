package dev.geminibot.core.model;

import java.time.Duration;

/**
 * When the consumer of a {@link ModelStream} next makes use of new events: a streaming reply shows new text
 * only at its next edit, so events that arrive before then can be read together, with one wake-up instead
 * of one per event (see {@link ModelStream#paceReads}).
 */
@FunctionalInterface
public interface ReadPacing {

    /** Never waits: every event is read as soon as it arrives. */
    ReadPacing EAGER = () -> Duration.ZERO;

    /** How long from now the consumer can do without new events; zero when it wants them at once. */
    Duration untilNeeded();
}
