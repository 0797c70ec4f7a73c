package dev.geminibot.core.engine;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A sink that answers every call at once and keeps what each message shows, for engine tests. */
final class MemorySink implements MessageSink {
    private final Map<String, String> shown = new LinkedHashMap<>();
    private final Map<String, Boolean> live = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private boolean deleted;
    private int next;

    @Override
    public synchronized CompletableFuture<MessageRef> post(String text, boolean isLive) {
        calls.add("post " + text);
        if (forbidden) {
            return CompletableFuture.failedFuture(new PlatformException(PlatformException.Kind.FORBIDDEN, "no permission"));
        }
        if (deleted) {
            return CompletableFuture.failedFuture(new PlatformException(PlatformException.Kind.GONE, "channel gone"));
        }
        String id = "m" + (++next);
        shown.put(id, text);
        live.put(id, isLive);
        return CompletableFuture.completedFuture(new MessageRef(id));
    }

    @Override
    public synchronized CompletableFuture<Void> edit(MessageRef message, String text, boolean isLive) {
        calls.add("edit " + message.id() + " " + text);
        if (deleted) {
            return CompletableFuture.failedFuture(new PlatformException(PlatformException.Kind.GONE, "deleted"));
        }
        shown.put(message.id(), text);
        live.put(message.id(), isLive);
        return CompletableFuture.completedFuture(null);
    }

    private boolean forbidden;

    /** Every later call fails as if the bot had no permission to post here. */
    synchronized void forbid() {
        forbidden = true;
    }

    /** Every later call fails as if the bot's message had been deleted. */
    synchronized void deleteMessages() {
        deleted = true;
    }

    /** All messages' current texts joined, in order. */
    synchronized String text() {
        return String.join("", shown.values());
    }

    synchronized int messages() {
        return shown.size();
    }

    synchronized boolean anyLive() {
        return live.containsValue(true);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public int maxLength() {
        return 2000;
    }

    @Override
    public Duration defaultEditInterval() {
        return Duration.ofMillis(5);
    }
}
