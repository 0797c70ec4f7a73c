package dev.geminibot.discord;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.Trigger;
import java.util.Optional;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageType;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a message addresses the bot and hands it to the engine: a mention, a reply to one of
 * the bot's messages, any message in a thread the bot started or answered in, any DM. Everything from
 * bots (the bot itself included), webhooks and system messages is ignored, as is everything the
 * allowlists exclude. Where the bot lacks a permission to answer, it says so in the log and to the asker
 * in a DM instead. Runs on JDA's event thread and never blocks it.
 */
final class MessageRouter extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MessageRouter.class);
    private static final int THREAD_NAME_MAX = 90;

    private final ChatEngine engine;
    private final Allowlist allowlist;
    private final PermissionWarnings permissions;
    private final AskerNotices notices;
    private final ThreadHistory history;
    private final boolean replyInThread;
    private final AnswerButtons buttons;

    MessageRouter(ChatEngine engine, Allowlist allowlist, PermissionWarnings permissions, AskerNotices notices,
                  ThreadHistory history, boolean replyInThread, AnswerButtons buttons) {
        this.buttons = buttons;
        this.engine = engine;
        this.allowlist = allowlist;
        this.permissions = permissions;
        this.notices = notices;
        this.history = history;
        this.replyInThread = replyInThread;
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        Message message = event.getMessage();
        User author = event.getAuthor();
        if (author.isBot() || author.isSystem() || event.isWebhookMessage()
                || (message.getType() != MessageType.DEFAULT && message.getType() != MessageType.INLINE_REPLY)) {
            return;
        }
        MessageChannel channel = event.getChannel();
        User self = event.getJDA().getSelfUser();
        Optional<Trigger> trigger = triggerOf(message, channel, self);
        if (trigger.isEmpty() || !allowlist.allows(author, event.getMember(), channel)) {
            return;
        }
        String text = readable(message, self.getId());
        if (text.isEmpty() && message.getAttachments().isEmpty()) {
            return;
        }
        String userName = event.getMember() != null ? event.getMember().getEffectiveName() : author.getEffectiveName();
        boolean newThread = replyInThread && trigger.get() == Trigger.MENTION
                && channel instanceof GuildChannel && !(channel instanceof ThreadChannel);
        if (newThread) {
            startThreadAndAnswer(message, text, userName);
            return;
        }
        if (channel instanceof GuildChannel guildChannel && !mayAnswerIn(guildChannel, author, neededToReply(channel))) {
            return;
        }
        // In a DM or a thread the conversation is visible as it is; in a channel the answer replies to
        // the question so it is clear what it answers.
        long replyTo = channel instanceof GuildChannel && !(channel instanceof ThreadChannel) ? message.getIdLong() : 0;
        submit(Conversations.keyOf(channel), author.getId(), userName, text, trigger.get(), message,
                new ChannelSink(channel, replyTo, author.getId(), permissions, notices));
    }

    private Optional<Trigger> triggerOf(Message message, MessageChannel channel, User self) {
        if (!(channel instanceof GuildChannel)) {
            return Optional.of(Trigger.DIRECT_MESSAGE);
        }
        if (message.getMentions().isMentioned(self, Message.MentionType.USER)) {
            return Optional.of(Trigger.MENTION);
        }
        Message referenced = message.getReferencedMessage();
        if (referenced != null && referenced.getAuthor().getIdLong() == self.getIdLong()) {
            return Optional.of(Trigger.REPLY);
        }
        if (channel instanceof ThreadChannel thread
                && (thread.getOwnerIdLong() == self.getIdLong() || engine.knows(Conversations.keyOf(thread)))) {
            return Optional.of(Trigger.THREAD_FOLLOW_UP);
        }
        return Optional.empty();
    }

    private void startThreadAndAnswer(Message message, String text, String userName) {
        var channel = (GuildChannel) message.getChannel();
        if (!mayAnswerIn(channel, message.getAuthor(), Permission.VIEW_CHANNEL, Permission.CREATE_PUBLIC_THREADS,
                Permission.MESSAGE_SEND_IN_THREADS)) {
            return;
        }
        message.createThreadChannel(threadName(text)).submit().whenComplete((thread, failure) -> {
            if (failure != null) {
                LOG.warn("Could not start a thread in #{} ({}): {}", channel.getName(), channel.getId(),
                        PlatformErrors.map(failure).getMessage());
                return;
            }
            String userId = message.getAuthor().getId();
            submit(Conversations.keyOf(thread), userId, userName, text, Trigger.MENTION, message,
                    new ChannelSink(thread, 0, userId, permissions, notices));
        });
    }

    private void submit(ConversationKey key, String userId, String userName, String text, Trigger trigger,
                        Message message, ChannelSink sink) {
        history.answering(key, message.getIdLong());
        buttons.follow(engine.submit(new Incoming(key, userId, userName, text, trigger, message.getId(),
                DiscordFiles.of(message)), sink), sink);
    }

    /**
     * Whether the bot holds {@code needed} in {@code channel}. When it does not, the operator reads which
     * permission is missing in the log (once per channel), and the asker learns it in a DM (rarely).
     */
    private boolean mayAnswerIn(GuildChannel channel, User asker, Permission... needed) {
        var missing = permissions.missing(channel, needed);
        if (missing.isEmpty()) {
            return true;
        }
        notices.missingPermissions(asker.getId(), channel, missing);
        return false;
    }

    private static Permission[] neededToReply(MessageChannel channel) {
        return channel instanceof ThreadChannel
                ? new Permission[] {Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND_IN_THREADS}
                : new Permission[] {Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND, Permission.MESSAGE_HISTORY};
    }

    /** The message text without the bot's own mention ({@code <@id>} or the legacy {@code <@!id>}). */
    static String withoutSelfMention(String content, String selfId) {
        return content.replace("<@" + selfId + ">", "").replace("<@!" + selfId + ">", "").strip();
    }

    /**
     * The message as the model should read it: without the bot's own mention, and with the other
     * mentions Discord resolved in the message as names ({@code @Bob}, {@code @moderators},
     * {@code #general}) instead of {@code <@id>} markup, so "what did <@42> mean?" makes sense.
     */
    static String readable(Message message, String selfId) {
        String text = withoutSelfMention(message.getContentRaw(), selfId);
        var mentions = message.getMentions();
        for (User user : mentions.getUsers()) {
            if (!user.getId().equals(selfId)) {
                Member member = mentions.getMembers().stream()
                        .filter(m -> m.getIdLong() == user.getIdLong()).findFirst().orElse(null);
                String name = "@" + (member != null ? member.getEffectiveName() : user.getEffectiveName());
                text = text.replace("<@" + user.getId() + ">", name).replace("<@!" + user.getId() + ">", name);
            }
        }
        for (Role role : mentions.getRoles()) {
            text = text.replace("<@&" + role.getId() + ">", "@" + role.getName());
        }
        for (GuildChannel channel : mentions.getChannels()) {
            text = text.replace("<#" + channel.getId() + ">", "#" + channel.getName());
        }
        return text;
    }

    static String threadName(String text) {
        String line = text.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            return "Gemini";
        }
        return line.length() <= THREAD_NAME_MAX ? line : line.substring(0, THREAD_NAME_MAX - 1) + "…";
    }
}
