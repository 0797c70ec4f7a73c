package dev.geminibot.slack;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.reply.MessageSink;
import java.util.Optional;

/**
 * What the Slack adapter needs from the engine: the verbs of {@code ChatEngine} it calls, so the
 * routing can be tested without a model. Every method returns at once.
 */
interface Answers {

    /** Starts answering {@code incoming} into {@code sink}; the answer streams elsewhere. */
    void submit(Incoming incoming, MessageSink sink);

    /** Stops the answer being written in {@code key}; true if there was one. */
    boolean stop(ConversationKey key);

    /** The user whose question is being answered in {@code key}, if an answer is being written. */
    Optional<String> askerOf(ConversationKey key);

    /** Forgets the conversation. */
    void reset(ConversationKey key);

    /** Whether the bot has answered in this conversation as far as it remembers. */
    boolean knows(ConversationKey key);
}
