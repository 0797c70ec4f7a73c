package dev.geminibot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.TextRenderer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Writes an answer with {@code chat.postMessage} and {@code chat.update} into one channel, or one thread
 * when {@code threadTs} is set. While the answer is live its message carries a Stop button; the last
 * edit removes it. Each call runs on its own virtual thread and blocks there on the Web API.
 */
final class ChatUpdateSink implements MessageSink {

    /** Slack cuts {@code msg_too_long} at 4,000 characters; the margin covers entity escapes Slack recounts. */
    static final int MAX_LENGTH = 3_900;

    private final MethodsClient client;
    private final String channel;
    private final String threadTs;
    private final String stopValue;
    private final String rateLimitKey;
    private final Executor executor;
    private final Consumer<PlatformException> onPostFailure;

    /**
     * @param threadTs      thread to answer in, or null to post in the channel itself
     * @param stopValue     what the Stop button sends back to identify the conversation
     * @param rateLimitKey  the workspace: {@code chat.update} is limited per workspace
     * @param onPostFailure told when a post fails (e.g. {@code /ask} explains how to invite the bot)
     */
    ChatUpdateSink(MethodsClient client, String channel, String threadTs, String stopValue, String rateLimitKey,
                   Executor executor, Consumer<PlatformException> onPostFailure) {
        this.client = client;
        this.channel = channel;
        this.threadTs = threadTs;
        this.stopValue = stopValue;
        this.rateLimitKey = rateLimitKey;
        this.executor = executor;
        this.onPostFailure = onPostFailure;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ChatPostMessageResponse response = SlackCalls.call("chat.postMessage", () -> client.chatPostMessage(r -> r
                        .channel(channel)
                        .threadTs(threadTs)
                        .text(text)
                        .blocksAsString(live ? MessageBlocks.liveWithStop(text, stopValue) : null)
                        .unfurlLinks(false)
                        .unfurlMedia(false)));
                return new MessageRef(response.getTs());
            } catch (PlatformException e) {
                onPostFailure.accept(e);
                throw e;
            }
        }, executor);
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        return CompletableFuture.runAsync(() -> SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r
                .channel(channel)
                .ts(message.id())
                .text(text)
                .blocksAsString(live ? MessageBlocks.liveWithStop(text, stopValue) : MessageBlocks.NONE))), executor);
    }

    @Override
    public int maxLength() {
        return MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofMillis(500);
    }

    @Override
    public TextRenderer renderer() {
        return MrkdwnRenderer.INSTANCE;
    }

    @Override
    public String rateLimitKey() {
        return rateLimitKey;
    }
}
