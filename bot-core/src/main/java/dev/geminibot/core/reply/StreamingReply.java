package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Owns the bot message(s) of one answer and decides when they change, so that the user sees the first
 * words at once, the text grows smoothly, the platform is never flooded, and the final text always lands.
 *
 * <ul>
 *   <li>The first text goes out at once (a post, or an edit of the {@link #thinking()} placeholder).</li>
 *   <li>At most one call is in flight; text that arrives meanwhile rides on the next edit (latest text
 *       wins, no backlog). Intermediate calls start at least {@code editInterval} apart, take turns with
 *       other answers under the same rate-limit key through the {@link EditPacer}, and wait out 429s.</li>
 *   <li>Intermediate edits show the text up to the last whole word, healed so it renders as well-formed
 *       Markdown ({@link MarkdownHealer}), with the cursor.</li>
 *   <li>Text that outgrows a message continues in a new one ({@link MessageSplitter}); a finished part
 *       gets its final text before the next part is posted and never changes again.</li>
 *   <li>{@link #finish} always makes the final edit: the exact text without cursor, plus the footer line,
 *       retried through 429s and transient failures within {@link ReplyOptions#finalRetryBudget()}.</li>
 *   <li>If the platform says the message is gone, nothing more is sent and {@link #onGone} listeners run.</li>
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread and none blocks. Sink calls are made without
 * holding the lock, and sink futures may complete on any thread, including synchronously inside the
 * call.
 */
public final class StreamingReply {

    /** Shown when an answer ended cleanly without any text, so the user never sees silence. */
    static final String NO_ANSWER = "(no answer)";

    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final MessageSink sink;
    private final ReplyOptions options;
    private final Scheduler scheduler;
    private final EditPacer pacer;
    private final MessageSplitter splitter;
    private final TextRenderer renderer;
    private final Duration interval;
    private final String rateLimitKey;
    private final boolean paced;

    private final Object lock = new Object();

    // Everything below is guarded by lock.
    private final StringBuilder raw = new StringBuilder();
    private final List<Part> parts = new ArrayList<>();
    private Instant firstTextAt;
    private Duration timeToFirstText;
    private boolean thinkingWanted;
    /** What the placeholder says instead of the thinking text ({@link #status}), or null. */
    private String statusText;
    private boolean textCallStarted;
    private boolean driving;
    private boolean inFlight;
    private Instant notBefore = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;
    private int transientStreak;
    private boolean intermediateOff;
    private Instant timerAt;
    private Runnable timerCancel;
    private long timerGeneration;
    private boolean turnRequested;
    private long turnId;
    private boolean haveTurn;
    private Runnable turnCancel;
    private CompletableFuture<ReplyResult> result;
    private String finalText;
    private int finalAttempts;
    private Instant finalFirstTry;
    private boolean gone;
    private boolean completed;
    private final List<Runnable> goneListeners = new ArrayList<>();
    private int posts;
    private int edits;
    private int rateLimited;
    private int failedCalls;

    /** One message of the answer: the text from {@code start}, continuing the code block {@code reopen}. */
    private static final class Part {
        final int start;
        final Fence reopen;
        MessageRef ref;
        /** Set once the part is finished: its end and its final Markdown, which never change again. */
        int end = -1;
        String sealed;
        boolean done;
        String shownMarkdown = "";
        String shownRaw = "";

        Part(int start, Fence reopen) {
            this.start = start;
            this.reopen = reopen;
        }

        String prefix() {
            return reopen == null ? "" : reopen.reopen();
        }
    }

    private enum CallKind { PLACEHOLDER, LIVE, SEAL }

    /** One sink call: where it goes, what it shows, and what raw text that is. */
    private record Call(Part part, CallKind kind, String markdown, String shownRaw, boolean live, boolean post,
                        boolean finalPhase) {
    }

    public StreamingReply(MessageSink sink, ReplyOptions options, Scheduler scheduler, EditPacer pacer) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.pacer = pacer == null ? EditPacer.NONE : pacer;
        this.renderer = sink.renderer();
        this.splitter = new MessageSplitter(renderer, sink.maxLength());
        this.interval = options.editInterval() != null ? options.editInterval() : sink.defaultEditInterval();
        this.rateLimitKey = sink.rateLimitKey();
        this.paced = rateLimitKey != null && this.pacer != EditPacer.NONE;
        parts.add(new Part(0, null));
    }

    /**
     * The model is thinking before any text: shows {@link ReplyOptions#thinkingText()} at once (or the
     * platform's typing signal when that is null). No-op once text is shown or after {@link #finish}.
     */
    public void thinking() {
        boolean typing = false;
        synchronized (lock) {
            if (result != null || gone || textCallStarted || thinkingWanted) {
                return;
            }
            if (options.thinkingText() == null) {
                typing = true;
            } else {
                thinkingWanted = true;
            }
        }
        if (typing) {
            sink.showTyping();
        } else {
            drive();
        }
    }

    /**
     * Says what the model is doing before its first word ("🔎 Searching…"): the placeholder shows
     * {@code text} (posted, or edited in place no sooner than the edit interval allows). No-op once text is
     * shown or after {@link #finish}.
     */
    public void status(String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        synchronized (lock) {
            if (result != null || gone || textCallStarted) {
                return;
            }
            statusText = text;
            thinkingWanted = true;
        }
        drive();
    }

    private String placeholderText() {
        return statusText != null ? statusText : options.thinkingText();
    }

    /**
     * Adds text to the answer. Never blocks (it may start a sink call, which returns at once). Ignored after
     * {@link #finish} or once the message is {@link #gone()}.
     */
    public void append(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (result != null || gone) {
                return;
            }
            raw.append(delta);
            if (firstTextAt == null && !delta.isBlank()) {
                firstTextAt = scheduler.now();
            }
        }
        drive();
    }

    /**
     * Ends the answer: the final edit shows the whole text without cursor, then {@code footer} on a line of
     * its own (null for a clean end), in as many messages as it needs. With no text at all, the footer alone
     * (or {@code (no answer)}) replaces any placeholder. Later calls return the same future.
     *
     * @return completes when every final edit has landed or was given up, or at once if the message is gone
     */
    public CompletableFuture<ReplyResult> finish(String footer) {
        Runnable withdraw;
        synchronized (lock) {
            if (result != null) {
                return result;
            }
            result = new CompletableFuture<>();
            finalText = compose(footer);
            withdraw = turnCancel;
            turnCancel = null;
            turnRequested = false;
            turnId++;
            haveTurn = false;
        }
        if (withdraw != null) {
            withdraw.run();
        }
        drive();
        return result;
    }

    /** Everything appended so far. */
    public String text() {
        synchronized (lock) {
            return raw.toString();
        }
    }

    /** True once the platform said the message is gone: stop feeding this reply. */
    public boolean gone() {
        synchronized (lock) {
            return gone;
        }
    }

    /**
     * Runs {@code listener} once when the platform says the message is gone (on the thread that learns it),
     * or at once if it already is.
     */
    public void onGone(Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (!gone) {
                goneListeners.add(listener);
                return;
            }
        }
        listener.run();
    }

    // ---------------------------------------------------------------------------------------------------
    // The driver: decides under the lock, acts outside it. Re-entrant calls (a sink completing
    // synchronously, a timer, a pacer turn) just return; the loop that is already running sees their effect.

    private void drive() {
        synchronized (lock) {
            if (driving) {
                return;
            }
            driving = true;
        }
        while (true) {
            Runnable action;
            synchronized (lock) {
                action = next();
                if (action == null) {
                    driving = false;
                    return;
                }
            }
            action.run();
        }
    }

    /** The next thing to do, or null to wait for a completion, a timer, a turn or more text. */
    private Runnable next() {
        if (completed) {
            return null;
        }
        if (gone) {
            return result != null ? complete() : null;
        }
        if (inFlight) {
            return null;
        }
        Instant now = scheduler.now();
        return result != null ? nextFinal(now) : nextLive(now);
    }

    private Runnable nextLive(Instant now) {
        if (intermediateOff) {
            return null;
        }
        boolean first = !textCallStarted;
        // The first text does not wait for the interval or a turn, only for a 429 on this answer or its key.
        Instant wait = first && paced ? later(pausedUntil, pacer.pausedUntil(rateLimitKey)) : pausedUntil;
        if (now.isBefore(wait)) {
            arm(wait, now);
            return null;
        }
        if (!first) {
            if (turnRequested) {
                return null; // the pacer calls back
            }
            if (now.isBefore(notBefore)) {
                arm(notBefore, now);
                return null;
            }
        }
        Part part = current();
        if (part.sealed == null) {
            String prefix = part.prefix();
            int cut = part.start + MarkdownHealer.cutAtWord(raw.subSequence(part.start, raw.length()));
            String source = prefix + raw.substring(part.start, cut);
            MarkdownHealer.Shown shown = MarkdownHealer.display(source, prefix.length(), options.cursor());
            if (shown.text().isEmpty()) {
                String placeholder = placeholderText();
                if (first && thinkingWanted && placeholder != null && !placeholder.equals(part.shownMarkdown)) {
                    if (part.ref == null) {
                        return send(part, CallKind.PLACEHOLDER, placeholder, null, "", true, false);
                    }
                    if (now.isBefore(notBefore)) {
                        arm(notBefore, now); // a status change is not urgent: it keeps the edit interval
                        return null;
                    }
                    return gate(true, part, () -> send(part, CallKind.PLACEHOLDER, placeholder, null, "", true, false));
                }
                return null;
            }
            if (shown.text().equals(part.shownMarkdown)) {
                return null;
            }
            String rendered = renderer.render(shown.text());
            if (rendered.length() <= splitter.maxLength()) {
                int keptEnd = Math.max(part.start, part.start + shown.keep() - prefix.length());
                String shownRaw = raw.substring(part.start, keptEnd);
                return gate(first, part, () -> send(part, CallKind.LIVE, shown.text(), rendered, shownRaw, true, false));
            }
            seal(part, raw, raw.length());
        }
        String sealedRaw = raw.substring(part.start, part.end);
        return gate(first, part, () -> send(part, CallKind.SEAL, part.sealed, null, sealedRaw, false, false));
    }

    /**
     * Lets an intermediate call go if this answer holds a turn from the pacer, or asks for one. The first
     * text skips the line (it only spends from the bucket when it edits).
     */
    private Runnable gate(boolean first, Part part, Supplier<Runnable> call) {
        if (!paced) {
            return call.get();
        }
        if (first) {
            if (part.ref != null) {
                pacer.spend(rateLimitKey);
            }
            return call.get();
        }
        if (haveTurn) {
            haveTurn = false;
            return call.get();
        }
        if (turnRequested) {
            return null; // the pacer calls back
        }
        turnRequested = true;
        long id = ++turnId;
        // Final edits go ahead of the live edits waiting on the key: they still wait for a free token, so
        // an answer's last edit does not meet the 429 that a sixth call in Discord's 5-per-5-s bucket would.
        boolean priority = result != null;
        return () -> {
            Runnable cancel = priority
                    ? pacer.requestFirst(rateLimitKey, () -> onTurn(id))
                    : pacer.request(rateLimitKey, () -> onTurn(id));
            synchronized (lock) {
                if (turnRequested && turnId == id) {
                    turnCancel = cancel;
                    return;
                }
            }
            // Served already (harmless), or finished or gone while asking: it must not hold a place in line.
            cancel.run();
        };
    }

    private void onTurn(long id) {
        synchronized (lock) {
            if (!turnRequested || id != turnId) {
                return; // withdrawn meanwhile (finish, gone): the turn is simply not used
            }
            turnRequested = false;
            turnCancel = null;
            haveTurn = true;
        }
        drive();
    }

    private Runnable nextFinal(Instant now) {
        Instant wait = paced ? later(pausedUntil, pacer.pausedUntil(rateLimitKey)) : pausedUntil;
        if (now.isBefore(wait)) {
            arm(wait, now);
            return null;
        }
        Part part = current();
        if (part.done) {
            return complete();
        }
        if (part.sealed == null) {
            if (finalText.substring(part.start).isBlank() && part.ref == null) {
                part.done = true;
                return complete(); // the last part has nothing to hold: no empty message
            }
            String whole = MessageSplitter.partText(finalText, part.start, finalText.length(), part.reopen, false);
            if (splitter.measure(whole) <= splitter.maxLength()) {
                part.end = finalText.length();
                part.sealed = whole;
            } else {
                seal(part, finalText, finalText.length());
            }
        }
        if (finalAttempts == 0) {
            finalFirstTry = now;
        }
        String shownRaw = finalText.substring(part.start, part.end);
        Supplier<Runnable> call = () -> send(part, CallKind.SEAL, part.sealed, null, shownRaw, false, true);
        if (!paced || part.ref == null) {
            // A new message is another route than edits (Discord): it spends from the budget, waits for none.
            if (paced) {
                pacer.spend(rateLimitKey);
            }
            return call.get();
        }
        return gate(false, part, call);
    }

    /** Finishes {@code part} at the best boundary of {@code text} (which does not fit in one message). */
    private void seal(Part part, CharSequence text, int available) {
        int end = splitter.split(text, part.start, available, part.reopen);
        part.end = end;
        part.sealed = MessageSplitter.partText(text, part.start, end, part.reopen, true);
    }

    private Runnable send(Part part, CallKind kind, String markdown, String rendered, String shownRaw,
                          boolean live, boolean finalPhase) {
        if (rendered == null) {
            rendered = renderer.render(markdown);
        }
        Instant now = scheduler.now();
        boolean post = part.ref == null;
        Call call = new Call(part, kind, markdown, shownRaw, live, post, finalPhase);
        inFlight = true;
        if (kind != CallKind.PLACEHOLDER) {
            textCallStarted = true;
        }
        if (!finalPhase) {
            notBefore = now.plus(interval);
        }
        if (post) {
            posts++;
        } else {
            edits++;
        }
        MessageRef ref = part.ref;
        String text = rendered;
        return () -> {
            CompletableFuture<?> future;
            try {
                future = post ? sink.post(text, live) : sink.edit(ref, text, live);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            future.whenComplete((value, error) -> completed(call, value, error));
        };
    }

    private void completed(Call call, Object value, Throwable error) {
        List<Runnable> after = new ArrayList<>();
        synchronized (lock) {
            inFlight = false;
            Instant now = scheduler.now();
            if (notBefore.isBefore(now)) {
                notBefore = now; // never start before the previous call completed
            }
            if (error == null) {
                landed(call, value, now);
            } else {
                failed(call, unwrap(error), now, after);
            }
        }
        after.forEach(Runnable::run);
        drive();
    }

    private void landed(Call call, Object value, Instant now) {
        Part part = call.part();
        if (call.post()) {
            part.ref = (MessageRef) value;
        }
        part.shownMarkdown = call.markdown();
        part.shownRaw = call.shownRaw();
        transientStreak = 0;
        finalAttempts = 0;
        if (timeToFirstText == null && firstTextAt != null && !call.shownRaw().isBlank()) {
            timeToFirstText = Duration.between(firstTextAt, now);
        }
        if (call.kind() == CallKind.SEAL) {
            advance(part);
        }
    }

    /** The part is done (landed or given up): the next one, if any, starts where it ended. */
    private void advance(Part part) {
        part.done = true;
        CharSequence text = result != null ? finalText : raw;
        if (part.end < text.length() || result == null) {
            parts.add(new Part(part.end, Fence.scan(text, part.start, part.end, part.reopen)));
        }
    }

    private void failed(Call call, PlatformException failure, Instant now, List<Runnable> after) {
        failedCalls++;
        PlatformException.Kind kind = failure.kind();
        if (kind == PlatformException.Kind.GONE) {
            gone = true;
            cancelTimers(after);
            after.addAll(goneListeners);
            goneListeners.clear();
            return;
        }
        Duration delay;
        if (kind == PlatformException.Kind.RATE_LIMITED) {
            rateLimited++;
            delay = failure.retryAfter().orElse(DEFAULT_RETRY_AFTER);
            if (paced) {
                Duration pause = delay;
                after.add(() -> pacer.rateLimited(rateLimitKey, pause));
            }
        } else if (kind == PlatformException.Kind.TRANSIENT) {
            Duration base = interval.compareTo(MIN_BACKOFF) > 0 ? interval : MIN_BACKOFF;
            delay = base.multipliedBy(1L << Math.min(transientStreak, 5));
            if (delay.compareTo(MAX_BACKOFF) > 0) {
                delay = MAX_BACKOFF;
            }
            transientStreak++;
        } else {
            delay = null; // FORBIDDEN, REJECTED: the same call will not succeed by trying again
        }
        if (!call.finalPhase()) {
            if (delay == null) {
                intermediateOff = true; // wait for finish(), which makes one final attempt
            } else {
                pausedUntil = later(pausedUntil, now.plus(delay));
            }
            return;
        }
        finalAttempts++;
        boolean giveUp = delay == null || finalAttempts >= options.finalMaxAttempts()
                || Duration.between(finalFirstTry, now.plus(delay)).compareTo(options.finalRetryBudget()) > 0;
        if (!giveUp) {
            pausedUntil = later(pausedUntil, now.plus(delay));
            return;
        }
        finalAttempts = 0;
        if (kind == PlatformException.Kind.FORBIDDEN) {
            after.add(complete()); // no later part would fare better
            return;
        }
        advance(call.part());
    }

    /** Marks the reply complete and returns the action that completes the result (outside the lock). */
    private Runnable complete() {
        completed = true;
        List<Runnable> cancels = new ArrayList<>();
        cancelTimers(cancels);
        List<MessageRef> messages = new ArrayList<>();
        StringBuilder shown = new StringBuilder();
        for (Part part : parts) {
            if (part.ref != null) {
                messages.add(part.ref);
            }
            shown.append(part.shownRaw);
        }
        ReplyResult outcome = new ReplyResult(messages, posts, edits, rateLimited, failedCalls, gone,
                timeToFirstText, shown.toString());
        CompletableFuture<ReplyResult> future = result;
        return () -> {
            cancels.forEach(Runnable::run);
            future.complete(outcome);
        };
    }

    private void cancelTimers(List<Runnable> after) {
        if (timerCancel != null) {
            after.add(timerCancel);
            timerCancel = null;
            timerAt = null;
        }
        timerGeneration++;
        if (turnCancel != null) {
            after.add(turnCancel);
            turnCancel = null;
        }
        turnRequested = false;
        haveTurn = false;
    }

    /** Makes sure {@link #drive()} runs again at {@code at}. */
    private void arm(Instant at, Instant now) {
        if (timerAt != null && !timerAt.isAfter(at)) {
            return;
        }
        if (timerCancel != null) {
            timerCancel.run();
        }
        long generation = ++timerGeneration;
        timerAt = at;
        timerCancel = scheduler.schedule(Duration.between(now, at), () -> {
            synchronized (lock) {
                if (generation != timerGeneration) {
                    return;
                }
                timerAt = null;
                timerCancel = null;
            }
            drive();
        });
    }

    private Part current() {
        return parts.get(parts.size() - 1);
    }

    /**
     * The final Markdown: the text, then the footer on a line of its own after a blank line (so it never
     * joins a list item, a table or a paragraph), closing a code block left open so the footer is not code.
     */
    private String compose(String footer) {
        String text = raw.toString();
        if (text.isBlank() && parts.size() == 1) {
            return footer != null ? footer : NO_ANSWER;
        }
        if (footer == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text);
        Fence open = Fence.scanToEnd(text);
        if (open != null) {
            out.append(open.closeAfter(out));
        }
        out.append(out.toString().endsWith("\n\n") ? "" : out.charAt(out.length() - 1) == '\n' ? "\n" : "\n\n");
        return out.append(footer).toString();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
