package dev.geminibot.discord;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in for the chat engine until the real one is on main: answers each incoming message by
 * streaming scripted deltas into the sink the way the engine's streaming reply does (typing,
 * "Thinking…", growing text with a cursor, a final edit without it), one answer per conversation.
 * A test can hold an answer after its first delta ({@link #holdAfterFirstDelta}) to act mid-stream.
 */
final class ScriptedAnswerer implements Answerer {

    record Outcome(Incoming incoming, String finalText, String how) {
    }

    private final Function<String, List<String>> script;
    private final Map<ConversationKey, Incoming> current = new ConcurrentHashMap<>();
    private final Map<ConversationKey, Boolean> stopRequested = new ConcurrentHashMap<>();
    private final Map<ConversationKey, Boolean> known = new ConcurrentHashMap<>();
    final List<Incoming> received = new CopyOnWriteArrayList<>();
    final List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    final List<ConversationKey> resets = new CopyOnWriteArrayList<>();
    volatile HistoryLoader history;
    volatile CountDownLatch holdAfterFirstDelta;
    final CountDownLatch firstDeltaShown = new CountDownLatch(1);

    ScriptedAnswerer(Function<String, List<String>> script) {
        this.script = script;
    }

    /** The answer this answerer writes for {@code question}. */
    String answerTo(String question) {
        return String.join("", script.apply(question));
    }

    @Override
    public void registerHistory(HistoryLoader history) {
        this.history = history;
    }

    @Override
    public void submit(Incoming incoming, MessageSink sink) {
        received.add(incoming);
        current.put(incoming.conversation(), incoming);
        Thread.ofVirtual().start(() -> answer(incoming, sink));
    }

    private void answer(Incoming incoming, MessageSink sink) {
        var key = incoming.conversation();
        String text = "";
        String how = "completed";
        try {
            sink.showTyping();
            MessageRef ref = call(() -> sink.post("Thinking…", true).join());
            boolean first = true;
            for (String delta : script.apply(incoming.text())) {
                if (Boolean.TRUE.equals(stopRequested.remove(key))) {
                    how = "stopped";
                    break;
                }
                text += delta;
                String shown = text + "▌";
                call(() -> { sink.edit(ref, shown, true).join(); return null; });
                if (first) {
                    first = false;
                    firstDeltaShown.countDown();
                    CountDownLatch hold = holdAfterFirstDelta;
                    if (hold != null && !hold.await(20, TimeUnit.SECONDS)) {
                        throw new AssertionError("held answer was never released");
                    }
                }
            }
            if (Boolean.TRUE.equals(stopRequested.remove(key))) {
                how = "stopped";
            }
            String last = how.equals("stopped") ? text + "\n⏹ stopped" : text;
            call(() -> { sink.edit(ref, last, false).join(); return null; });
            known.put(key, true);
        } catch (PlatformException gone) {
            how = gone.kind().name();
        } catch (InterruptedException e) {
            how = "interrupted";
        } finally {
            current.remove(key);
            outcomes.add(new Outcome(incoming, text, how));
        }
    }

    /** Runs a sink call, waiting out RATE_LIMITED as the streaming reply does; other failures end the answer. */
    private static <T> T call(java.util.function.Supplier<T> action) throws InterruptedException {
        while (true) {
            try {
                return action.get();
            } catch (CompletionException failure) {
                PlatformException platform = (PlatformException) failure.getCause();
                if (platform.kind() != PlatformException.Kind.RATE_LIMITED) {
                    throw platform;
                }
                Thread.sleep(platform.retryAfter().orElseThrow().toMillis());
            }
        }
    }

    @Override
    public boolean stop(ConversationKey key) {
        if (!current.containsKey(key)) {
            return false;
        }
        stopRequested.put(key, true);
        CountDownLatch hold = holdAfterFirstDelta;
        if (hold != null) {
            hold.countDown();
        }
        return true;
    }

    @Override
    public Optional<String> currentAsker(ConversationKey key) {
        return Optional.ofNullable(current.get(key)).map(Incoming::userId);
    }

    @Override
    public void reset(ConversationKey key) {
        resets.add(key);
        known.remove(key);
    }

    @Override
    public boolean knows(ConversationKey key) {
        return known.containsKey(key);
    }

    List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }
}
