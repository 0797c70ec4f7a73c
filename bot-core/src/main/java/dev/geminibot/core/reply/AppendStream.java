package dev.geminibot.core.reply;

import java.util.concurrent.CompletableFuture;

/**
 * A native append-only stream that a {@link MessageSink} may offer ({@link MessageSink#appendStream()}):
 * Slack's {@code chat.startStream} / {@code appendStream} / {@code stopStream}. A live {@link MessageSink#post}
 * opens the stream; while the text only grows the reply sends just what is new since its last call (never
 * one call per delta: calls are paced like edits), and {@link #stop} ends it. When the text was rewritten
 * rather than extended (Markdown healing closed a code block that now continues, a split sealed the
 * message), the reply calls {@link MessageSink#edit} instead, and the sink ends the stream and replaces the
 * text. Live texts sent to an append stream carry no cursor (the platform shows its own streaming state).
 */
public interface AppendStream {

    /** Adds {@code more} to the end of {@code message}, a message this sink opened with a live post. */
    CompletableFuture<Void> append(MessageRef message, String more);

    /** Ends the stream of {@code message}, adding {@code more} (possibly empty): its text is then final. */
    CompletableFuture<Void> stop(MessageRef message, String more);
}
