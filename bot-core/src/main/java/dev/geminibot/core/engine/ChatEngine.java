package dev.geminibot.core.engine;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.GeminiTool;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.conversation.ContextWindow;
import dev.geminibot.core.conversation.Conversation;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import dev.geminibot.core.model.ToolActivity;
import dev.geminibot.core.media.Attachments;
import dev.geminibot.core.media.FileMentions;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.reply.EditPacer;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.ReplyOptions;
import dev.geminibot.core.reply.ReplyResult;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.reply.StreamingReply;
import dev.geminibot.core.settings.ChannelSettings;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.LatestAnswer;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.RateDecision;
import dev.geminibot.core.state.ResilientStateStore;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StopSignal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a message to its answer: finds the conversation, waits its turn, asks the model and streams the
 * answer into the platform's {@link MessageSink}, then remembers the exchange. Platform-neutral;
 * adapters call {@link #submit} and the stop/reset verbs. Thread-safe.
 */
public final class ChatEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);

    /** Show "Thinking…" only when the model is slow to start; fast answers go straight to text. */
    static final Duration THINKING_PLACEHOLDER_DELAY = Duration.ofMillis(700);
    /** How long a message may wait for one of the global answer slots before it is refused. */
    static final Duration DEFAULT_SLOT_WAIT = Duration.ofSeconds(10);

    private final ChatModel model;
    private final BotConfig config;
    private final Scheduler scheduler;
    private final Duration slotWait;
    private final StateStore state;
    private final SharedConversations conversations;
    private final ConversationLeases leases;
    private final StopRelay stops;
    private final ContextWindow window;
    private final ConversationLanes lanes = new ConversationLanes();
    private final Semaphore slots;
    private final AnswerMeters meters;
    private final Attachments attachments;
    private final Map<String, HistoryLoader> historyLoaders = new ConcurrentHashMap<>();
    private final Map<String, EditPacer> pacers = new ConcurrentHashMap<>();
    private final Map<String, Function<ConversationKey, ChannelRef>> channelScopes = new ConcurrentHashMap<>();
    private final ChannelSettings settings;
    /** 👍/👎 votes on answers, counted in the engine's registry ({@code gemini_bot_feedback_total}). */
    private final Feedback feedback;
    private final Map<ConversationKey, AnswerRun> writing = new ConcurrentHashMap<>();
    private final Map<String, AnswerRun> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /**
     * Answer ids are unique across restarts too (a button pressed on an answer from before a restart must
     * never match a new answer): a random prefix per engine, then a counter.
     */
    private final String bootId = Long.toString(java.util.concurrent.ThreadLocalRandom.current()
            .nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36);
    /** What Regenerate and Continue act on, kept in the state store (so presses survive restarts and instances). */
    private final LatestAnswers latest;

    /** What the model is told when asked to carry on a cut answer. */
    static final String CONTINUE_PROMPT = "Continue exactly where your last answer stopped, without repeating anything.";
    private volatile boolean accepting = true;

    public ChatEngine(ChatModel model, BotConfig config) {
        this(model, config, Scheduler.system());
    }

    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler) {
        this(model, config, scheduler, new SimpleMeterRegistry());
    }

    /** Recording its meters (section 11 of DESIGN) in {@code meters}, which adapters also use ({@link #meterRegistry()}). */
    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, MeterRegistry meters) {
        this(model, config, scheduler, new MemoryStateStore(scheduler, config.context()), meters);
    }

    /**
     * With the state store of {@code state.backend} (the caller opens and closes it). A backend that can
     * be lost is wrapped so that an outage degrades to answering without history.
     */
    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, StateStore state) {
        this(model, config, scheduler, state, new SimpleMeterRegistry());
    }

    /** With the state store of {@code state.backend} and the registry its meters go to. */
    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, StateStore state, MeterRegistry meters) {
        this(model, config, scheduler, new ConversationStore(config.context()), state, DEFAULT_SLOT_WAIT, meters);
    }

    /** With an explicit store and slot wait: for tests that move the cache's time or fill every slot. */
    ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, ConversationStore store, Duration slotWait) {
        this(model, config, scheduler, store, new MemoryStateStore(scheduler, config.context()), slotWait,
                new SimpleMeterRegistry());
    }

    private ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, ConversationStore store,
                       StateStore state, Duration slotWait, MeterRegistry meterRegistry) {
        this.meters = new AnswerMeters(meterRegistry);
        this.feedback = new Feedback(meterRegistry);
        this.model = model;
        this.config = config;
        this.scheduler = scheduler;
        this.state = ResilientStateStore.wrap(state, scheduler);
        this.settings = new ChannelSettings(this.state, config.gemini(),
                config.gemini().tools().contains(GeminiTool.GOOGLE_SEARCH));
        this.conversations = new SharedConversations(store, this.state, store.maxTurnsKept());
        this.leases = new ConversationLeases(this.state, scheduler);
        this.slotWait = slotWait;
        this.window = new ContextWindow(config.context().maxChars(), config.context().maxTurns());
        this.slots = new Semaphore(config.limits().maxConcurrentAnswers(), true);
        this.attachments = new Attachments(config.gemini().maxAttachmentBytes(), new okhttp3.OkHttpClient());
        this.stops = new StopRelay(this.state, writing);
        this.latest = new LatestAnswers(this.state);
    }

    /** The state store (settings, de-duplication of deliveries) for adapters; never a backend type. */
    public StateStore state() {
        return state;
    }

    /** Where the engine records its meters; adapters record their platform calls there too. */
    public MeterRegistry meterRegistry() {
        return meters.registry();
    }

    /**
     * Per-platform support: how to rebuild a thread's history on a cache miss, and the pacer shared by
     * that platform's sinks. Call before the platform's adapter submits messages.
     */
    public void registerPlatform(String platform, HistoryLoader history, EditPacer pacer) {
        historyLoaders.put(platform, history);
        pacers.put(platform, pacer);
    }

    /**
     * How a platform finds the channel whose settings apply to a conversation (a Discord thread's parent
     * channel, which its key does not name). Without one, the conversation's own channel is used.
     */
    public void registerChannelScope(String platform, Function<ConversationKey, ChannelRef> channelOf) {
        channelScopes.put(platform, channelOf);
    }

    /** The channel whose settings apply to {@code key}. */
    public ChannelRef settingsChannel(ConversationKey key) {
        return channelScopes.getOrDefault(key.platform(), ChannelRef::of).apply(key);
    }

    /** Where adapters count 👍/👎 votes unless they were given another {@link Feedback}. */
    public Feedback feedback() {
        return feedback;
    }

    /** Per-channel settings ({@code /model}, {@code /system}, {@code /search}), kept in the state backend. */
    public ChannelSettings settings() {
        return settings;
    }

    /**
     * Answers {@code incoming} into {@code sink}. Returns at once; the answer is written on a virtual
     * thread after the answers already queued in the same conversation. A message that cannot be
     * answered (rate limit, too long, queue full, shutting down) gets one short final message instead.
     */
    public Answer submit(Incoming incoming, MessageSink sink) {
        return submit(new AnswerRun(nextId(), incoming, scheduler.now()), sink);
    }

    /**
     * Whether {@code answerId} is still the latest answer of its conversation (no newer answer, no reset,
     * not regenerated): only then do its Regenerate and Continue buttons apply.
     */
    public boolean isLatest(ConversationKey key, String answerId) {
        return latest.find(key, answerId).isPresent();
    }

    /**
     * Records that the conversation's answer buttons are now on {@code message} (an adapter's reference) and
     * returns where they were, in this process, a previous one or another instance: the adapter takes them
     * off there. Blocks on the store; never throws: when the store cannot say, empty (the adapter's own memory
     * of this process's messages decides).
     */
    public Optional<String> moveButtons(ConversationKey key, String message) {
        return buttonsFromStore(() -> state.moveButtons(key, message));
    }

    /**
     * Where the conversation's answer buttons are, forgotten (a reset takes them off). Blocks on the store;
     * empty when it cannot say.
     */
    public Optional<String> takeButtons(ConversationKey key) {
        return buttonsFromStore(() -> state.takeButtons(key));
    }

    private static Optional<String> buttonsFromStore(Supplier<Optional<String>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            log.warn("Could not read where the answer buttons are: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether {@code answerId} is its conversation's latest answer and was cut at the length limit. */
    public boolean canContinue(ConversationKey key, String answerId) {
        return latest.find(key, answerId).filter(LatestAnswer::cut).isPresent();
    }

    /**
     * Answers the question of {@code answerId} (its conversation's latest answer) again into {@code sink}:
     * the old exchange leaves the conversation, so it keeps the question once and only the new answer. If
     * the conversation moved on before it is its turn, a short note says so instead.
     */
    public Answer regenerate(ConversationKey key, String answerId, MessageSink sink) {
        Incoming asked = latest.find(key, answerId).map(answer -> latest.asked(key, answer))
                .orElseGet(() -> new Incoming(key, "", "", "(regenerate)", Trigger.SLASH_COMMAND, ""));
        return submit(new AnswerRun(nextId(), asked, scheduler.now(), AnswerRun.Kind.REGENERATE, answerId), sink);
    }

    /**
     * Asks the model to carry on where {@code answerId} (cut at the length limit) stopped, into
     * {@code sink}: the request holds the cut answer as the model's turn; the conversation then remembers
     * the cut answer and its continuation as one answer.
     */
    public Answer continueAnswer(ConversationKey key, String answerId, String userId, String userName,
                                 MessageSink sink) {
        Incoming request = new Incoming(key, userId, userName, CONTINUE_PROMPT, Trigger.SLASH_COMMAND, "");
        return submit(new AnswerRun(nextId(), request, scheduler.now(), AnswerRun.Kind.CONTINUE, answerId), sink);
    }

    private String nextId() {
        return bootId + "-" + ids.incrementAndGet();
    }

    private Answer submit(AnswerRun run, MessageSink sink) {
        Incoming incoming = run.incoming();
        run.beforeDone(result -> meters.answered(incoming.conversation().platform(), result.outcome()));
        String refusal = refusal(incoming);
        if (refusal != null) {
            refuse(run, sink, refusal);
            return run;
        }
        open.put(run.id(), run);
        run.beforeDone(result -> open.remove(run.id()));
        boolean queued = lanes.enqueue(incoming.conversation(), () -> answer(run, sink),
                config.limits().maxQueuedPerConversation());
        if (!queued) {
            refuse(run, sink, "⚠ Too many messages are waiting for an answer here; ask again when I'm done.");
        }
        return run;
    }

    /**
     * Stops the answer being written in this conversation. True if there was one in this process; with a
     * shared store, the stop also reaches an answer in this conversation on another instance.
     */
    public boolean stop(ConversationKey key) {
        return stops.stop(new StopSignal(key, false)) > 0;
    }

    /**
     * Stops the answers being written in this conversation and, with {@code withThreads}, in every thread of
     * its channel, on every instance. Returns how many were stopped in this process.
     */
    public int stopHere(ConversationKey key, boolean withThreads) {
        return stops.stop(new StopSignal(key, withThreads));
    }

    /** Stops the answer in this conversation if {@code userId} asked for it (a Stop button), on any instance. */
    public void stopFor(ConversationKey key, String userId) {
        stops.stop(new StopSignal(key, false, userId));
    }

    /** Whether other instances share this bot's state (so a stop may concern an answer elsewhere). */
    public boolean sharesState() {
        return state.sharedWithOtherInstances();
    }


    /**
     * Stops every answer being written whose conversation matches, e.g. a channel and all its threads
     * (Slack's {@code /stop} is typed in the channel while the answer streams in a thread under it).
     *
     * @return how many answers were stopped
     */
    public int stopAll(Predicate<ConversationKey> which) {
        int stopped = 0;
        for (Map.Entry<ConversationKey, AnswerRun> entry : writing.entrySet()) {
            if (which.test(entry.getKey())) {
                entry.getValue().stop();
                stopped++;
            }
        }
        return stopped;
    }

    /** The answer being written in this conversation, if any. */
    public Optional<Answer> current(ConversationKey key) {
        return Optional.ofNullable(writing.get(key));
    }

    /**
     * Forgets this conversation's context on every instance and writes a reset marker, so a rebuild from
     * the platform skips what came before. Blocks on the store: call it off a platform's ack path.
     *
     * @return how many remembered messages (turns) were forgotten
     */
    public int reset(ConversationKey key) {
        latest.reset(key);
        return conversations.reset(key, scheduler.now());
    }

    /** Whether the bot has answered in this conversation, as far as it (or the shared store) remembers. */
    public boolean knows(ConversationKey key) {
        return writing.containsKey(key) || conversations.knows(key);
    }

    /**
     * Stops accepting messages, finalises every open answer as interrupted (the partial text stays, with
     * a line saying the bot is restarting) and waits up to {@code grace} for their final edits.
     */
    public void shutdown(Duration grace) {
        accepting = false;
        stops.close();
        List<CompletableFuture<AnswerResult>> pending = new ArrayList<>();
        for (AnswerRun run : open.values()) {
            run.stop(AnswerRun.StopCause.SHUTDOWN);
            pending.add(run.done());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("shutdown: {} answers did not finish their final edit within {} ms",
                    pending.stream().filter(f -> !f.isDone()).count(), grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("answers never complete exceptionally", e);
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    private String refusal(Incoming incoming) {
        if (!accepting) {
            return Footers.SHUTDOWN;
        }
        if (incoming.text().isBlank() && incoming.files().isEmpty()) {
            return "Ask me something after the mention, e.g. “what is a monad?”";
        }
        int max = config.limits().maxPromptChars();
        if (incoming.text().length() > max) {
            return "⚠ That message is too long for me (" + incoming.text().length() + " characters; the limit is "
                    + max + ").";
        }
        String userKey = incoming.conversation().platform() + ":" + incoming.userId();
        RateDecision allowed = state.tryUserRequest(userKey, config.limits().userRequestsPerMinute());
        if (!allowed.allowed()) {
            long seconds = Math.max(1, (allowed.retryAfter().toMillis() + 999) / 1000);
            return "⚠ You're sending messages faster than I can answer; try again in " + seconds + " s.";
        }
        return null;
    }

    private void refuse(AnswerRun run, MessageSink sink, String text) {
        try (var context = AnswerLogContext.of(run)) {
            log.info("answer id={} conv={} outcome=REFUSED", run.id(), run.incoming().conversation());
        }
        sink.post(text, false).whenComplete((ref, error) -> {
            if (error != null) {
                log.warn("answer id={} could not post its refusal: {}", run.id(), error.toString());
            }
            run.complete(AnswerResult.refused(text));
        });
    }

    /** Runs on the conversation's lane thread: one answer, start to final edit. */
    private void answer(AnswerRun run, MessageSink sink) {
        try (var context = AnswerLogContext.of(run)) {
            answerLogged(run, sink);
        }
    }

    private void answerLogged(AnswerRun run, MessageSink sink) {
        Incoming incoming = run.incoming();
        ConversationKey key = incoming.conversation();
        if (run.stopCause() != null) {
            // Stopped (shutdown) while it waited its turn: say so instead of starting.
            refuse(run, sink, Footers.SHUTDOWN);
            return;
        }
        // Across instances, one answer per conversation at a time: wait for its lease first.
        AnswerResult result;
        try (ConversationLeases.Held lease = leases.acquire(key)) {
            // Read under the lease, so no answer or press on another instance slips in before this one acts.
            LatestAnswer previous = run.kind() == AnswerRun.Kind.ASK ? null : latest.find(key, run.target()).orElse(null);
            String stale = run.kind() == AnswerRun.Kind.ASK ? null : stale(run.kind(), previous);
            if (stale != null) {
                // A newer answer, a reset or another press got there first (adapters check before, this is the race).
                refuse(run, sink, stale);
                result = null;
            } else {
                result = answerHoldingLease(run, sink, previous);
            }
        }
        if (result != null) {
            // Completed only once the conversation is free, so whoever waits on it sees no answer "current".
            run.complete(result);
        }
    }

    /** Why a press on {@code previous} (null: no longer the latest answer) cannot act, or null. */
    private static String stale(AnswerRun.Kind kind, LatestAnswer previous) {
        String verb = kind == AnswerRun.Kind.CONTINUE ? "continue." : "regenerate.";
        if (previous == null) {
            return "That answer is no longer the latest one here, so there is nothing to " + verb;
        }
        return kind == AnswerRun.Kind.CONTINUE && !previous.cut() ? "That answer is complete; there is nothing to continue."
                : null;
    }

    /** The answer, or null when it was refused (a refusal completes the run itself). */
    private AnswerResult answerHoldingLease(AnswerRun run, MessageSink sink, LatestAnswer previous) {
        ConversationKey key = run.incoming().conversation();
        boolean slot = false;
        try {
            slot = slots.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!slot) {
            refuse(run, sink, "⚠ I'm answering too many questions right now; try again in a minute.");
            return null;
        }
        writing.put(key, run);
        meters.started();
        try {
            return write(run, sink, previous);
        } catch (RuntimeException | Error e) {
            log.error("answer id={} conv={} failed unexpectedly", run.id(), key, e);
            return new AnswerResult(Answer.Outcome.FAILED, "", null, Usage.NONE, null, Duration.ZERO, 0);
        } finally {
            meters.ended();
            writing.remove(key, run);
            slots.release();
        }
    }

    /** Writes one answer; {@code previous} is the latest answer a Regenerate or Continue acts on (else null). */
    private AnswerResult write(AnswerRun run, MessageSink sink, LatestAnswer previous) {
        Incoming incoming = run.incoming();
        ConversationKey key = incoming.conversation();
        Instant started = scheduler.now();

        // A message that starts its thread (a mention answered under itself) has no history to rebuild.
        boolean threadRoot = incoming.messageId().equals(key.thread());
        HistoryLoader loader = key.inThread() && !threadRoot && config.context().rebuildFromPlatform()
                ? historyLoaders.getOrDefault(key.platform(), HistoryLoader.NONE) : HistoryLoader.NONE;
        Conversation conversation = conversations.load(key, loader, config.context().maxChars());
        // The turn keeps a mention of each file ("[image: chart.png]"); only this request carries the bytes.
        Turn question = Turn.user(incoming.userId(), incoming.userName(),
                FileMentions.withMentions(incoming.text(), incoming.files()), started);
        if (run.kind() == AnswerRun.Kind.REGENERATE && previous != null) {
            // The same question again; the old answer leaves the conversation with it (it comes back once).
            question = previous.question();
            if (conversation.removeLast(List.of(previous.question(), previous.answer()))) {
                conversations.rewrite(conversation);
            }
        }
        boolean namedAuthors = incoming.trigger() != Trigger.DIRECT_MESSAGE;
        ChannelSettings.InForce inForce = settings.inForce(settingsChannel(key));
        ContextWindow.Context context = window.build(inForce.systemPrompt().value(), conversation.turns(),
                question, namedAuthors);

        ReplyOptions options = ReplyOptions.of(config.streaming(), sink.defaultEditInterval());
        StreamingReply reply = new StreamingReply(sink, options, scheduler,
                pacers.getOrDefault(key.platform(), EditPacer.NONE));
        reply.onGone(() -> run.stop(AnswerRun.StopCause.GONE));
        sink.showTyping();
        Runnable cancelThinking = scheduler.schedule(THINKING_PLACEHOLDER_DELAY, reply::thinking);
        Attachments.Gathered files = attachments.gather(incoming.files());

        Usage usage = Usage.NONE;
        Instant firstText = null;
        String footer;
        Answer.Outcome outcome;
        FinishReason reason = null;
        try (ModelStream stream = model.stream(ChannelRequests.shape(context.request()
                .withFilesOnLastTurn(files.files()).withTools(config.gemini().tools()), inForce))) {
            run.attach(stream);
            stream.paceReads(reply.readPacing()); // read in batches, at the edits that show them
            Finished finished = null;
            for (StreamEvent event : stream) {
                switch (event) {
                    case TextDelta delta -> {
                        if (firstText == null) {
                            firstText = scheduler.now();
                            cancelThinking.run();
                        }
                        reply.append(delta.text());
                    }
                    case ThinkingDelta thinking -> reply.thinking();
                    case ToolActivity tool -> {
                        if (firstText == null) {
                            reply.status(ToolProgress.of(tool.kind()));
                        }
                    }
                    case Finished end -> finished = end;
                }
            }
            reason = finished == null ? FinishReason.OTHER : finished.reason();
            usage = finished == null ? Usage.NONE : finished.usage();
            footer = Footers.join(finished == null ? null : Footers.sources(finished.sources()),
                    Footers.of(reason, finished == null ? null : finished.detail()));
            outcome = reason.normal() ? Answer.Outcome.COMPLETED : Answer.Outcome.BLOCKED;
            meters.modelRequest(reason.normal() ? "ok" : "blocked");
            meters.tokens(usage);
        } catch (ModelException failure) {
            meters.modelFailed(failure.kind());
            AnswerRun.StopCause cause = run.stopCause();
            if (failure.kind() == ModelException.Kind.CANCELLED && cause == AnswerRun.StopCause.SHUTDOWN) {
                footer = Footers.SHUTDOWN;
                outcome = Answer.Outcome.INTERRUPTED;
            } else if (failure.kind() == ModelException.Kind.CANCELLED && cause == AnswerRun.StopCause.GONE) {
                footer = null;
                outcome = Answer.Outcome.GONE;
            } else {
                footer = Footers.of(failure);
                outcome = failure.kind() == ModelException.Kind.CANCELLED
                        ? Answer.Outcome.STOPPED : Answer.Outcome.FAILED;
                if (outcome == Answer.Outcome.FAILED) {
                    log.warn("answer id={} conv={} model call failed: kind={} status={} {}", run.id(), key,
                            failure.kind(), failure.httpStatus(), failure.getMessage());
                }
            }
        } finally {
            cancelThinking.run();
        }

        ReplyResult shown = reply.finish(Footers.join(footer, files.footer())).join();
        if (shown.gone()) {
            outcome = Answer.Outcome.GONE;
        } else if (shown.messages().isEmpty()) {
            // The platform refused every post (no permission, a rejected channel): nobody saw the answer.
            log.warn("answer id={} conv={} could not be posted: {} calls failed", run.id(), key, shown.failedCalls());
            outcome = Answer.Outcome.FAILED;
        }
        if (firstText != null && shown.timeToFirstText() != null) {
            meters.firstTextShown(Duration.between(run.received(), firstText).plus(shown.timeToFirstText()));
        }
        String text = reply.text();
        if (run.kind() == AnswerRun.Kind.CONTINUE && previous != null) {
            rememberContinued(run, conversation, previous, text, outcome, reason);
        } else {
            Turn answer = remember(conversation, question, text, footer);
            // A regenerated answer's run asks the previous question (see regenerate): the same asker and trigger.
            rememberLatest(run, key, incoming, question, answer, outcome, reason);
        }
        Instant ended = scheduler.now();
        Duration ttft = firstText == null ? null : Duration.between(started, firstText);
        AnswerResult result = new AnswerResult(outcome, text, shown, usage, ttft, Duration.between(started, ended),
                context.droppedTurns(), reason);
        log(run, result);
        return result;
    }

    /** Records the exchange as the user saw it; a failed answer is remembered as what was shown. */
    private Turn remember(Conversation conversation, Turn question, String answer, String footer) {
        String remembered = answer.isEmpty() ? (footer == null ? "(no answer)" : footer) : answer;
        Turn said = Turn.model(remembered, scheduler.now());
        conversations.remember(conversation, question, said);
        return said;
    }

    /**
     * A continuation joins the cut answer it continues: the conversation remembers one answer, so the next
     * request reads it whole. (The model was asked to carry on mid-sentence, so the parts join as they are.)
     */
    private void rememberContinued(AnswerRun run, Conversation conversation, LatestAnswer previous, String text,
                                   Answer.Outcome outcome, FinishReason reason) {
        Turn whole = Turn.model(previous.answer().text() + text, scheduler.now());
        if (!text.isEmpty() && conversation.replaceLast(previous.answer(), whole)) {
            conversations.rewrite(conversation);
            rememberLatest(run, conversation.key(), latest.asked(conversation.key(), previous), previous.question(), whole,
                    outcome, reason);
        } else {
            latest.forget(conversation.key());
        }
    }

    /** Only a completed answer can be regenerated or continued; anything else ends what the buttons offer. */
    private void rememberLatest(AnswerRun run, ConversationKey key, Incoming asked, Turn question, Turn answer,
                                Answer.Outcome outcome, FinishReason reason) {
        if (outcome == Answer.Outcome.COMPLETED) {
            latest.remember(key, run.id(), asked, question, answer, reason == FinishReason.MAX_TOKENS);
        } else {
            latest.forget(key);
        }
    }

    private void log(AnswerRun run, AnswerResult result) {
        ReplyResult reply = result.reply();
        log.info("answer id={} conv={} trigger={} model={} outcome={} ttft_ms={} duration_ms={} posts={} edits={} "
                        + "rate_limited={} prompt_tokens={} output_tokens={} thinking_tokens={} dropped_turns={}",
                run.id(), run.incoming().conversation(), run.incoming().trigger(), model.name(), result.outcome(),
                result.timeToFirstText() == null ? -1 : result.timeToFirstText().toMillis(),
                result.duration().toMillis(), reply.posts(), reply.edits(), reply.rateLimited(),
                result.usage().promptTokens(), result.usage().outputTokens(), result.usage().thinkingTokens(),
                result.droppedTurns());
    }
}
