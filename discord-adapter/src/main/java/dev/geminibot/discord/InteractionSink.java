package dev.geminibot.discord;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.interactions.InteractionHook;

/**
 * Writes the answer to a deferred slash command: the first part fills the command's original response
 * (a webhook edit with the interaction token), later parts are plain channel messages. The token lasts
 * 15 minutes; a little before that, edits of the original response switch to the channel message
 * endpoint (the response is an ordinary message of the bot), so a long answer still ends cleanly.
 */
final class InteractionSink implements MessageSink {

    /** Margin before the 15-minute token expiry after which the webhook is no longer used. */
    static final Duration TOKEN_MARGIN = Duration.ofMinutes(1);

    private final InteractionHook hook;
    private final MessageChannel channel;
    private final String askerId;
    private final Instant tokenUsableUntil;
    private final Clock clock;
    private final PermissionWarnings warnings;
    private volatile String originalId;

    InteractionSink(InteractionHook hook, MessageChannel channel, String askerId, Instant interactionCreated,
                    Clock clock, PermissionWarnings warnings) {
        this.hook = hook;
        this.channel = channel;
        this.askerId = askerId;
        this.tokenUsableUntil = interactionCreated.plus(Duration.ofMinutes(15)).minus(TOKEN_MARGIN);
        this.clock = clock;
        this.warnings = warnings;
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        CompletableFuture<Message> sent;
        if (originalId == null && tokenUsable()) {
            sent = hook.editOriginal(DiscordMessages.edit(text, live, askerId)).submit()
                    .thenApply(message -> {
                        originalId = message.getId();
                        return message;
                    });
        } else {
            sent = channel.sendMessage(DiscordMessages.create(text, live, askerId)).submit();
        }
        return sent.thenApply(message -> new MessageRef(message.getId())).exceptionallyCompose(this::failed);
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        var data = DiscordMessages.edit(text, live, askerId);
        var action = message.id().equals(originalId) && tokenUsable()
                ? hook.editOriginal(data)
                : channel.editMessageById(message.id(), data);
        return action.submit().<Void>thenApply(edited -> null).exceptionallyCompose(this::failed);
    }

    private boolean tokenUsable() {
        return clock.instant().isBefore(tokenUsableUntil);
    }

    private <T> CompletableFuture<T> failed(Throwable failure) {
        var mapped = PlatformErrors.map(failure);
        warnings.onFailure(channel, mapped);
        return CompletableFuture.failedFuture(mapped);
    }

    @Override
    public int maxLength() {
        return ChannelSink.MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public String rateLimitKey() {
        return "discord:" + channel.getId();
    }
}
