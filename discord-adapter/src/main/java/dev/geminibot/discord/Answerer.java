package dev.geminibot.discord;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.reply.MessageSink;
import java.util.Optional;

/**
 * The part of the chat engine the Discord adapter drives. Kept as a small port so the adapter's routing
 * can be read (and tested) without the engine's internals; {@link DiscordBot#start} adapts the real
 * engine to it.
 */
interface Answerer {

    /** Tells the engine how to rebuild a Discord thread's history. Called once, before any submit. */
    void registerHistory(HistoryLoader history);

    /** Answers {@code incoming} into {@code sink}; returns at once (the answer streams elsewhere). */
    void submit(Incoming incoming, MessageSink sink);

    /** Stops the answer being written in {@code key}; true if there was one. */
    boolean stop(ConversationKey key);

    /** Who asked the answer being written in {@code key}, if one is. */
    Optional<String> currentAsker(ConversationKey key);

    /** Forgets the conversation of {@code key}. */
    void reset(ConversationKey key);

    /** Whether the bot has answered in {@code key}, as far as it remembers. */
    boolean knows(ConversationKey key);
}
