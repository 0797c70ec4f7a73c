package dev.geminibot.core.testing;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import dev.geminibot.core.reply.TextRenderer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link MessageSink} that plays a platform on a {@link VirtualScheduler}: each call completes after its
 * latency in virtual time (at once, inside the call, when the latency is zero), may fail as scripted, and
 * is recorded with its start and end. It checks what a platform would punish and keeps a list of
 * {@link #violations()}: two calls in flight at once, text over {@link #maxLength()}, an edit of a message
 * it never posted. It knows what each message shows now and every text it ever showed.
 *
 * <p>Configure it before use (the setters return {@code this}); thread-safe afterwards.
 */
public final class RecordingSink implements MessageSink {

    public enum Kind { POST, EDIT }

    /** What the code under test asked for; the failure script sees this. {@code index} counts calls from 1. */
    public record Request(int index, Kind kind, MessageRef message, String text, boolean live, Instant start) {
    }

    /**
     * One finished or running call. {@code end} is null while it is in flight; {@code failure} null if it
     * succeeded. {@code message} is the message posted or edited (null for a failed post).
     */
    public record Call(int index, Kind kind, MessageRef message, String text, boolean live, Instant start,
                       Instant end, PlatformException failure) {

        public boolean succeeded() {
            return end != null && failure == null;
        }
    }

    private final VirtualScheduler scheduler;
    private int maxLength = 2000;
    private TextRenderer renderer = TextRenderer.MARKDOWN;
    private Function<Request, Duration> latency = r -> Duration.ZERO;
    private Function<Request, PlatformException> failures = r -> null;
    private String rateLimitKey;
    private Duration defaultEditInterval = Duration.ofMillis(500);

    private final List<Call> calls = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<MessageRef, List<String>> history = new LinkedHashMap<>();
    private final Set<MessageRef> deleted = new HashSet<>();
    private int inFlight;
    private int typingSignals;
    private int nextId = 1;

    public RecordingSink(VirtualScheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    public RecordingSink maxLength(int maxLength) {
        this.maxLength = maxLength;
        return this;
    }

    public RecordingSink renderer(TextRenderer renderer) {
        this.renderer = renderer;
        return this;
    }

    /** Every call takes {@code latency} of virtual time. */
    public RecordingSink latency(Duration latency) {
        return latency(r -> latency);
    }

    /** Each call takes the latency the function gives for it. */
    public RecordingSink latency(Function<Request, Duration> latency) {
        this.latency = latency;
        return this;
    }

    /** Each call fails with the exception the script returns for it, or succeeds if it returns null. */
    public RecordingSink failures(Function<Request, PlatformException> script) {
        this.failures = script;
        return this;
    }

    /** The call with this index (from 1) fails with {@code failure}; other scripted failures still apply. */
    public RecordingSink failCall(int index, PlatformException failure) {
        Function<Request, PlatformException> before = failures;
        failures = r -> r.index() == index ? failure : before.apply(r);
        return this;
    }

    public RecordingSink rateLimitKey(String key) {
        this.rateLimitKey = key;
        return this;
    }

    public RecordingSink defaultEditInterval(Duration interval) {
        this.defaultEditInterval = interval;
        return this;
    }

    /** The user deleted the message: later edits of it fail with GONE. */
    public synchronized void deleteMessage(MessageRef message) {
        deleted.add(message);
    }

    @Override
    public CompletableFuture<MessageRef> post(String text, boolean live) {
        return start(Kind.POST, null, text, live).thenApply(ref -> ref);
    }

    @Override
    public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
        return start(Kind.EDIT, message, text, live).thenApply(ref -> null);
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public TextRenderer renderer() {
        return renderer;
    }

    @Override
    public String rateLimitKey() {
        return rateLimitKey;
    }

    @Override
    public Duration defaultEditInterval() {
        return defaultEditInterval;
    }

    @Override
    public synchronized void showTyping() {
        typingSignals++;
    }

    private CompletableFuture<MessageRef> start(Kind kind, MessageRef message, String text, boolean live) {
        Request request;
        int slot;
        Duration delay;
        PlatformException failure;
        synchronized (this) {
            Instant now = scheduler.now();
            request = new Request(calls.size() + 1, kind, message, text, live, now);
            if (inFlight > 0) {
                violations.add("call " + request.index() + " (" + kind + ") started at " + offset(now)
                        + " while another call was in flight");
            }
            if (text.length() > maxLength) {
                violations.add("call " + request.index() + " sends " + text.length() + " characters, limit "
                        + maxLength);
            }
            if (kind == Kind.EDIT && !history.containsKey(message)) {
                violations.add("call " + request.index() + " edits unknown message " + message);
            }
            inFlight++;
            slot = calls.size();
            calls.add(new Call(request.index(), kind, message, text, live, now, null, null));
            delay = latency.apply(request);
            failure = failures.apply(request);
            if (failure == null && kind == Kind.EDIT && deleted.contains(message)) {
                failure = new PlatformException(PlatformException.Kind.GONE, "Unknown Message");
            }
        }
        CompletableFuture<MessageRef> future = new CompletableFuture<>();
        PlatformException outcome = failure;
        Runnable finish = () -> finish(slot, outcome, future);
        if (delay.isZero() || delay.isNegative()) {
            finish.run();
        } else {
            scheduler.schedule(delay, finish);
        }
        return future;
    }

    private void finish(int slot, PlatformException failure, CompletableFuture<MessageRef> future) {
        MessageRef ref;
        synchronized (this) {
            inFlight--;
            Call started = calls.get(slot);
            ref = started.message();
            if (failure == null) {
                if (started.kind() == Kind.POST) {
                    ref = new MessageRef("m" + nextId++);
                    history.put(ref, new ArrayList<>());
                }
                history.get(ref).add(started.text());
            }
            calls.set(slot, new Call(started.index(), started.kind(), ref, started.text(), started.live(),
                    started.start(), scheduler.now(), failure));
        }
        if (failure == null) {
            future.complete(ref);
        } else {
            future.completeExceptionally(failure);
        }
    }

    private static String offset(Instant instant) {
        return Duration.between(VirtualScheduler.EPOCH, instant).toMillis() + " ms";
    }

    /** Every call so far, in the order they started. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Everything this sink saw that a platform would have punished; empty if all was well. */
    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** The messages posted, in order. */
    public synchronized List<MessageRef> messages() {
        return List.copyOf(history.keySet());
    }

    /** What {@code message} shows now. */
    public synchronized String displayed(MessageRef message) {
        List<String> texts = history.get(message);
        return texts == null || texts.isEmpty() ? null : texts.get(texts.size() - 1);
    }

    /** What every message shows now, in order. */
    public synchronized List<String> displayed() {
        return history.values().stream().map(texts -> texts.get(texts.size() - 1)).toList();
    }

    /** Every text {@code message} showed, in order. */
    public synchronized List<String> history(MessageRef message) {
        return List.copyOf(history.getOrDefault(message, List.of()));
    }

    public synchronized int typingSignals() {
        return typingSignals;
    }

    /** Calls still in flight. */
    public synchronized int inFlight() {
        return inFlight;
    }
}
