package dev.geminibot.core.reply;

import dev.geminibot.core.model.ReadPacing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;

/**
 * Owns the bot message(s) of one answer and decides when they change, so that the user sees the first
 * words at once, the text grows smoothly, the platform is never flooded, and the final text always lands.
 *
 * <p>A state machine with named {@link Phase phases}: {@code THINKING} (a placeholder or status may show),
 * {@code LIVE} (text is shown and grows), {@code FINAL} ({@link #finish} was called: the final texts go
 * out), {@code DONE} and {@code GONE} (the platform said a message is gone: nothing more is sent). Every
 * decision runs on one {@link SerialLoop} per reply: the public verbs, sink completions, timers and pacer
 * turns all submit to it and never call into each other. Its parts:
 * <ul>
 *   <li>{@link ReplyText}, pure: parts, sealing, healing, rendering. The first text shows the whole first
 *       delta; later intermediate texts hold back a half-written word, but never for more than one call.</li>
 *   <li>{@link EditThrottle}: one call in flight, intermediate calls an interval apart, turns from the
 *       {@link EditPacer} shared under the sink's rate-limit key, pauses after 429s.</li>
 *   <li>{@link FinalRetry}: the final call of each message retries through 429s and transient failures.</li>
 * </ul>
 * Text never vanishes at a split: the continuation message is posted first, then the full message gets
 * its sealed (shorter) text. With {@link ReplyOptions.Mode#FINAL} nothing is shown until {@link #finish}:
 * the platform's typing signal is kept up, then each message is posted once with its whole text.
 *
 * <p>Thread-safe: every method may be called from any thread and none blocks.
 */
public final class StreamingReply {

    /** Shown when an answer ended cleanly without any text, so the user never sees silence. */
    static final String NO_ANSWER = "(no answer)";

    /** Discord's typing indicator lasts about 10 s: renew it a little before. */
    private static final Duration TYPING_RENEWAL = Duration.ofSeconds(8);

    /** Where the reply is in its life. */
    enum Phase { THINKING, LIVE, FINAL, DONE, GONE }

    private enum CallKind { PLACEHOLDER, LIVE, SEAL, FINAL }

    private record Call(ReplyText.Part part, CallKind kind, String markdown, String shownRaw, boolean post) {
    }

    /** How a call reaches the platform: a post, an edit of the whole text, or an append to an open stream. */
    private enum Route { POST, EDIT, APPEND, STOP }

    /**
     * How long a due live edit waits for the paced reader it woke to read what arrived (microseconds, unless
     * the machine is overloaded); after that the edit goes with what it has, as it would with a late event.
     */
    static final Duration READER_GRACE = Duration.ofMillis(100);

    private final MessageSink sink;
    private final ReplyOptions options;
    private final Scheduler scheduler;
    private final SerialLoop loop = new SerialLoop();
    private final EditThrottle throttle;
    private final FinalRetry finalRetry;
    private final AppendStream appendStream;
    private final CompletableFuture<ReplyResult> result = new CompletableFuture<>();

    // Confined to the loop.
    private final ReplyText text;
    private Phase phase = Phase.THINKING;
    private String placeholder;
    private String statusShown;
    private boolean placeholderWanted;
    private boolean textCallStarted;
    private boolean textLanded;
    private boolean inFlight;
    private boolean intermediateOff;
    private String finalText;
    private Instant firstTextAt;
    private Instant tailDeadline;
    private Duration timeToFirstText;
    private Instant timerAt;
    private Runnable timerCancel;
    private long timerGeneration;
    private Runnable typingCancel;
    /**
     * Ends the paced reader's hold (see {@link #readPacing()}): true if it was holding. Null when it reads on
     * or was woken.
     */
    private BooleanSupplier readerWake;
    /** When the reader last said it had read everything that arrived. */
    private Instant readerCaughtUpAt;
    /** True while the reader's own report runs the loop's step: it is not holding yet. */
    private boolean readerReporting;
    /** A live edit is due and waits until then for the reader it woke; null when it waits for nothing. */
    private Instant awaitingReaderUntil;
    /**
     * When the live edit that woke the reader was due: the interval to the next edit counts from then, not
     * from when the reader caught up, so that a reader slow to get a CPU does not stretch every interval.
     */
    private Instant awaitedEditDue;
    private int posts;
    private int edits;
    private int rateLimited;
    private int failedCalls;

