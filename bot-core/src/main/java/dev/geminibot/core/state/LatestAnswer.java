package dev.geminibot.core.state;

import dev.geminibot.core.conversation.Turn;
import java.util.Objects;

/**
 * A conversation's latest completed answer, as its Regenerate and Continue buttons act on it: kept in the
 * {@link StateStore} so a press works after a restart and on any instance. Only what acting needs: no
 * attached files (their download headers are credentials), no platform tokens.
 *
 * @param answerId  the answer's id, as the buttons carry it
 * @param trigger   how the question reached the bot (the engine's {@code Trigger} name): a direct message
 *                  is answered without author names
 * @param messageId the platform's id of the question's message, or empty
 * @param question  the question as the conversation remembers it, with its asker (a regenerate takes it out
 *                  of the conversation and asks it again)
 * @param answer    the answer as the conversation remembers it (a continue joins its continuation to it)
 * @param cut       the model stopped at its length limit (MAX_TOKENS), so the answer can be continued
 */
public record LatestAnswer(String answerId, String trigger, String messageId, Turn question, Turn answer,
                           boolean cut) {
    public LatestAnswer {
        Objects.requireNonNull(answerId, "answerId");
        Objects.requireNonNull(trigger, "trigger");
        messageId = messageId == null ? "" : messageId;
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
    }

    /** Whether this is the answer {@code id}. */
    public boolean is(String id) {
        return answerId.equals(id);
    }

    /** Who asked (the platform's user id): only they may regenerate, and a regenerated answer is theirs. */
    public String askerId() {
        return question.authorId();
    }
}
