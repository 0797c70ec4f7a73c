package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * A chat platform on a {@link Scheduler}'s clock: posts and edits complete after a seeded random latency,
 * edits under one rate-limit key share a window of {@link PlatformModel#editCapacity()} edits and
 * the rest get a 429 with Retry-After. Calls may overlap (a racing client is allowed to race); an edit
 * is applied when its call completes, which is when the user sees it. Thread-safe; with a virtual
 * scheduler everything runs on the thread that advances the clock.
 */
final class SimPlatform {

    /** Told when a message's text changes on the platform (the call landed). */
    interface Listener {
        void landed(MessageRef message, String text, Instant at);
    }

    private final Scheduler clock;
    private final PlatformModel model;
    private final SplittableRandom random;
    private final Map<String, Window> windows = new HashMap<>();
    private final Map<MessageRef, Listener> listeners = new HashMap<>();
    private long nextId;
    private long rateLimited;
    private long edits;

    private static final class Window {
        Instant closes = Instant.MIN;
        int used;
    }

    SimPlatform(Scheduler clock, PlatformModel model, long seed) {
        this.clock = clock;
        this.model = model;
        this.random = new SplittableRandom(seed);
    }

    PlatformModel model() {
        return model;
    }

    /** Posts a message; {@code listener} hears of this and every later change of it. */
    CompletableFuture<MessageRef> post(String text, Listener listener) {
        CompletableFuture<MessageRef> future = new CompletableFuture<>();
        if (text.length() > model.maxLength()) {
            return tooLong(text);
        }
        Duration latency;
        MessageRef ref;
        synchronized (this) {
            latency = latency();
            ref = new MessageRef("m" + (++nextId));
            listeners.put(ref, listener);
        }
        later(latency, () -> {
            listener.landed(ref, text, clock.now());
            future.complete(ref);
        });
        return future;
    }

    /** Edits a message under rate-limit key {@code key}; fails with a RATE_LIMITED PlatformException on a 429. */
    CompletableFuture<Void> edit(String key, MessageRef message, String text) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        if (text.length() > model.maxLength()) {
            return tooLong(text);
        }
        Duration latency;
        Duration retryAfter;
        Listener listener;
        synchronized (this) {
            latency = latency();
            retryAfter = admit(key, clock.now());
            listener = listeners.get(message);
            edits++;
            if (retryAfter != null) {
                rateLimited++;
            }
        }
        later(latency, () -> {
            if (retryAfter != null) {
                future.completeExceptionally(PlatformException.rateLimited(retryAfter));
                return;
            }
            listener.landed(message, text, clock.now());
            future.complete(null);
        });
        return future;
    }

    /** A text over the platform's limit is refused, as Discord (2,000) and Slack (msg_too_long) do. */
    private <T> CompletableFuture<T> tooLong(String text) {
        CompletableFuture<T> future = new CompletableFuture<>();
        later(latency(), () -> future.completeExceptionally(new PlatformException(PlatformException.Kind.REJECTED,
                "text of " + text.length() + " characters over the limit of " + model.maxLength())));
        return future;
    }

    synchronized long rateLimited() {
        return rateLimited;
    }

    synchronized long edits() {
        return edits;
    }

    /** Null if the edit is admitted, else the Retry-After of its 429. */
    private Duration admit(String key, Instant now) {
        if (!model.limited()) {
            return null;
        }
        Window window = windows.computeIfAbsent(key, k -> new Window());
        if (!now.isBefore(window.closes)) {
            window.closes = now.plus(model.editWindow());
            window.used = 0;
        }
        if (window.used < model.editCapacity()) {
            window.used++;
            return null;
        }
        return Duration.between(now, window.closes);
    }

    private Duration latency() {
        long min = model.minLatency().toNanos();
        long span = model.maxLatency().toNanos() - min;
        return Duration.ofNanos(min + (span <= 0 ? 0 : random.nextLong(span + 1)));
    }

    private void later(Duration delay, Runnable task) {
        clock.schedule(delay, task);
    }
}