    // Read from any thread.
    /** When the next live edit may start (published by the loop); null when text is wanted at once. */
    private volatile Instant nextShowAt;
    private final StringBuilder appended = new StringBuilder();
    private volatile boolean finishCalled;
    private volatile boolean gone;
    private final List<Runnable> goneListeners = new ArrayList<>();

    public StreamingReply(MessageSink sink, ReplyOptions options, Scheduler scheduler, EditPacer pacer) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Duration interval = options.editInterval() != null ? options.editInterval() : sink.defaultEditInterval();
        this.throttle = new EditThrottle(interval, pacer, sink.rateLimitKey(), () -> loop.execute(this::step));
        this.finalRetry = new FinalRetry(options.finalMaxAttempts(), options.finalRetryBudget());
        this.appendStream = sink.appendStream().orElse(null);
        // An append stream cannot take a cursor back: its live texts go without one.
        this.text = new ReplyText(sink.renderer(), sink.maxLength(), appendStream != null ? "" : options.cursor());
        this.placeholder = options.thinkingText();
        if (finalMode()) {
            loop.execute(this::keepTyping); // nothing else shows until the end: the working signal at once
        }
    }

    /**
     * The model is thinking before any text: shows {@link ReplyOptions#thinkingText()} at once (or the
     * platform's typing signal when that is null, or in final mode). No-op once text is shown or after
     * {@link #finish}.
     */
    public void thinking() {
        loop.execute(() -> {
            if (phase != Phase.THINKING || placeholderWanted) {
                return;
            }
            if (finalMode() || placeholder == null) {
                keepTyping();
                return;
            }
            placeholderWanted = true;
            step();
        });
    }

    /**
     * Changes what shows before the first word (e.g. {@code 🔎 Searching…} while a tool runs): the
     * placeholder is posted, or edited in place no sooner than the edit interval allows (or shown as the
     * sink's status line, {@link MessageSink#placeholderAsStatus}). No-op for a blank text, once text is
     * shown or after {@link #finish}; in final mode it only renews the working signal.
     */
    public void status(String status) {
        if (status == null || status.isBlank()) {
            return;
        }
        loop.execute(() -> {
            if (phase != Phase.THINKING) {
                return;
            }
            if (finalMode()) {
                placeholder = status;
                stopTyping();
                keepTyping();
                return;
            }
            placeholder = status;
            placeholderWanted = true;
            step();
        });
    }

    /**
     * Adds text to the answer. Never blocks (it may start a sink call, which returns at once). Ignored after
     * {@link #finish} or once the message is {@link #gone()}.
     */
    public void append(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        synchronized (appended) {
            if (finishCalled || gone) {
                return;
            }
            appended.append(delta);
        }
        loop.execute(() -> {
            if (phase != Phase.THINKING && phase != Phase.LIVE) {
                return;
            }
            // Appends may race each other to the loop: take everything appended so far, in append order.
            synchronized (appended) {
                if (appended.length() > text.length()) {
                    text.append(appended.substring(text.length()));
                }
            }
            if (firstTextAt == null && !text.blank()) {
                firstTextAt = scheduler.now();
            }
            if (finalMode()) {
                keepTyping();
                return;
            }
            step();
        });
    }

    /**
     * Ends the answer: the final edit shows the whole text without cursor, then {@code footer} on a line of
     * its own (null for a clean end), in as many messages as it needs. With no text at all, the footer alone
     * (or {@code (no answer)}) replaces any placeholder. Later calls return the same future.
     *
     * @return completes when every final edit has landed or was given up, or at once if the message is gone
     */
    public CompletableFuture<ReplyResult> finish(String footer) {
        synchronized (appended) {
            if (finishCalled) {
                return result;
            }
            finishCalled = true;
        }
        loop.execute(() -> {
            stopTyping();
            if (phase == Phase.GONE) {
                complete();
                return;
            }
            phase = Phase.FINAL;
            throttle.withdraw();
            finalText = compose(footer);
            text.layoutFinal(finalText);
            step();
        });
        return result;
    }

    /** Everything appended so far. */
    public String text() {
        synchronized (appended) {
            return appended.toString();
        }
    }

    /**
     * Paces the reads of the model stream that feeds this reply ({@code ModelStream.paceReads}), so that the
     * stream takes one wake-up per edit instead of one per event. When the reader has caught up it holds its
     * next read until this reply's next live edit may start; then the due edit wakes the reader instead of
     * going out, the reader reads and appends everything that arrived, and the edit goes out when the reader
     * has caught up again (or after {@link #READER_GRACE}), with all of it. Before the first text, once
     * finishing and in final mode the reader reads on: text is wanted at once, or nothing shows until the end.
     */
    public ReadPacing readPacing() {
        return this::readerCaughtUp;
    }

    private Duration readerCaughtUp(BooleanSupplier wake) {
        loop.execute(() -> {
            if (awaitingReaderUntil != null) {
                awaitingReaderUntil = null;
                cancelTimer(); // the grace timer; step() arms what is still wanted
            }
            readerWake = wake;
            readerCaughtUpAt = scheduler.now();
            readerReporting = true;
            try {
                step(); // the edit that waited for the reader, if any, goes now
            } finally {
                readerReporting = false;
            }
            awaitedEditDue = null;
        });
        Instant at = nextShowAt;
        if (at == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(scheduler.now(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** True once the platform said the message is gone: stop feeding this reply. */
    public boolean gone() {
        return gone;
    }

    /**
     * Runs {@code listener} once when the platform says the message is gone (on the thread that learns it),
     * or at once if it already is.
     */
    public void onGone(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (goneListeners) {
            if (!gone) {
                goneListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    // ---------------------------------------------------------------------------------------------------
    // The loop's one decision: what, if anything, to send now.

    private boolean finalMode() {
        return options.mode() == ReplyOptions.Mode.FINAL;
    }

    private void step() {
        throttle.collectTurn();
        if (!inFlight) {
            switch (phase) {
                case THINKING, LIVE -> stepLive();
                case FINAL -> stepFinal();
                case DONE, GONE -> { }
            }
        }
        // Only live edits show text between now and the end; before the first one, text is wanted at once.
        nextShowAt = phase == Phase.LIVE && textCallStarted && !intermediateOff && !finalMode()
                ? throttle.liveReadyAt() : null;
        if (readerWake != null) {
            if (nextShowAt == null) {
                BooleanSupplier wake = readerWake; // no more live edits: the reader reads on
                readerWake = null;
                if (!readerReporting) {
                    wake.getAsBoolean();
                }
            } else {
                Instant now = scheduler.now();
                if (nextShowAt.isAfter(now)) {
                    arm(nextShowAt, now); // nothing may be pending: the timer must still come round to wake it
                }
            }
        }
    }

    private void stepLive() {
        if (intermediateOff || finalMode()) {
            return;
        }
        Instant now = scheduler.now();
        boolean first = !textCallStarted;
        Instant paused = throttle.pausedUntil();
        if (now.isBefore(paused)) {
            arm(paused, now);
            return;
        }
        // A full message whose continuation is out gets its sealed text now, in the same beat: between the
        // two calls the user sees both, never less than before.
        for (ReplyText.Part part : text.parts()) {
            ReplyText.Part next = text.next(part);
            if (part.sealed != null && !part.done && part.posted() && next != null && next.posted()) {
                throttle.spend();
                send(new Call(part, CallKind.SEAL, part.sealed, text.raw().substring(part.start, part.end), false),
                        text.render(part.sealed), false);
                return;
            }
        }
        // The first text waits for nothing but a 429 on this answer or its key.
        Instant ready = first ? paused : throttle.liveReadyAt();
        if (now.isBefore(ready)) {
            arm(ready, now);
            return;
        }
        if (!first && readerWake != null && readerCaughtUpAt.isBefore(ready)) {
            // The paced reader holds what arrived since before this edit was due: it reads first, then the
            // edit goes (readerCaughtUp), with all of it.
            BooleanSupplier wake = readerWake;
            readerWake = null;
            if (wake.getAsBoolean()) {
                awaitedEditDue = now;
                awaitingReaderUntil = now.plus(READER_GRACE);
                arm(awaitingReaderUntil, now);
                return;
            }
        }
        if (awaitingReaderUntil != null) {
            if (now.isBefore(awaitingReaderUntil)) {
                return; // an append while the reader catches up: the grace timer is armed
            }
            awaitingReaderUntil = null;
        }
        // A word at the end is held back (the next delta may extend it), but only until the next call.
        boolean flush = !textLanded || (tailDeadline != null && !now.isBefore(tailDeadline));
        ReplyText.View view = text.live(flush);
        if (!text.tailHeld()) {
            tailDeadline = null;
        } else if (tailDeadline == null) {
            tailDeadline = now.plus(throttle.interval());
        }
        // A part sealed before it was ever posted (one delta longer than a message) goes out whole first.
        ReplyText.Part unposted = null;
        for (ReplyText.Part part : text.parts()) {
            if (!part.posted() && part.sealed != null) {
                unposted = part;
                break;
            }
        }
        if (view == null && unposted == null) {
            if (tailDeadline != null) {
                arm(tailDeadline, now);
            }
            ReplyText.Part part = text.open();
            if (first && placeholderWanted && placeholder != null && sink.placeholderAsStatus()) {
                if (!placeholder.equals(statusShown)) {
                    statusShown = placeholder;
                    sink.showStatus(placeholder);
                }
                return;
            }
            if (first && placeholderWanted && placeholder != null && !placeholder.equals(part.shownMarkdown)) {
                if (part.posted()) {
                    Instant next = throttle.liveReadyAt();
                    if (now.isBefore(next)) {
                        arm(next, now); // a status change is not urgent: it keeps the edit interval
                        return;
                    }
                    throttle.spend();
                }
                throttle.liveStarted(now); // a status change after this one keeps the interval (the first text does not)
                send(new Call(part, CallKind.PLACEHOLDER, placeholder, "", !part.posted()), text.render(placeholder),
                        true);
            }
            return;
        }
        // A new message is another route than edits (Discord's and Slack's edit budgets count edits): it
        // waits for the interval, not for a turn.
        boolean post = unposted != null || !view.part().posted();
        if (!first && !post && !throttle.takeTurn(false)) {
            return; // the pacer wakes the loop
        }
        if (first && text.open().posted()) {
            throttle.spend(); // an edit of the placeholder spends from the key's budget
        }
        throttle.liveStarted(awaitedEditDue != null ? awaitedEditDue : now);
        awaitedEditDue = null;
        if (unposted != null) {
            String raw = text.raw();
            send(new Call(unposted, CallKind.SEAL, unposted.sealed, raw.substring(unposted.start, unposted.end), true),
                    text.render(unposted.sealed), false);
            return;
        }
        send(new Call(view.part(), CallKind.LIVE, view.markdown(), view.shownRaw(), !view.part().posted()),
                view.rendered(), true);
    }

    private void stepFinal() {
        Instant now = scheduler.now();
        Instant ready = throttle.pausedUntil();
        if (now.isBefore(ready)) {
            arm(ready, now);
            return;
        }
        ReplyText.Part part = null;
        for (ReplyText.Part candidate : text.parts()) {
            if (!candidate.done) {
                part = candidate;
                break;
            }
        }
        if (part == null) {
            complete();
            return;
        }
        ReplyText.Part next = text.next(part);
        if (part.posted() && next != null && !next.posted()) {
            part = next; // the continuation first, then the shorter final text of the full message
        }
        finalRetry.started(now);
        if (part.posted()) {
            if (!throttle.takeTurn(true)) {
                return;
            }
        }
        // A new message is another route than edits: it neither waits for a turn nor spends from the budget.
        ReplyText.View view = text.sealedView(part, finalText);
        send(new Call(part, CallKind.FINAL, view.markdown(), view.shownRaw(), !part.posted()), view.rendered(), false);
    }

    private void send(Call call, String rendered, boolean live) {
        inFlight = true;
        if (call.kind() != CallKind.PLACEHOLDER) {
            textCallStarted = true;
            if (phase == Phase.THINKING) {
                phase = Phase.LIVE;
            }
        }
        if (call.post()) {
            posts++;
        } else {
            edits++;
        }
        ReplyText.Part part = call.part();
        Route route = call.post() ? Route.POST
                : appendStream != null && part.streaming && rendered.startsWith(part.sent)
                ? (live ? Route.APPEND : Route.STOP) : Route.EDIT;
        String more = route == Route.APPEND || route == Route.STOP ? rendered.substring(part.sent.length()) : null;
        CompletableFuture<?> future;
        try {
            future = switch (route) {
                case POST -> sink.post(rendered, live);
                case EDIT -> sink.edit(part.ref, rendered, live);
                case APPEND -> appendStream.append(part.ref, more);
                case STOP -> appendStream.stop(part.ref, more);
            };
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((value, error) -> loop.execute(() -> {
            if (error == null) {
                part.sent = rendered;
                // A live post opens a stream on a sink that offers one; an edit (a rewrite) or a stop ends it.
                part.streaming = appendStream != null && live && (route == Route.POST || route == Route.APPEND);
            }
            completed(call, value, error);
        }));
    }

    private void completed(Call call, Object value, Throwable error) {
        inFlight = false;
        Instant now = scheduler.now();
        throttle.completed(now);
        if (error == null) {
            landed(call, value, now);
        } else {
            failed(call, unwrap(error), now);
        }
        step();
    }

    private void landed(Call call, Object value, Instant now) {
        ReplyText.Part part = call.part();
        if (call.post()) {
            part.ref = (MessageRef) value;
        }
        part.shownMarkdown = call.markdown();
        part.shownRaw = call.shownRaw();
        throttle.succeeded();
        finalRetry.landed();
        if (call.kind() != CallKind.PLACEHOLDER) {
            textLanded = true;
        }
        if (timeToFirstText == null && firstTextAt != null && !call.shownRaw().isBlank()) {
            timeToFirstText = Duration.between(firstTextAt, now);
        }
        if (call.kind() == CallKind.SEAL || call.kind() == CallKind.FINAL) {
            part.done = true;
        }
    }

    private void failed(Call call, PlatformException failure, Instant now) {
        failedCalls++;
        if (failure.kind() == PlatformException.Kind.GONE) {
            becomeGone();
            return;
        }
        if (failure.kind() == PlatformException.Kind.RATE_LIMITED) {
            rateLimited++;
        }
        Duration delay = throttle.failed(failure, now);
        if (call.kind() != CallKind.FINAL) {
            if (delay == null) {
                intermediateOff = true; // wait for finish(), which makes one final attempt per message
            } else {
                throttle.pause(now.plus(delay));
            }
            return;
        }
        if (finalRetry.again(delay, now)) {
            throttle.pause(now.plus(delay));
            return;
        }
        if (failure.kind() == PlatformException.Kind.FORBIDDEN) {
            complete(); // no later message would fare better
            return;
        }
        call.part().done = true; // given up: it keeps what it last showed
    }

    private void becomeGone() {
        phase = Phase.GONE;
        gone = true;
        cancelTimer();
        stopTyping();
        throttle.withdraw();
        List<Runnable> listeners;
        synchronized (goneListeners) {
            listeners = List.copyOf(goneListeners);
            goneListeners.clear();
        }
        listeners.forEach(Runnable::run);
        if (finishCalled && finalText != null) {
            complete();
        }
    }

    private void complete() {
        if (result.isDone()) {
            return;
        }
        if (phase != Phase.GONE) {
            phase = Phase.DONE;
        }
        cancelTimer();
        throttle.withdraw();
        result.complete(new ReplyResult(text.messages(), posts, edits, rateLimited, failedCalls, gone,
                timeToFirstText, text.shown()));
    }

    /** Makes sure the loop looks again at {@code at}. */
    private void arm(Instant at, Instant now) {
        if (timerAt != null && !timerAt.isAfter(at)) {
            return;
        }
        cancelTimer();
        long generation = ++timerGeneration;
        timerAt = at;
        timerCancel = scheduler.schedule(Duration.between(now, at), () -> loop.execute(() -> {
            if (generation != timerGeneration) {
                return;
            }
            timerAt = null;
            timerCancel = null;
            step();
        }));
    }

    private void cancelTimer() {
        timerGeneration++;
        timerAt = null;
        if (timerCancel != null) {
            timerCancel.run();
            timerCancel = null;
        }
    }

    /** Final mode: the typing signal stays up until the answer is posted. */
    private void keepTyping() {
        if (typingCancel != null) {
            return;
        }
        if (placeholder != null) {
            sink.showStatus(placeholder);
        } else {
            sink.showTyping();
        }
        typingCancel = scheduler.schedule(TYPING_RENEWAL, () -> loop.execute(() -> {
            typingCancel = null;
            if (phase == Phase.THINKING || phase == Phase.LIVE) {
                keepTyping();
            }
        }));
    }

    private void stopTyping() {
        if (typingCancel != null) {
            typingCancel.run();
            typingCancel = null;
        }
    }

    /**
     * The final Markdown: the text, then the footer on a line of its own after a blank line (so it never
     * joins a list item, a table or a paragraph), closing a code block left open so the footer is not code.
     */
    private String compose(String footer) {
        String raw = text.raw();
        if (raw.isBlank() && text.parts().size() == 1) {
            return footer != null ? footer : NO_ANSWER;
        }
        if (footer == null) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw);
        Fence open = Fence.scanToEnd(raw);
        if (open != null) {
            out.append(open.closeAfter(out));
        }
        out.append(out.toString().endsWith("\n\n") ? "" : out.charAt(out.length() - 1) == '\n' ? "\n" : "\n\n");
        return out.append(footer).toString();
    }

    private static PlatformException unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PlatformException platform) {
            return platform;
        }
        return new PlatformException(PlatformException.Kind.TRANSIENT, "sink call failed", null, cause);
    }
}
