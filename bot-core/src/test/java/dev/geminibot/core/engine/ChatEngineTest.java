package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.ContextConfig;
import dev.geminibot.config.LimitsConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.testing.ScriptedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ChatEngineTest {
    private static final ConversationKey GENERAL = ConversationKey.channel("test", "guild", "general");
    private static final ConversationKey RANDOM = ConversationKey.channel("test", "guild", "random");

    private final ScriptedModel model = new ScriptedModel();
    private ChatEngine engine = engine(LimitsConfig.defaults(), ContextConfig.defaults());

    private ChatEngine engine(LimitsConfig limits, ContextConfig context) {
        BotConfig defaults = BotConfig.defaults();
        BotConfig config = new BotConfig(defaults.gemini(), defaults.streaming(), context, limits,
                defaults.discord(), defaults.slack());
        return new ChatEngine(model, config, Scheduler.system(), new ConversationStore(context), Duration.ofMillis(200));
    }

    @AfterEach
    void shutDown() {
        engine.shutdown(Duration.ofSeconds(5));
    }

    private static Incoming message(ConversationKey key, String user, String text) {
        return new Incoming(key, user, user, text, Trigger.MENTION, "");
    }

    private static AnswerResult await(Answer answer) {
        return answer.done().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void answersIntoTheSinkAndRemembersTheExchange() {
        model.answer("A monad ", "is a ", "monoid.");
        MemorySink sink = new MemorySink();

        AnswerResult result = await(engine.submit(message(GENERAL, "ann", "what is a monad?"), sink));

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(result.text()).isEqualTo("A monad is a monoid.");
        assertThat(sink.text()).isEqualTo("A monad is a monoid.");
        assertThat(sink.anyLive()).isFalse();

        await(engine.submit(message(GENERAL, "bob", "and a functor?"), new MemorySink()));
        List<ChatMessage> second = model.requests().get(1).messages();
        assertThat(second).extracting(ChatMessage::role).containsExactly(Role.USER, Role.MODEL, Role.USER);
        assertThat(second.get(0).text()).isEqualTo("[ann] what is a monad?");
        assertThat(second.get(1).text()).isEqualTo("A monad is a monoid.");
        assertThat(second.get(2).text()).isEqualTo("[bob] and a functor?");
        assertThat(engine.knows(GENERAL)).isTrue();
    }

    @Test
    void answersOneMessageAtATimePerConversationInOrder() throws Exception {
        ScriptedModel.Gate first = model.hold(List.of("one"), List.of(" done"));
        model.answer("two");
        model.answer("three");

        Answer a = engine.submit(message(GENERAL, "ann", "first"), new MemorySink());
        model.awaitStarted(1);
        Answer b = engine.submit(message(GENERAL, "ann", "second"), new MemorySink());
        Answer c = engine.submit(message(GENERAL, "ann", "third"), new MemorySink());
        Thread.sleep(100); // would the engine start b or c early? It must not.
        assertThat(model.requests()).hasSize(1);

        first.open();
        assertThat(await(a).text()).isEqualTo("one done");
        assertThat(await(b).text()).isEqualTo("two");
        assertThat(await(c).text()).isEqualTo("three");
        // Each request saw the exchanges before it.
        assertThat(model.requests().get(2).messages()).extracting(ChatMessage::text)
                .containsExactly("[ann] first", "one done", "[ann] second", "two", "[ann] third");
    }

    @Test
    void otherConversationsAreNotHeldUp() throws Exception {
        ScriptedModel.Gate slow = model.hold(List.of("slow"), List.of(" end"));
        model.answer("fast");

        Answer held = engine.submit(message(GENERAL, "ann", "slow one"), new MemorySink());
        model.awaitStarted(1);
        Answer other = engine.submit(message(RANDOM, "bob", "fast one"), new MemorySink());

        assertThat(await(other).text()).isEqualTo("fast");
        assertThat(held.done()).isNotDone();
        slow.open();
        assertThat(await(held).text()).isEqualTo("slow end");
    }

    @Test
    void stopCancelsTheModelAndKeepsThePartialText() throws Exception {
        model.hold(List.of("Half of ", "the answer"), List.of(" never shown"));
        MemorySink sink = new MemorySink();
        Answer answer = engine.submit(message(GENERAL, "ann", "tell me"), sink);
        model.awaitStarted(1);
        Thread.sleep(50);

        assertThat(engine.current(GENERAL)).containsSame(answer);
        assertThat(engine.stop(GENERAL)).isTrue();
        AnswerResult result = await(answer);

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.STOPPED);
        assertThat(sink.text()).isEqualTo("Half of the answer\n\n⏹ stopped");
        assertThat(model.cancelled()).containsExactly(true);
        assertThat(engine.stop(GENERAL)).isFalse();
    }

    @Test
    void stopAllStopsTheAnswersOfAChannelAndItsThreadsOnly() throws Exception {
        ConversationKey thread = new ConversationKey("test", "guild", "general", "t1");
        model.hold(List.of("in channel"), List.of(" never"));
        model.hold(List.of("in thread"), List.of(" never"));
        model.hold(List.of("elsewhere"), List.of(" done"));
        Answer channel = engine.submit(message(GENERAL, "ann", "q1"), new MemorySink());
        Answer threaded = engine.submit(message(thread, "bob", "q2"), new MemorySink());
        Answer other = engine.submit(message(RANDOM, "cat", "q3"), new MemorySink());
        model.awaitStarted(3);

        int stopped = engine.stopAll(key -> key.channel().equals("general"));

        assertThat(stopped).isEqualTo(2);
        assertThat(await(channel).outcome()).isEqualTo(Answer.Outcome.STOPPED);
        assertThat(await(threaded).outcome()).isEqualTo(Answer.Outcome.STOPPED);
        assertThat(other.done()).isNotDone();
        engine.stop(RANDOM);
        await(other);
    }

    @Test
    void shutdownFinalisesEveryOpenAnswerAndRefusesNewOnes() throws Exception {
        model.hold(List.of("General answer"), List.of());
        model.hold(List.of("Random answer"), List.of());
        MemorySink general = new MemorySink();
        MemorySink random = new MemorySink();
        MemorySink queued = new MemorySink();
        Answer a = engine.submit(message(GENERAL, "ann", "q1"), general);
        Answer b = engine.submit(message(RANDOM, "bob", "q2"), random);
        Answer c = engine.submit(message(GENERAL, "cat", "q3"), queued);
        model.awaitStarted(2);
        Thread.sleep(50);

        engine.shutdown(Duration.ofSeconds(5));

        assertThat(await(a).outcome()).isEqualTo(Answer.Outcome.INTERRUPTED);
        assertThat(await(b).outcome()).isEqualTo(Answer.Outcome.INTERRUPTED);
        assertThat(await(c).outcome()).isEqualTo(Answer.Outcome.REFUSED);
        assertThat(general.text()).isEqualTo("General answer\n\n" + Footers.SHUTDOWN);
        assertThat(random.text()).startsWith("Random answer").doesNotContain("▌");
        assertThat(general.anyLive()).isFalse();
        assertThat(queued.text()).isEqualTo(Footers.SHUTDOWN);

        MemorySink late = new MemorySink();
        assertThat(await(engine.submit(message(RANDOM, "bob", "hello?"), late)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(late.text()).isEqualTo(Footers.SHUTDOWN);
    }

    @Test
    void aModelFailureKeepsThePartialTextWithTheReason() {
        model.fail(new ModelException(ModelException.Kind.INTERRUPTED, "connection reset"), "The first ", "half");
        MemorySink sink = new MemorySink();

        AnswerResult result = await(engine.submit(message(GENERAL, "ann", "q"), sink));

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.FAILED);
        assertThat(sink.text()).isEqualTo("The first half\n\n⚠ The answer was interrupted.");
    }

    @Test
    void aFailureBeforeAnyTextIsOneClearLine() {
        model.fail(new ModelException(ModelException.Kind.OVERLOADED, "503"));
        MemorySink sink = new MemorySink();

        await(engine.submit(message(GENERAL, "ann", "q"), sink));

        assertThat(sink.text()).isEqualTo("⚠ Gemini is overloaded, try again in a minute.");
    }

    @Test
    void safetyAndLengthEndingsSaySo() {
        model.finish(FinishReason.MAX_TOKENS, "Long ", "answer");
        model.finish(FinishReason.PROMPT_BLOCKED);
        MemorySink cut = new MemorySink();
        MemorySink blocked = new MemorySink();

        assertThat(await(engine.submit(message(GENERAL, "ann", "q"), cut)).outcome())
                .isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(await(engine.submit(message(RANDOM, "ann", "q"), blocked)).outcome())
                .isEqualTo(Answer.Outcome.BLOCKED);

        assertThat(cut.text()).isEqualTo("Long answer\n\n✂ The answer reached its maximum length.");
        assertThat(blocked.text()).isEqualTo("⚠ Gemini refused this question (blocked: safety).");
    }

    @Test
    void aDeletedMessageStopsTheAnswerQuietly() throws Exception {
        List<ScriptedModel.Gate> gates = model.gated("Some text", " more", " never");
        MemorySink sink = new MemorySink();
        Answer answer = engine.submit(message(GENERAL, "ann", "q"), sink);
        model.awaitStarted(1);
        // Wait for the first words to be posted (a fixed sleep flaked on a loaded machine), then delete them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sink.calls().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        sink.deleteMessages();
        gates.get(0).open(); // " more" needs an edit, which finds the message gone

        AnswerResult result = await(answer);

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.GONE);
        assertThat(model.cancelled()).containsExactly(true);
        List<String> calls = sink.calls();
        // The edit that found the message gone was the last call: nothing more was sent.
        assertThat(calls.get(calls.size() - 1)).startsWith("edit m1 Some text");
        assertThat(calls).filteredOn(c -> c.startsWith("post")).hasSize(1);
    }

    @Test
    void anAnswerThePlatformRefusedToPostIsAFailureNotACompletion() {
        model.answer("Nobody ", "sees ", "this.");
        MemorySink sink = new MemorySink();
        sink.forbid();

        AnswerResult result = await(engine.submit(message(GENERAL, "ann", "q"), sink));

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.FAILED);
        assertThat(sink.messages()).isZero();
    }

    @Test
    void refusesTooLongPromptsUserFloodsAndOverfullQueues() throws Exception {
        engine.shutdown(Duration.ZERO);
        engine = engine(new LimitsConfig(1, 3, 20, 1), ContextConfig.defaults());

        MemorySink tooLong = new MemorySink();
        assertThat(await(engine.submit(message(GENERAL, "ann", "x".repeat(21)), tooLong)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(tooLong.text()).contains("too long").contains("21").contains("20");

        ScriptedModel.Gate gate = model.hold(List.of("busy"), List.of());
        Answer running = engine.submit(message(GENERAL, "bob", "one"), new MemorySink());
        model.awaitStarted(1);
        Answer waiting = engine.submit(message(GENERAL, "bob", "two"), new MemorySink());
        MemorySink full = new MemorySink();
        assertThat(await(engine.submit(message(GENERAL, "cat", "three"), full)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(full.text()).contains("waiting");

        // The only global slot is taken: another conversation is refused after the slot wait.
        MemorySink busy = new MemorySink();
        assertThat(await(engine.submit(message(RANDOM, "dan", "hi"), busy)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(busy.text()).contains("too many questions");

        // bob has used 2 of 3 per minute; the fourth message within the minute is refused.
        engine.submit(message(RANDOM, "bob", "three"), new MemorySink());
        MemorySink flood = new MemorySink();
        assertThat(await(engine.submit(message(RANDOM, "bob", "four"), flood)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(flood.text()).contains("faster than I can answer");

        gate.open();
        await(running);
        await(waiting);
    }

    @Test
    void resetForgetsTheConversation() {
        await(engine.submit(message(GENERAL, "ann", "remember me"), new MemorySink()));
        engine.reset(GENERAL);
        await(engine.submit(message(GENERAL, "ann", "who am I?"), new MemorySink()));

        assertThat(model.requests().get(1).messages()).hasSize(1);
        assertThat(engine.knows(GENERAL)).isTrue();
    }

    @Test
    void aThreadUnknownToTheCacheIsRebuiltFromThePlatform() {
        ConversationKey thread = new ConversationKey("test", "guild", "general", "t1");
        Instant then = Instant.parse("2026-01-01T00:00:00Z");
        engine.registerPlatform("test", (key, maxChars) -> key.equals(thread)
                ? List.of(Turn.user("u1", "ann", "earlier question", then), Turn.model("earlier answer", then))
                : List.of(), dev.geminibot.core.reply.EditPacer.NONE);

        await(engine.submit(new Incoming(thread, "u1", "ann", "follow-up", Trigger.THREAD_FOLLOW_UP, ""),
                new MemorySink()));

        assertThat(model.requests().get(0).messages()).extracting(ChatMessage::text)
                .containsExactly("[ann] earlier question", "earlier answer", "[ann] follow-up");
    }

    @Test
    void directMessagesDoNotNameTheAuthor() {
        ConversationKey dm = ConversationKey.channel("test", "dm", "d1");
        await(engine.submit(new Incoming(dm, "u1", "ann", "hello", Trigger.DIRECT_MESSAGE, ""), new MemorySink()));

        assertThat(model.requests().get(0).messages().get(0).text()).isEqualTo("hello");
    }

    @Test
    void eachAnswerIsCountedOnceByOutcomeWithItsModelCallAndTokens() {
        model.answer("A monad ", "is a ", "monoid.");
        model.fail(new ModelException(ModelException.Kind.OVERLOADED, "503"));
        var meters = engine.meterRegistry();

        await(engine.submit(message(GENERAL, "ann", "what is a monad?"), new MemorySink()));
        await(engine.submit(message(GENERAL, "ann", "and again?"), new MemorySink()));
        await(engine.submit(message(RANDOM, "bob", "   "), new MemorySink()));

        assertThat(meters.get("gemini.bot.answers").tags("platform", "test", "outcome", "completed").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("gemini.bot.answers").tags("platform", "test", "outcome", "failed").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("gemini.bot.answers").tags("platform", "test", "outcome", "refused").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.find("gemini.bot.answers").counters()).hasSize(3);
        assertThat(meters.get("gemini.bot.model.requests").tags("outcome", "ok").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("gemini.bot.model.requests").tags("outcome", "overloaded").counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("gemini.bot.answers.in.flight").gauge().value()).isZero();
        assertThat(meters.get("gemini.bot.first.text").timer().count()).isEqualTo(1);
    }

    @Test
    void everyLineOfAnAnswersLifeCarriesItsIdPlatformAndConversationInTheMdc() {
        List<java.util.Map<String, String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        model.answer("hi");
        MemorySink memory = new MemorySink();
        dev.geminibot.core.reply.MessageSink sink = new dev.geminibot.core.reply.MessageSink() {
            @Override
            public java.util.concurrent.CompletableFuture<dev.geminibot.core.reply.MessageRef> post(String text,
                                                                                                   boolean live) {
                seen.add(org.slf4j.MDC.getCopyOfContextMap());
                return memory.post(text, live);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> edit(dev.geminibot.core.reply.MessageRef message,
                                                                     String text, boolean live) {
                seen.add(org.slf4j.MDC.getCopyOfContextMap());
                return memory.edit(message, text, live);
            }

            @Override
            public int maxLength() {
                return memory.maxLength();
            }
        };
        Answer answer = engine.submit(message(GENERAL, "ann", "hello"), sink);
        await(answer);
        assertThat(seen).isNotEmpty().allSatisfy(mdc -> assertThat(mdc)
                .containsEntry("answer_id", answer.id())
                .containsEntry("platform", "test")
                .containsEntry("conversation", GENERAL.toString()));
    }
}
