package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.Role;
import dev.geminibot.core.reply.EditPacer;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.ScriptedModel;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.sqlite.SqliteStateStore;
import dev.geminibot.state.testing.LocalRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two engines ("instances") in one JVM, each with its own Redis client, Caffeine cache and model, sharing
 * one real redis-server; and one engine restarted on a SQLite file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoInstancesEngineTest {
    private static final String PASSWORD = "pa55word";
    private static final ConversationKey DM = new ConversationKey("slack", "T1", "D1", "");

    @TempDir
    Path dir;

    @RegisterExtension
    final LogCapture logs = new LogCapture(PASSWORD);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private LocalRedis redis;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private StateStore redisStore() {
        RedisStateStore store = new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system());
        opened.add(store);
        return store;
    }

    private ChatEngine engine(ScriptedModel model, StateStore state) {
        ChatEngine engine = new ChatEngine(model, BotConfig.defaults(), Scheduler.system(), state);
        opened.add(() -> engine.shutdown(Duration.ofSeconds(5)));
        return engine;
    }

    private static Incoming dm(String text) {
        return new Incoming(DM, "U1", "Ann", text, Trigger.DIRECT_MESSAGE, "");
    }

    private static AnswerResult await(Answer answer) {
        return answer.done().orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static List<String> texts(ScriptedModel model, int request) {
        return model.requests().get(request).messages().stream().map(ChatMessage::text).toList();
    }

    @Test
    void messageOneToAAndMessageTwoToBGivesBTheWholeConversation() {
        redis = LocalRedis.start(PASSWORD);
        ScriptedModel modelA = new ScriptedModel().answer("Hello Ann, noted: 42.");
        ScriptedModel modelB = new ScriptedModel().answer("You said 42.");
        ChatEngine a = engine(modelA, redisStore());
        ChatEngine b = engine(modelB, redisStore());

        await(a.submit(dm("remember 42"), new MemorySink()));
        await(b.submit(dm("what did I say?"), new MemorySink()));

        assertThat(texts(modelB, 0)).containsExactly("remember 42", "Hello Ann, noted: 42.", "what did I say?");
        assertThat(modelB.requests().get(0).messages()).extracting(ChatMessage::role)
                .containsExactly(Role.USER, Role.MODEL, Role.USER);

        // A's cache still holds version 1; B stored version 2: A must not answer from its stale copy.
        modelA.answer("Three turns ago you said 42.");
        await(a.submit(dm("and before that?"), new MemorySink()));
        assertThat(texts(modelA, 1)).containsExactly("remember 42", "Hello Ann, noted: 42.", "what did I say?",
                "You said 42.", "and before that?");
    }

    @Test
    void twoInstancesNeverAnswerOneConversationAtOnceAndKeepTurnsInOrder() throws Exception {
        redis = LocalRedis.start(PASSWORD);
        ScriptedModel modelA = new ScriptedModel();
        ScriptedModel.Gate gate = modelA.hold(List.of("first "), List.of("answer"));
        ScriptedModel modelB = new ScriptedModel().answer("second answer");
        ChatEngine a = engine(modelA, redisStore());
        ChatEngine b = engine(modelB, redisStore());

        Answer first = a.submit(dm("one"), new MemorySink());
        modelA.awaitStarted(1);
        Answer second = b.submit(dm("two"), new MemorySink());
        // B waits for A's lease: its model is not called while A is still writing.
        Thread.sleep(300);
        assertThat(modelB.requests()).isEmpty();
        gate.open();
        await(first);
        await(second);
        assertThat(texts(modelB, 0)).containsExactly("one", "first answer", "two");
    }

    @Test
    void aStopAtBStopsTheAnswerStreamingOnA() throws Exception {
        redis = LocalRedis.start(PASSWORD);
        ScriptedModel modelA = new ScriptedModel();
        modelA.hold(List.of("partial "), List.of("never shown"));
        ChatEngine a = engine(modelA, redisStore());
        ChatEngine b = engine(new ScriptedModel(), redisStore());
        redis.awaitSubscribers("gemini-bot:stop", 2);

        MemorySink sink = new MemorySink();
        Answer answer = a.submit(dm("write a long essay"), sink);
        modelA.awaitStarted(1);
        assertThat(b.stop(DM)).isFalse(); // nothing is written on B itself

        AnswerResult result = answer.done().orTimeout(1, TimeUnit.SECONDS).join();
        assertThat(result.outcome()).isEqualTo(Answer.Outcome.STOPPED);
        assertThat(modelA.cancelled()).containsExactly(true);
        assertThat(result.text()).isEqualTo("partial ");
    }

    @Test
    void resetOnOneInstanceHoldsOnTheOtherAndSkipsTheRebuild() {
        redis = LocalRedis.start(PASSWORD);
        ConversationKey thread = new ConversationKey("discord", "G1", "TH1", "");
        ScriptedModel modelA = new ScriptedModel().answer("noted");
        ScriptedModel modelB = new ScriptedModel().answer("fresh");
        ChatEngine a = engine(modelA, redisStore());
        ChatEngine b = engine(modelB, redisStore());
        // B's platform history still shows everything (as Discord's thread history would).
        List<Turn> platform = List.of(Turn.user("U1", "Ann", "secret plan", Instant.now().minusSeconds(60)),
                Turn.model("noted", Instant.now().minusSeconds(59)));
        HistoryLoader history = (key, max) -> platform;
        a.registerPlatform("discord", history, EditPacer.NONE);
        b.registerPlatform("discord", history, EditPacer.NONE);

        await(a.submit(new Incoming(thread, "U1", "Ann", "secret plan", Trigger.MENTION, ""), new MemorySink()));
        assertThat(b.reset(thread)).isEqualTo(2);
        await(a.submit(new Incoming(thread, "U1", "Ann", "what was the plan?", Trigger.THREAD_FOLLOW_UP, "m3"),
                new MemorySink()));
        assertThat(texts(modelA, 1)).containsExactly("[Ann] what was the plan?");
    }

    @Test
    void aRestartOnTheSameSqliteFileKeepsTheChannelConversation() {
        Path file = dir.resolve("gemini-bot.db");
        ConversationKey channel = ConversationKey.channel("discord", "G1", "C1");
        ScriptedModel before = new ScriptedModel().answer("Noted: the answer is 42.");
        StateStore first = SqliteStateStore.open(file, Scheduler.system());
        ChatEngine one = new ChatEngine(before, BotConfig.defaults(), Scheduler.system(), first);
        await(one.submit(new Incoming(channel, "U1", "Ann", "remember 42", Trigger.MENTION, ""), new MemorySink()));
        one.shutdown(Duration.ofSeconds(5));
        first.close();

        ScriptedModel after = new ScriptedModel().answer("42.");
        ChatEngine two = engine(after, track(SqliteStateStore.open(file, Scheduler.system())));
        await(two.submit(new Incoming(channel, "U2", "Bob", "what did Ann ask to remember?", Trigger.MENTION, ""),
                new MemorySink()));
        assertThat(texts(after, 0)).containsExactly("[Ann] remember 42", "Noted: the answer is 42.",
                "[Bob] what did Ann ask to remember?");
    }

    @Test
    void losingRedisKeepsAnswersComingWithoutHistoryLogsOnceAndRecovers() throws Exception {
        redis = LocalRedis.start(PASSWORD);
        ScriptedModel model = new ScriptedModel();
        StateStore store = redisStore();
        ChatEngine engine = engine(model, store);
        {
            model.answer("first");
            await(engine.submit(dm("one"), new MemorySink()));

            redis.down();
            model.answer("second").answer("third");
            AnswerResult second = await(engine.submit(dm("two"), new MemorySink()));
            AnswerResult third = await(engine.submit(dm("three"), new MemorySink()));
            assertThat(second.outcome()).isEqualTo(Answer.Outcome.COMPLETED);
            assertThat(third.outcome()).isEqualTo(Answer.Outcome.COMPLETED);
            // Without history while the store is gone.
            assertThat(texts(model, 1)).containsExactly("two");
            assertThat(texts(model, 2)).containsExactly("three");
            assertThat(logs.lines()).filteredOn(m -> m.contains("answering without shared state")).hasSize(1)
                    .allMatch(m -> m.contains("redis 127.0.0.1:" + redis.port()))
                    .noneMatch(m -> m.contains(PASSWORD));
            assertThat(engine.state().health().isUp()).isFalse();

            redis.up(); // an empty Redis, as after a restart without persistence
            Thread.sleep(1100); // the store is retried at most once a second
            model.answer("fourth").answer("fifth");
            await(engine.submit(dm("four"), new MemorySink()));
            await(engine.submit(dm("five"), new MemorySink()));
            assertThat(texts(model, 4)).containsExactly("four", "fourth", "five");
            assertThat(logs.lines()).anyMatch(m -> m.contains("reachable again"));
            assertThat(engine.state().health().isUp()).isTrue();
        }
    }

    @Test
    void redisUnreachableAtStartIsLoggedOnceAndTheBotAnswersUntilItComesBack() throws Exception {
        redis = LocalRedis.start(PASSWORD);
        redis.down();
        ScriptedModel model = new ScriptedModel().answer("one").answer("two").answer("three").answer("four");
        ChatEngine engine = engine(model, redisStore());
        assertThat(await(engine.submit(dm("a"), new MemorySink())).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(await(engine.submit(dm("b"), new MemorySink())).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(logs.lines()).filteredOn(m -> m.contains("answering without shared state")).hasSize(1)
                .allMatch(m -> m.contains("127.0.0.1:" + redis.port()));

        redis.up();
        Thread.sleep(1100);
        await(engine.submit(dm("c"), new MemorySink()));
        await(engine.submit(dm("d"), new MemorySink()));
        assertThat(texts(model, 3)).containsExactly("c", "three", "d");
        assertThat(logs.lines()).filteredOn(m -> m.contains("answering without shared state")).hasSize(1);
    }

    private StateStore track(StateStore store) {
        opened.add(store);
        return store;
    }
}
