package dev.geminibot.discord;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.interactions.InteractionHook;

/**
 * Writes the answer to a deferred slash command. While the interaction token is usable, every call goes
 * through the interaction webhook: the first part fills the command's original response, later parts are
 * follow-up messages, and edits of either go to the webhook too. So an answer longer than one message
 * still lands where the bot may run commands but not post (no Send Messages, or not a member of the
 * channel). The token lasts 15 minutes; a little before that, posts and edits switch to the channel
 * endpoints (the original response and the follow-ups are ordinary messages of the bot), so a long answer
 * still ends cleanly where the bot may post. Where it may not, those late calls fail as FORBIDDEN (logged
 * once by {@link PermissionWarnings}): nothing but the token can write there.
 *
 * <p>Thread-safe as the engine uses it: it keeps one call in flight per answer.
 */
final class InteractionSink implements MessageSink, ButtonEditor {

    /** Margin before the 15-minute token expiry after which the webhook is no longer used. */
    static final Duration TOKEN_MARGIN = Duration.ofMinutes(1);

    private final InteractionHook hook;
    private final MessageChannel channel;
    private final String askerId;
    private final Instant tokenUsableUntil;
    private final Clock clock;
    private final PermissionWarnings warnings;
    private volatile String originalId;
    /** Ids of the follow-up messages posted through the webhook: only these may be edited through it. */
    private final Set<String> followUpIds = ConcurrentHashMap.newKeySet();

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
        if (!tokenUsable()) {
            sent = channel.sendMessage(DiscordMessages.create(text, live, askerId)).submit();
        } else if (originalId == null) {
            sent = hook.editOriginal(DiscordMessages.edit(text, live, askerId)).submit()
                    .thenApply(message -> {
                        originalId = message.getId();
                        return message;
                    });
        } else {
            sent = hook.sendMessage(DiscordMessages.create(text, live, askerId)).submit()
                    .thenApply(message -> {
                        followUpIds.add(message.getId());
                        return message;
                    });
        }
        return sent.thenApply(message -> new MessageRef(message.getId())).exceptionallyCompose(this::failed);
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        var data = DiscordMessages.edit(text, live, askerId);
        String id = message.id();
        CompletableFuture<Message> edited;
        if (tokenUsable() && id.equals(originalId)) {
            edited = hook.editOriginal(data).submit();
        } else if (tokenUsable() && followUpIds.contains(id)) {
            edited = hook.editMessageById(id, data).submit();
        } else {
            edited = channel.editMessageById(id, data).submit();
        }
        return edited.<Void>thenApply(done -> null).exceptionallyCompose(this::failed);
    }

    @Override
    public String channelId() {
        return channel.getId();
    }

    /** Through the interaction's webhook while its token lasts (where the bot may not post), else the channel. */
    @Override
    public void setButtons(String messageId, java.util.List<? extends net.dv8tion.jda.api.components.MessageTopLevelComponent> rows) {
        CompletableFuture<?> edited;
        if (tokenUsable() && messageId.equals(originalId)) {
            edited = hook.editOriginalComponents(rows).submit();
        } else if (tokenUsable() && followUpIds.contains(messageId)) {
            edited = hook.editMessageComponentsById(messageId, rows).submit();
        } else {
            edited = channel.editMessageComponentsById(messageId, rows).submit();
        }
        edited.exceptionally(failure -> {
            warnings.onFailure(channel, PlatformErrors.map(failure));
            return null;
        });
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
    public dev.geminibot.core.reply.TextRenderer renderer() {
        return DiscordText.RENDERER;
    }

    @Override
    public int maxLength() {
        return ChannelSink.MAX_LENGTH;
    }

    @Override
    public Duration defaultEditInterval() {
        return ChannelSink.EDIT_INTERVAL;
    }

    @Override
    public String rateLimitKey() {
        return ChannelSink.rateLimitKeyOf(channel);
    }
}
