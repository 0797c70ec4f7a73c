package dev.geminibot.core.engine;

import dev.geminibot.core.model.ModelStream;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's handle on one answer: who asked, how to stop it, and its result. Stop may come from any
 * thread at any moment (before the model call exists, during it, or after it ended).
 */
final class AnswerRun implements Answer {

    /** Why an answer was stopped from outside; the first cause wins. */
    enum StopCause { USER, SHUTDOWN, GONE }

    /** What the answer does: answer a new message, answer the latest question again, or carry on a cut answer. */
    enum Kind { ASK, REGENERATE, CONTINUE }

    private final String id;
    private final Incoming incoming;
    private final Kind kind;
    /** For REGENERATE and CONTINUE: the answer acted on, which must still be its conversation's latest. */
    private final String target;
    private final java.time.Instant received;
    private final CompletableFuture<AnswerResult> done = new CompletableFuture<>();
    private ModelStream stream;
    private StopCause stopCause;
    private java.util.function.Consumer<AnswerResult> beforeDone = result -> { };

    AnswerRun(String id, Incoming incoming, java.time.Instant received) {
        this(id, incoming, received, Kind.ASK, null);
    }

    AnswerRun(String id, Incoming incoming, java.time.Instant received, Kind kind, String target) {
        this.id = id;
        this.incoming = incoming;
        this.received = received;
        this.kind = kind;
        this.target = target;
    }

    Kind kind() {
        return kind;
    }

    String target() {
        return target;
    }

    /** When the engine received the message (the platform event's arrival, near enough). */
    java.time.Instant received() {
        return received;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Incoming incoming() {
        return incoming;
    }

    @Override
    public void stop() {
        stop(StopCause.USER);
    }

    /** Records the cause (if none yet) and cancels the model call if there is one. */
    void stop(StopCause cause) {
        ModelStream toCancel;
        synchronized (this) {
            if (stopCause == null) {
                stopCause = cause;
            }
            toCancel = stream;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
    }

    /** Binds the model call; cancels it at once if the answer was stopped before it existed. */
    void attach(ModelStream modelStream) {
        boolean stopped;
        synchronized (this) {
            stream = modelStream;
            stopped = stopCause != null;
        }
        if (stopped) {
            modelStream.cancel();
        }
    }

    synchronized StopCause stopCause() {
        return stopCause;
    }

    @Override
    public CompletableFuture<AnswerResult> done() {
        return done;
    }

    /**
     * Runs {@code action} when the answer completes, before {@link #done()} does: whoever waits for the
     * answer then sees it counted and no longer open.
     */
    synchronized void beforeDone(java.util.function.Consumer<AnswerResult> action) {
        beforeDone = beforeDone.andThen(action);
    }

    void complete(AnswerResult result) {
        java.util.function.Consumer<AnswerResult> actions;
        synchronized (this) {
            actions = beforeDone;
        }
        try {
            actions.accept(result);
        } finally {
            done.complete(result);
        }
    }
}
