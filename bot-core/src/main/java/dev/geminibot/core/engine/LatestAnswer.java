package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.Turn;

/**
 * The latest completed answer of a conversation, as Regenerate and Continue act on it.
 *
 * @param answerId the answer's id
 * @param incoming what was asked, as it was submitted (a regenerate asks it again)
 * @param question the question as the conversation remembers it
 * @param answer   the answer as the conversation remembers it
 * @param cut      the model stopped at its length limit, so it can continue
 */
record LatestAnswer(String answerId, Incoming incoming, Turn question, Turn answer, boolean cut) {
}
