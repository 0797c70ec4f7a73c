package dev.geminibot.slack;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the engine that writes a scripted answer through the sink the way the streaming reply
 * does: a live "Thinking…" post, one live edit per delta, a final edit with live=false. With
 * {@link #holdAfterFirstDelta} it waits after the first delta until stopped, for Stop tests.
 */
final class ScriptedAnswers implements Answers {

    final List<Incoming> received = new CopyOnWriteArrayList<>();
    final Set<ConversationKey> known = ConcurrentHashMap.newKeySet();
    final List<ConversationKey> resets = new CopyOnWriteArrayList<>();
    final Map<ConversationKey, Incoming> writing = new ConcurrentHashMap<>();
    private final Map<ConversationKey, CompletableFuture<Void>> stops = new ConcurrentHashMap<>();
    volatile List<String> deltas = List.of("Hello ", "**world**");
    volatile boolean holdAfterFirstDelta;

    @Override
    public void submit(Incoming incoming, MessageSink sink) {
        received.add(incoming);
        ConversationKey key = incoming.conversation();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        stops.put(key, stop);
        writing.put(key, incoming);
        Thread.ofVirtual().start(() -> {
            try {
                MessageRef ref = sink.post(sink.renderer().render("Thinking…") + "▌", true).join();
                StringBuilder text = new StringBuilder();
                String ending = "";
                for (String delta : deltas) {
                    text.append(delta);
                    sink.edit(ref, sink.renderer().render(text.toString()) + "▌", true).join();
                    if (holdAfterFirstDelta) {
                        stop.join();
                        ending = "\n\n⏹ stopped";
                        break;
                    }
                }
                writing.remove(key);
                sink.edit(ref, sink.renderer().render(text + ending), false).join();
                known.add(key);
            } catch (RuntimeException e) {
                writing.remove(key);
            }
        });
    }

    @Override
    public boolean stop(ConversationKey key) {
        CompletableFuture<Void> stop = stops.get(key);
        return writing.containsKey(key) && stop != null && stop.complete(null);
    }

    @Override
    public Optional<String> askerOf(ConversationKey key) {
        return Optional.ofNullable(writing.get(key)).map(Incoming::userId);
    }

    @Override
    public void reset(ConversationKey key) {
        resets.add(key);
        known.remove(key);
    }

    @Override
    public boolean knows(ConversationKey key) {
        return known.contains(key);
    }
}
