package dev.geminibot.discord;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.MessageType;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a conversation from Discord when the engine does not remember it (after a restart): reads the
 * latest messages of the thread (or DM), plus a thread's starter message in its parent channel, and
 * turns the bot's messages into model turns and everyone else's into user turns. Blocks on REST calls
 * (the engine calls it on a virtual thread); any failure yields an empty history.
 */
final class ThreadHistory implements HistoryLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadHistory.class);
    /** Discord returns at most 100 messages per history page; one page is plenty for a context budget. */
    private static final int PAGE = 100;

    private final LongFunction<MessageChannel> channels;
    /**
     * The message each conversation is about to answer. Needed only between submit and the engine's load
     * (seconds, or minutes behind a queue), so entries expire instead of piling up for every channel.
     */
    private final Map<ConversationKey, Long> answering = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(1))
            .maximumSize(100_000)
            .<ConversationKey, Long>build()
            .asMap();

    /** @param channels finds a cached channel (thread, DM) by id, or null */
    ThreadHistory(LongFunction<MessageChannel> channels) {
        this.channels = channels;
    }

    /** Notes the user message about to be answered in {@code key}: it and anything newer is not history. */
    void answering(ConversationKey key, long messageId) {
        answering.put(key, messageId);
    }

    @Override
    public List<Turn> load(ConversationKey key, int maxChars) {
        try {
            MessageChannel channel = channels.apply(Long.parseUnsignedLong(key.channel()));
            if (channel == null) {
                return List.of();
            }
            long before = answering.getOrDefault(key, Long.MAX_VALUE);
            String selfId = channel.getJDA().getSelfUser().getId();
            List<Message> newestFirst = new ArrayList<>(channel.getHistory().retrievePast(PAGE).complete());
            if (channel instanceof ThreadChannel thread && newestFirst.size() < PAGE) {
                starter(thread).ifPresent(newestFirst::add);
            }
            List<Turn> turns = new ArrayList<>();
            int chars = 0;
            for (Message message : newestFirst) {
                if (Long.compareUnsigned(message.getIdLong(), before) >= 0 || !conversational(message, selfId)) {
                    continue;
                }
                String text = message.getAuthor().getId().equals(selfId)
                        ? DiscordText.unrender(message.getContentRaw())
                        : DiscordFiles.withMentions(MessageRouter.readable(message, selfId), message);
                if (text.isEmpty()) {
                    continue;
                }
                chars += text.length();
                if (chars > maxChars && !turns.isEmpty()) {
                    break;
                }
                var at = message.getTimeCreated().toInstant();
                turns.add(message.getAuthor().getId().equals(selfId)
                        ? Turn.model(text, at)
                        : Turn.user(message.getAuthor().getId(), displayName(message), text, at));
            }
            Collections.reverse(turns);
            return turns;
        } catch (RuntimeException failure) {
            LOG.warn("Could not read the history of {}: {}", key, PlatformErrors.map(failure).getMessage());
            return List.of();
        }
    }

    private static java.util.Optional<Message> starter(ThreadChannel thread) {
        try {
            // A thread started from a message has the message's id; the question lives in the parent.
            return java.util.Optional.of(thread.getParentMessageChannel().retrieveMessageById(thread.getIdLong()).complete());
        } catch (RuntimeException notStartedFromAMessage) {
            return java.util.Optional.empty();
        }
    }

    private static boolean conversational(Message message, String selfId) {
        boolean ordinary = message.getType() == MessageType.DEFAULT || message.getType() == MessageType.INLINE_REPLY
                || message.getType() == MessageType.SLASH_COMMAND;
        return ordinary && (!message.getAuthor().isBot() || message.getAuthor().getId().equals(selfId));
    }

    private static String displayName(Message message) {
        return message.getMember() != null ? message.getMember().getEffectiveName() : message.getAuthor().getEffectiveName();
    }
}
