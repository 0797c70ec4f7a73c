package dev.geminibot.core.engine;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.conversation.ContextWindow;
import dev.geminibot.core.conversation.Conversation;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.ChatModel;
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
import java.util.function.Predicate;
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
    private final ConversationStore store;
    private final ContextWindow window;
    private final ConversationLanes lanes = new ConversationLanes();
    private final Semaphore slots;
    private final UserRateLimiter userLimits;
    private final AnswerMeters meters;
    private final Attachments attachments;
    private final Map<String, HistoryLoader> historyLoaders = new ConcurrentHashMap<>();
    private final Map<String, EditPacer> pacers = new ConcurrentHashMap<>();
    private final Map<ConversationKey, AnswerRun> writing = new ConcurrentHashMap<>();
    private final Map<String, AnswerRun> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean accepting = true;

    public ChatEngine(ChatModel model, BotConfig config) {
        this(model, config, Scheduler.system());
    }

    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler) {
        this(model, config, scheduler, new SimpleMeterRegistry());
    }

    /** Recording its meters (section 11 of DESIGN) in {@code meters}, which adapters also use ({@link #meterRegistry()}). */
    public ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, MeterRegistry meters) {
        this(model, config, scheduler, new ConversationStore(config.context()), DEFAULT_SLOT_WAIT, meters);
    }

    /** With an explicit store and slot wait: for tests that move the cache's time or fill every slot. */
    ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, ConversationStore store, Duration slotWait) {
        this(model, config, scheduler, store, slotWait, new SimpleMeterRegistry());
    }

    private ChatEngine(ChatModel model, BotConfig config, Scheduler scheduler, ConversationStore store,
                       Duration slotWait, MeterRegistry meterRegistry) {
        this.meters = new AnswerMeters(meterRegistry);
        this.model = model;
        this.config = config;
        this.scheduler = scheduler;
        this.store = store;
        this.slotWait = slotWait;
        this.window = new ContextWindow(config.context().maxChars(), config.context().maxTurns());
        this.slots = new Semaphore(config.limits().maxConcurrentAnswers(), true);
        this.userLimits = new UserRateLimiter(config.limits().userRequestsPerMinute());
        this.attachments = new Attachments(config.gemini().maxAttachmentBytes(), new okhttp3.OkHttpClient());
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
     * Answers {@code incoming} into {@code sink}. Returns at once; the answer is written on a virtual
     * thread after the answers already queued in the same conversation. A message that cannot be
     * answered (rate limit, too long, queue full, shutting down) gets one short final message instead.
     */
    public Answer submit(Incoming incoming, MessageSink sink) {
        AnswerRun run = new AnswerRun(Long.toString(ids.incrementAndGet()), incoming, scheduler.now());
        run.done().thenAccept(result -> meters.answered(incoming.conversation().platform(), result.outcome()));
        String refusal = refusal(incoming);
        if (refusal != null) {
            refuse(run, sink, refusal);
            return run;
        }
        open.put(run.id(), run);
        run.done().whenComplete((result, error) -> open.remove(run.id()));
        boolean queued = lanes.enqueue(incoming.conversation(), () -> answer(run, sink),
                config.limits().maxQueuedPerConversation());
        if (!queued) {
            refuse(run, sink, "⚠ Too many messages are waiting for an answer here; ask again when I'm done.");
        }
        return run;
    }

    /** Stops the answer being written in this conversation. True if there was one. */
    public boolean stop(ConversationKey key) {
        AnswerRun run = writing.get(key);
        if (run == null) {
            return false;
        }
        run.stop();
        return true;
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

    /** Forgets this conversation's context; the next message starts afresh. */
    public void reset(ConversationKey key) {
        store.reset(key);
    }

    /** Whether the bot has answered in this conversation, as far as it remembers. */
    public boolean knows(ConversationKey key) {
        return writing.containsKey(key) || store.contains(key);
    }

    /**
     * Stops accepting messages, finalises every open answer as interrupted (the partial text stays, with
     * a line saying the bot is restarting) and waits up to {@code grace} for their final edits.
     */
    public void shutdown(Duration grace) {
        accepting = false;
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
        Instant now = scheduler.now();
        if (!userLimits.tryAcquire(userKey, now)) {
            long seconds = Math.max(1, userLimits.waitFor(userKey, now).toSeconds());
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
        boolean slot = false;
        try {
            slot = slots.tryAcquire(slotWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!slot) {
            refuse(run, sink, "⚠ I'm answering too many questions right now; try again in a minute.");
            return;
        }
        writing.put(key, run);
        meters.started();
        AnswerResult result;
        try {
            result = write(run, sink);
        } catch (RuntimeException | Error e) {
            log.error("answer id={} conv={} failed unexpectedly", run.id(), key, e);
            result = new AnswerResult(Answer.Outcome.FAILED, "", null, Usage.NONE, null, Duration.ZERO, 0);
        } finally {
            meters.ended();
            writing.remove(key, run);
            slots.release();
        }
        // Completed only once the conversation is free, so whoever waits on it sees no answer "current".
        run.complete(result);
    }

    private AnswerResult write(AnswerRun run, MessageSink sink) {
        Incoming incoming = run.incoming();
        ConversationKey key = incoming.conversation();
        Instant started = scheduler.now();

        // A message that starts its thread (a mention answered under itself) has no history to rebuild.
        boolean threadRoot = incoming.messageId().equals(key.thread());
        HistoryLoader loader = key.inThread() && !threadRoot && config.context().rebuildFromPlatform()
                ? historyLoaders.getOrDefault(key.platform(), HistoryLoader.NONE) : HistoryLoader.NONE;
        Conversation conversation = store.findOrLoad(key, loader, config.context().maxChars());
        // The turn keeps a mention of each file ("[image: chart.png]"); only this request carries the bytes.
        Turn question = Turn.user(incoming.userId(), incoming.userName(),
                FileMentions.withMentions(incoming.text(), incoming.files()), started);
        boolean namedAuthors = incoming.trigger() != Trigger.DIRECT_MESSAGE;
        ContextWindow.Context context = window.build(config.gemini().systemPrompt(), conversation.turns(),
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
        try (ModelStream stream = model.stream(context.request().withFilesOnLastTurn(files.files())
                .withTools(config.gemini().tools()))) {
            run.attach(stream);
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
            FinishReason reason = finished == null ? FinishReason.OTHER : finished.reason();
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
        remember(conversation, question, text, footer);
        Instant ended = scheduler.now();
        Duration ttft = firstText == null ? null : Duration.between(started, firstText);
        AnswerResult result = new AnswerResult(outcome, text, shown, usage, ttft, Duration.between(started, ended),
                context.droppedTurns());
        log(run, result);
        return result;
    }

    /** Records the exchange as the user saw it; a failed answer is remembered as what was shown. */
    private void remember(Conversation conversation, Turn question, String answer, String footer) {
        String remembered = answer.isEmpty() ? (footer == null ? "(no answer)" : footer) : answer;
        conversation.append(question, Turn.model(remembered, scheduler.now()));
        store.save(conversation);
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
