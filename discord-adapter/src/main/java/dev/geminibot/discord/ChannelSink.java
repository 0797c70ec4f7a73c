package dev.geminibot.discord;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;

/**
 * Writes one answer into a channel, thread or DM with plain bot messages. The first message replies to
 * the user's message (when there is one), later parts follow as plain messages. Calls go through JDA's
 * rate limiter ({@code submit()}), which waits out 429s itself; the engine keeps one call in flight.
 * When Discord refuses the first part in a server channel, the asker is told so in a DM.
 */
final class ChannelSink implements MessageSink, ButtonEditor {

    /** Discord's limit on a message's content. */
    static final int MAX_LENGTH = 2000;
    /** Edits of a channel's messages share a bucket of about 5 per 5 s. */
    static final Duration EDIT_INTERVAL = Duration.ofSeconds(1);

    private final MessageChannel channel;
    private final long replyTo;
    private final String askerId;
    private final PermissionWarnings warnings;
    private final AskerNotices notices;
    private volatile boolean replied;
    private volatile boolean posted;

    /**
     * @param replyTo the user's message id to reply to with the first part, 0 for none
     * @param askerId who may press the Stop button (besides members with Manage Messages)
     */
    ChannelSink(MessageChannel channel, long replyTo, String askerId, PermissionWarnings warnings,
                AskerNotices notices) {
        this.channel = channel;
        this.replyTo = replyTo;
        this.askerId = askerId;
        this.warnings = warnings;
        this.notices = notices;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        MessageCreateAction action = channel.sendMessage(DiscordMessages.create(text, live, askerId));
        if (replyTo != 0 && !replied) {
            replied = true;
            // A deleted question must not lose the answer: post it unthreaded instead.
            action = action.setMessageReference(replyTo).failOnInvalidReply(false);
        }
        return action.submit()
                .thenApply(message -> {
                    posted = true;
                    return new MessageRef(message.getId());
                })
                .exceptionallyCompose(failure -> {
                    var mapped = PlatformErrors.map(failure);
                    // Nothing of the answer is visible and nothing will be: the asker would wait in silence.
                    if (!posted && mapped.kind() == PlatformException.Kind.FORBIDDEN
                            && channel instanceof GuildChannel guildChannel) {
                        notices.refused(askerId, guildChannel);
                    }
                    return failed(mapped);
                });
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        return channel.editMessageById(message.id(), DiscordMessages.edit(text, live, askerId))
                .submit()
                .<Void>thenApply(edited -> null)
                .exceptionallyCompose(this::failed);
    }

    private <T> CompletableFuture<T> failed(Throwable failure) {
        var mapped = PlatformErrors.map(failure);
        warnings.onFailure(channel, mapped);
        return CompletableFuture.failedFuture(mapped);
    }

    @Override
    public dev.geminibot.core.reply.TextRenderer renderer() {
        return DiscordText.RENDERER;
    }

    @Override
    public int maxLength() {
        return MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return EDIT_INTERVAL;
    }

    @Override
    public String rateLimitKey() {
        return rateLimitKeyOf(channel);
    }

    /** The pacer key of a channel: every sink writing there (replies, slash commands) shares its bucket. */
    static String rateLimitKeyOf(MessageChannel channel) {
        return "discord:" + channel.getId();
    }

    @Override
    public void setButtons(String messageId, java.util.List<? extends net.dv8tion.jda.api.components.MessageTopLevelComponent> rows) {
        channel.editMessageComponentsById(messageId, rows).queue(ok -> { },
                failure -> warnings.onFailure(channel, PlatformErrors.map(failure)));
    }

    @Override
    public String channelId() {
        return channel.getId();
    }

    @Override
    public void showTyping() {
        channel.sendTyping().queue(ok -> { }, failure -> { });
    }
}
