package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.media.SharedFile;
import dev.geminibot.core.state.LatestAnswer;
import dev.geminibot.core.state.StateStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each conversation's latest completed answer, the one its Regenerate and Continue buttons act on. The
 * record lives in the {@link StateStore}, so a press works after a restart and on whichever instance
 * receives it. The files attached to its question stay in this process only: their download headers are
 * credentials and never go to the store, so a press handled elsewhere (or after a restart) asks again
 * with the question's file mentions but without the files.
 */
final class LatestAnswers {
    private record Attached(String answerId, List<SharedFile> files) {
    }

    private final StateStore state;
    private final Map<ConversationKey, Attached> files = new ConcurrentHashMap<>();

    LatestAnswers(StateStore state) {
        this.state = state;
    }

    /** The conversation's latest answer if it is {@code answerId}; empty when that answer is stale. */
    Optional<LatestAnswer> find(ConversationKey key, String answerId) {
        return state.latestAnswer(key).filter(answer -> answer.is(answerId));
    }

    /** The question of {@code answer} as it was asked, to be answered again (or continued) for its asker. */
    Incoming asked(ConversationKey key, LatestAnswer answer) {
        Attached attached = files.get(key);
        List<SharedFile> shared = attached != null && attached.answerId().equals(answer.answerId())
                ? attached.files() : List.of();
        Turn question = answer.question();
        return new Incoming(key, question.authorId(), question.authorName(), question.text(),
                trigger(answer.trigger()), answer.messageId(), shared);
    }

    /** Records the completed answer {@code answerId} to {@code asked} as the conversation's latest. */
    void remember(ConversationKey key, String answerId, Incoming asked, Turn question, Turn answer, boolean cut) {
        state.rememberLatestAnswer(key, new LatestAnswer(answerId, asked.trigger().name(), asked.messageId(),
                question, answer, cut));
        if (asked.files().isEmpty()) {
            files.remove(key);
        } else {
            files.put(key, new Attached(answerId, asked.files()));
        }
    }

    /** Nothing in the conversation can be regenerated or continued any more. */
    void forget(ConversationKey key) {
        files.remove(key);
        state.forgetLatestAnswer(key);
    }

    /** The conversation was reset (the store's reset forgets its latest answer): drops what this process kept. */
    void reset(ConversationKey key) {
        files.remove(key);
    }

    /** A trigger written by another version falls back to a mention (names the authors, as most do). */
    private static Trigger trigger(String name) {
        try {
            return Trigger.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Trigger.MENTION;
        }
    }
}
