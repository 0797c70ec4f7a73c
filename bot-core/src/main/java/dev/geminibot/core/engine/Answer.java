package dev.geminibot.core.engine;

import java.util.concurrent.CompletableFuture;

/** One answer the engine writes, from the moment it is submitted until its final edit has landed. */
public interface Answer {

    /** How an answer ended. */
    enum Outcome {
        /** The model finished (normally or at its length limit) and the text was shown. */
        COMPLETED,
        /** The model refused or stopped for safety, recitation or a blocked prompt. */
        BLOCKED,
        /** The model call failed; the partial text, if any, was kept with a line saying why. */
        FAILED,
        /** Someone stopped it ({@code /stop}, the Stop button, Ctrl-C). */
        STOPPED,
        /** The bot shut down while it was being written. */
        INTERRUPTED,
        /** The bot's message was deleted while it was being written. */
        GONE,
        /** It was never started (rate limit, too long, too busy); the user was told why. */
        REFUSED
    }

    /** Unique within this process, for logs. */
    String id();

    /** What was asked. */
    Incoming incoming();

    /** Stops the answer if it is being written (cancels the model call, keeps the text so far). */
    void stop();

    /** Completes when the answer's final edit has landed or was given up; never exceptionally. */
    CompletableFuture<AnswerResult> done();
}
