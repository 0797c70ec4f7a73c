package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminibot.config.BotConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.media.SharedFile;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.FileHost;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.sqlite.SqliteStateStore;
import dev.geminibot.state.testing.LocalRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Regenerate and Continue pressed on an answer the pressing process did not write: after a restart on the
 * same SQLite file, and on instance B of two engines sharing one real redis-server. The model is the fake
 * Gemini over HTTP, so every assertion on a request reads the JSON the client really sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PressesAcrossRestartsAndInstancesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConversationKey CHANNEL = ConversationKey.channel("discord", "G1", "C1");

    @TempDir
    Path dir;

    private final FakeGemini gemini = FakeGemini.start();
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
        gemini.close();
    }

    /** One process: an engine over its own store and its own Gemini client. */
    private ChatEngine engine(StateStore state) {
        ChatEngine engine = new ChatEngine(ChatModels.fromConfig(gemini.config()), BotConfig.defaults(),
                Scheduler.system(), state);
        opened.add(state);
        opened.add(() -> engine.shutdown(Duration.ofSeconds(5)));
        return engine;
    }

    private ChatEngine sqliteEngine(Path file) {
        return engine(SqliteStateStore.open(file, Scheduler.system()));
    }

    private ChatEngine redisEngine() {
        return engine(new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system()));
    }

    /** Stops a process as {@code run} does on SIGTERM: answers finish, then the store closes. */
    private void stop(ChatEngine engine) {
        engine.shutdown(Duration.ofSeconds(5));
        engine.state().close();
    }

    private static Answer ask(ChatEngine engine, String user, String text) {
        return engine.submit(new Incoming(CHANNEL, user, user, text, Trigger.MENTION, "m-" + text.hashCode()),
                new MemorySink());
    }

    private static AnswerResult await(Answer answer) {
        return answer.done().orTimeout(20, TimeUnit.SECONDS).join();
    }

    /** The contents of the next request Gemini received, as {@code ROLE:text}. */
    private List<String> nextRequest() throws Exception {
        JsonNode body = JSON.readTree(gemini.takeRequest().getBody().utf8());
        List<String> contents = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            StringBuilder text = new StringBuilder();
            content.path("parts").forEach(part -> text.append(part.path("text").asText("")));
            contents.add(content.path("role").asText().toUpperCase() + ":" + text);
        }
        return contents;
    }

    private static List<String> history(ChatEngine engine) {
        return engine.state().loadConversation(CHANNEL).turns().stream()
                .map(turn -> turn.role() + ":" + turn.text()).toList();
    }

    @Test
    void regenerateAfterARestartAnswersTheQuestionAgainAndTheHistoryHoldsItOnce() throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        ChatEngine before = sqliteEngine(file);
        gemini.enqueueStream("A monad is ", "a monoid.");
        Answer first = ask(before, "ann", "what is a monad?");
        assertThat(await(first).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(nextRequest()).containsExactly("USER:[ann] what is a monad?");
        stop(before);

        ChatEngine after = sqliteEngine(file);
        assertThat(after.isLatest(CHANNEL, first.id())).as("the restarted bot knows the latest answer").isTrue();
        assertThat(after.canContinue(CHANNEL, first.id())).as("it stopped normally").isFalse();

        gemini.enqueueStream("A monad wraps ", "values and sequences steps.");
        MemorySink again = new MemorySink();
        Answer regenerated = after.regenerate(CHANNEL, first.id(), again);
        AnswerResult result = await(regenerated);
        assertThat(result.outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(again.text()).isEqualTo("A monad wraps values and sequences steps.");
        assertThat(regenerated.incoming().userId()).as("still Ann's answer, for her buttons").isEqualTo("ann");
        assertThat(nextRequest()).as("the question alone, without the old answer")
                .containsExactly("USER:[ann] what is a monad?");
        assertThat(history(after)).containsExactly("USER:what is a monad?",
                "MODEL:A monad wraps values and sequences steps.");
        assertThat(after.isLatest(CHANNEL, first.id())).isFalse();
        assertThat(after.isLatest(CHANNEL, regenerated.id())).isTrue();

        // And once more across another restart: the regenerated answer is the one the buttons act on.
        stop(after);
        ChatEngine third = sqliteEngine(file);
        assertThat(third.isLatest(CHANNEL, regenerated.id())).isTrue();
        gemini.enqueueStream("You're welcome.");
        await(ask(third, "bob", "thanks"));
        assertThat(nextRequest()).containsExactly("USER:[ann] what is a monad?",
                "MODEL:A monad wraps values and sequences steps.", "USER:[bob] thanks");
    }

    @Test
    void continueAfterARestartCarriesOnTheCutAnswerAndJoinsIt() throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        ChatEngine before = sqliteEngine(file);
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("The first half, ", false, "MAX_TOKENS", 5, 4)));
        Answer cut = ask(before, "ann", "write a lot");
        assertThat(await(cut).cutAtMaxTokens()).isTrue();
        nextRequest();
        stop(before);

        ChatEngine after = sqliteEngine(file);
        assertThat(after.canContinue(CHANNEL, cut.id())).isTrue();
        gemini.enqueueStream("and the second half.");
        MemorySink more = new MemorySink();
        Answer continued = after.continueAnswer(CHANNEL, cut.id(), "bob", "bob", more);
        assertThat(await(continued).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(more.text()).isEqualTo("and the second half.");
        List<String> request = nextRequest();
        assertThat(request).hasSize(3);
        assertThat(request.subList(0, 2)).containsExactly("USER:[ann] write a lot", "MODEL:The first half, ");
        assertThat(request.get(2)).startsWith("USER:").contains(ChatEngine.CONTINUE_PROMPT);
        assertThat(history(after)).containsExactly("USER:write a lot", "MODEL:The first half, and the second half.");
        assertThat(after.isLatest(CHANNEL, continued.id())).isTrue();
        assertThat(after.canContinue(CHANNEL, continued.id())).as("the continuation finished").isFalse();
        assertThat(after.canContinue(CHANNEL, cut.id())).isFalse();
    }

    @Test
    void aStalePressAfterARestartGetsTheReasonAndAsksGeminiNothing() throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        ChatEngine before = sqliteEngine(file);
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Cut ", false, "MAX_TOKENS", 5, 1)));
        gemini.enqueueStream("Two.");
        Answer first = ask(before, "ann", "one");
        await(first);
        await(ask(before, "ann", "two"));
        stop(before);

        ChatEngine after = sqliteEngine(file);
        MemorySink regenerate = new MemorySink();
        MemorySink carryOn = new MemorySink();
        assertThat(after.isLatest(CHANNEL, first.id())).isFalse();
        assertThat(await(after.regenerate(CHANNEL, first.id(), regenerate)).outcome()).isEqualTo(Answer.Outcome.REFUSED);
        assertThat(await(after.continueAnswer(CHANNEL, first.id(), "ann", "ann", carryOn)).outcome())
                .isEqualTo(Answer.Outcome.REFUSED);
        assertThat(regenerate.text()).contains("no longer the latest").contains("regenerate");
        assertThat(carryOn.text()).contains("no longer the latest").contains("continue");
        assertThat(gemini.requestCount()).isEqualTo(2);

        after.reset(CHANNEL);
        stop(after);
        ChatEngine reset = sqliteEngine(file);
        assertThat(reset.state().latestAnswer(CHANNEL)).as("a reset ends what the buttons offer").isEmpty();
    }

    @Test
    void aPressOnInstanceBActsOnTheAnswerInstanceAWrote() throws Exception {
        redis = LocalRedis.start();
        ChatEngine a = redisEngine();
        ChatEngine b = redisEngine();

        gemini.enqueueStream("First answer.");
        Answer first = ask(a, "ann", "what is a monad?");
        await(first);
        nextRequest();
        assertThat(b.isLatest(CHANNEL, first.id())).isTrue();

        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("Second answer, cut ", false, "MAX_TOKENS", 5, 4)));
        MemorySink again = new MemorySink();
        Answer regenerated = b.regenerate(CHANNEL, first.id(), again);
        assertThat(await(regenerated).cutAtMaxTokens()).isTrue();
        assertThat(again.text()).startsWith("Second answer, cut ").contains("maximum length");
        assertThat(nextRequest()).containsExactly("USER:[ann] what is a monad?");
        assertThat(history(a)).containsExactly("USER:what is a monad?", "MODEL:Second answer, cut ");
        assertThat(a.isLatest(CHANNEL, first.id())).as("A sees that B replaced it").isFalse();
        assertThat(a.canContinue(CHANNEL, regenerated.id())).isTrue();

        // Continue, pressed on A this time, for B's cut answer.
        gemini.enqueueStream("and done.");
        Answer continued = a.continueAnswer(CHANNEL, regenerated.id(), "ann", "ann", new MemorySink());
        assertThat(await(continued).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        List<String> request = nextRequest();
        assertThat(request.subList(0, 2)).containsExactly("USER:[ann] what is a monad?", "MODEL:Second answer, cut ");
        assertThat(history(b)).containsExactly("USER:what is a monad?", "MODEL:Second answer, cut and done.");
        assertThat(b.isLatest(CHANNEL, continued.id())).isTrue();

        // The press B already acted on is stale everywhere now.
        MemorySink late = new MemorySink();
        assertThat(await(b.regenerate(CHANNEL, first.id(), late)).outcome()).isEqualTo(Answer.Outcome.REFUSED);
        assertThat(late.text()).contains("no longer the latest");
        assertThat(gemini.requestCount()).isEqualTo(3);
        assertThat(history(a)).extracting(s -> s).doesNotHaveDuplicates();
        assertThat(b.state().loadConversation(CHANNEL).turns()).extracting(Turn::authorId).containsExactly("ann", "");
    }

    @Test
    void filesAndTheirCredentialsNeverReachTheStoreAndAPressElsewhereAsksWithTheirMentions() throws Exception {
        redis = LocalRedis.start();
        ChatEngine a = redisEngine();
        ChatEngine b = redisEngine();
        String token = "xoxb-SECRET-7f3a";
        try (FileHost host = new FileHost()) {
            byte[] png = FileHost.png();
            SharedFile chart = new SharedFile("chart.png", "image/png", png.length,
                    host.serve("/f/chart.png", "image/png", png), Map.of("Authorization", "Bearer " + token));
            gemini.enqueueStream("A red pixel.");
            Answer first = a.submit(new Incoming(CHANNEL, "ann", "ann", "what is this?", Trigger.MENTION, "m1",
                    List.of(chart)), new MemorySink());
            await(first);
            nextRequest();

            try (Jedis raw = redis.client()) {
                for (String key : raw.keys("gemini-bot:*")) {
                    String value = switch (raw.type(key)) {
                        case "string" -> raw.get(key);
                        case "list" -> String.join(" ", raw.lrange(key, 0, -1));
                        case "zset" -> String.join(" ", raw.zrange(key, 0, -1));
                        case "hash" -> raw.hgetAll(key).toString();
                        default -> throw new AssertionError("unexpected " + raw.type(key) + " at " + key);
                    };
                    assertThat(value).doesNotContain(token).doesNotContain(host.url("/f/chart.png"));
                }
                assertThat(raw.exists("gemini-bot:latest:discord:G1:C1")).isTrue();
            }

            gemini.enqueueStream("Probably a chart.");
            await(b.regenerate(CHANNEL, first.id(), new MemorySink()));
            assertThat(nextRequest()).containsExactly("USER:[ann] what is this?\n[image: chart.png]");
            assertThat(host.requests()).as("B cannot fetch the file; only A did, once").hasSize(1);
        }
    }

    @Test
    void duringARedisOutageTheButtonsOfAnswersWrittenHereStillWork() throws Exception {
        redis = LocalRedis.start();
        ChatEngine a = redisEngine();
        redis.down();
        gemini.enqueueStream("First.");
        Answer first = ask(a, "ann", "one");
        assertThat(await(first).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        nextRequest();
        assertThat(a.isLatest(CHANNEL, first.id())).isTrue();

        gemini.enqueueStream("Again.");
        MemorySink again = new MemorySink();
        assertThat(await(a.regenerate(CHANNEL, first.id(), again)).outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(again.text()).isEqualTo("Again.");
        assertThat(nextRequest()).containsExactly("USER:[ann] one");
    }

    @Test
    void theSamePressOnTwoInstancesAtOnceActsOnce() throws Exception {
        redis = LocalRedis.start();
        ChatEngine a = redisEngine();
        ChatEngine b = redisEngine();
        gemini.enqueueStream("First.");
        Answer first = ask(a, "ann", "one");
        await(first);
        nextRequest();

        gemini.enqueueStream("Again.");
        gemini.enqueueStream("Never asked.");
        MemorySink onA = new MemorySink();
        MemorySink onB = new MemorySink();
        Answer pressA = a.regenerate(CHANNEL, first.id(), onA);
        Answer pressB = b.regenerate(CHANNEL, first.id(), onB);
        List<Answer.Outcome> outcomes = List.of(await(pressA).outcome(), await(pressB).outcome());
        assertThat(outcomes).containsExactlyInAnyOrder(Answer.Outcome.COMPLETED, Answer.Outcome.REFUSED);
        assertThat(onA.text() + "|" + onB.text()).contains("Again.").contains("no longer the latest");
        assertThat(gemini.requestCount()).isEqualTo(2);
        assertThat(history(b)).containsExactly("USER:one", "MODEL:Again.");
    }
}
