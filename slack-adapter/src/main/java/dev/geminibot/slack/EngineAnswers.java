package dev.geminibot.slack;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.reply.MessageSink;
import java.util.Optional;

/** {@link Answers} served by the real {@link ChatEngine}. */
record EngineAnswers(ChatEngine engine) implements Answers {

    @Override
    public void submit(Incoming incoming, MessageSink sink) {
        engine.submit(incoming, sink);
    }

    @Override
    public boolean stop(ConversationKey key) {
        return engine.stop(key);
    }

    @Override
    public Optional<String> askerOf(ConversationKey key) {
        return engine.current(key).map(Answer::incoming).map(Incoming::userId);
    }

    @Override
    public void reset(ConversationKey key) {
        engine.reset(key);
    }

    @Override
    public boolean knows(ConversationKey key) {
        return engine.knows(key);
    }
}
