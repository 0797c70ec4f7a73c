package dev.geminibot.slack;

import dev.geminibot.core.reply.AppendStream;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.TextRenderer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink that remembers the text each of its messages last showed (posted, edited, or grown by a native
 * append stream), so the answer's buttons can be added afterwards: Slack's {@code chat.update} replaces a
 * message's blocks only together with its text. Every call goes to the wrapped sink unchanged; every
 * {@link MessageSink} method is forwarded, so the wrapped sink's capabilities stay in force.
 */
final class TextKeepingSink implements MessageSink {
    private final MessageSink inner;
    private final boolean markdown;
    private final Map<String, String> shown = new ConcurrentHashMap<>();

    /** @param markdown the inner sink writes Markdown ({@code markdown_text}, native streams), not mrkdwn */
    TextKeepingSink(MessageSink inner, boolean markdown) {
        this.inner = inner;
        this.markdown = markdown;
    }

    /** What {@code messageId} showed after its last successful call, or null. */
    String shown(String messageId) {
        return shown.get(messageId);
    }

    boolean markdown() {
        return markdown;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        return inner.post(text, live).thenApply(ref -> {
            shown.put(ref.id(), text);
            return ref;
        });
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        return inner.edit(message, text, live).thenRun(() -> shown.put(message.id(), text));
    }

    @Override
    public int maxLength() {
        return inner.maxLength();
    }

    @Override
    public Duration defaultEditInterval() {
        return inner.defaultEditInterval();
    }

    @Override
    public TextRenderer renderer() {
        return inner.renderer();
    }

    @Override
    public String rateLimitKey() {
        return inner.rateLimitKey();
    }

    @Override
    public void showTyping() {
        inner.showTyping();
    }

    @Override
    public void showStatus(String status) {
        inner.showStatus(status);
    }

    @Override
    public boolean placeholderAsStatus() {
        return inner.placeholderAsStatus();
    }

    @Override
    public Optional<AppendStream> appendStream() {
        return inner.appendStream().map(stream -> new AppendStream() {
            @Override
            public CompletableFuture<Void> append(MessageRef message, String more) {
                return stream.append(message, more).thenRun(() -> shown.merge(message.id(), more, String::concat));
            }

            @Override
            public CompletableFuture<Void> stop(MessageRef message, String more) {
                return stream.stop(message, more).thenRun(() -> shown.merge(message.id(), more, String::concat));
            }
        });
    }
}
