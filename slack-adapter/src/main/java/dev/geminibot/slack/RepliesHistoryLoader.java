package dev.geminibot.slack;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a Slack thread's conversation from {@code conversations.replies} when the engine does not
 * remember it. The bot's own messages become model turns, everyone else's user turns (mentions of the
 * bot removed, Slack's entities decoded). Messages from the one being answered onwards are left out:
 * the adapter notes its {@code ts} in {@link #answering} before it submits.
 */
final class RepliesHistoryLoader implements HistoryLoader {

    private static final Logger log = LoggerFactory.getLogger(RepliesHistoryLoader.class);
    /** Pages of 200 read at most: a longer thread's oldest messages would not fit the budget anyway. */
    private static final int MAX_PAGES = 5;

    private final MethodsClient client;
    private final Supplier<String> botUserId;
    private final SlackUserNames names;
    /**
     * ts of the message being answered per conversation, so it is not loaded twice. Needed only between
     * submit and the engine's load, so entries expire instead of piling up for every thread.
     */
    final Map<ConversationKey, String> answering = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofHours(1)).maximumSize(100_000).<ConversationKey, String>build().asMap();

    RepliesHistoryLoader(MethodsClient client, Supplier<String> botUserId, SlackUserNames names) {
        this.client = client;
        this.botUserId = botUserId;
        this.names = names;
    }

    @Override
    public List<Turn> load(ConversationKey key, int maxChars) {
        if (!key.inThread()) {
            return List.of();
        }
        try {
            List<Message> messages = read(key);
            return toTurns(messages, answering.get(key), maxChars);
        } catch (RuntimeException e) {
            log.warn("Could not rebuild {} from conversations.replies: {}", key, e.getMessage());
            return List.of();
        }
    }

    /** True when the bot posted in the thread: a follow-up there is addressed to it even after a restart. */
    boolean botTookPart(ConversationKey key) {
        try {
            String bot = botUserId.get();
            return read(key).stream().anyMatch(m -> bot.equals(m.getUser()));
        } catch (RuntimeException e) {
            log.debug("conversations.replies failed for {}: {}", key, e.getMessage());
            return false;
        }
    }

    private List<Message> read(ConversationKey key) {
        List<Message> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String pageCursor = cursor;
            ConversationsRepliesResponse response = SlackCalls.call("conversations.replies", () -> client
                    .conversationsReplies(r -> r.channel(key.channel()).ts(key.thread()).limit(200).cursor(pageCursor)));
            all.addAll(response.getMessages() == null ? List.of() : response.getMessages());
            cursor = response.getResponseMetadata() == null ? null : response.getResponseMetadata().getNextCursor();
            if (cursor == null || cursor.isEmpty()) {
                break;
            }
        }
        return all;
    }

    private List<Turn> toTurns(List<Message> messages, String answeringTs, int maxChars) {
        String bot = botUserId.get();
        Deque<Turn> turns = new ArrayDeque<>();
        int used = 0;
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            boolean hasFiles = m.getFiles() != null && !m.getFiles().isEmpty();
            if (((m.getText() == null || m.getText().isBlank()) && !hasFiles)
                    || (answeringTs != null && compareTs(m.getTs(), answeringTs) >= 0)) {
                continue;
            }
            boolean fromBot = bot.equals(m.getUser());
            if (!fromBot && m.getBotId() != null) {
                continue;
            }
            String said = m.getText() == null ? "" : m.getText();
            String text = fromBot ? said
                    : SlackFiles.withMentions(SlackText.fromUser(said, bot, names::nameOf), m.getFiles());
            if (used + text.length() > maxChars) {
                break;
            }
            used += text.length();
            Instant at = SlackText.instant(m.getTs());
            turns.addFirst(fromBot ? Turn.model(text, at) : Turn.user(m.getUser(), names.nameOf(m.getUser()), text, at));
        }
        return List.copyOf(turns);
    }

    private static int compareTs(String a, String b) {
        return new BigDecimal(a).compareTo(new BigDecimal(b));
    }
}
