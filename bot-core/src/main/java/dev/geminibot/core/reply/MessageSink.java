package dev.geminibot.core.reply;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where one answer is written: the port each platform implements, bound to one channel or thread.
 * Calls return at once; their futures complete when the platform has answered, exceptionally with a
 * {@link PlatformException}. The streaming reply never has two calls of one answer in flight.
 */
public interface MessageSink {

    /**
     * Posts a new message with {@code text} (already rendered, within {@link #maxLength()}).
     *
     * @param live true while the answer is still being written: the platform may show a Stop button
     *             or a typing state; false for a message that is final as posted
     */
    CompletableFuture<MessageRef> post(String text, boolean live);

    /**
     * Replaces the text of a message this sink posted.
     *
     * @param live false on the message's last edit: a Stop button or other live controls go away
     */
    CompletableFuture<Void> edit(MessageRef message, String text, boolean live);

    /** Longest text one message may hold, in characters of rendered text. */
    int maxLength();

    /**
     * The edit interval this platform tolerates when the operator set none ({@code streaming.editInterval}):
     * Discord 1 s (its edit bucket allows about 5 per 5 s), Slack 500 ms.
     */
    default Duration defaultEditInterval() {
        return Duration.ofMillis(500);
    }

    /** How Markdown becomes this platform's text. */
    default TextRenderer renderer() {
        return TextRenderer.MARKDOWN;
    }

    /**
     * Messages whose edits share one platform rate limit return the same key (Discord: the channel;
     * Slack: the workspace, since {@code chat.update} is limited per workspace), so answers streaming
     * side by side are paced together. Null means no sharing.
     */
    default String rateLimitKey() {
        return null;
    }

    /** Signals that the bot is working before any text exists (Discord typing). Best effort, optional. */
    default void showTyping() {
    }

    /**
     * Shows {@code status} (e.g. {@code Thinking…}) as the platform's working state, without a message: Slack's
     * assistant thread status. Used when no placeholder message may be posted ({@code streaming.mode: final}).
     * Best effort; the default shows the typing signal.
     */
    default void showStatus(String status) {
        showTyping();
    }

    /**
     * The sink's native append stream, if it offers one (optional capability, Chat SDK's {@code stream}
     * verb): the reply then sends only what is new while a message's text grows, without cursor. Empty (the
     * default): every change is an {@link #edit} of the whole text.
     */
    default Optional<AppendStream> appendStream() {
        return Optional.empty();
    }

    /**
     * True if the "Thinking…" placeholder (and {@code StreamingReply#status}) should be shown with {@link
     * #showStatus} rather than posted as a message: Slack's assistant threads have a status line, and a
     * native stream should start with the answer's first words, not with a placeholder it cannot take back.
     */
    default boolean placeholderAsStatus() {
        return false;
    }
}
