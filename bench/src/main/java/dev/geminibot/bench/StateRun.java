package dev.geminibot.bench;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.Lease;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StoredConversation;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.sqlite.SqliteStateStore;
import dev.geminibot.state.testing.LocalRedis;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the state store adds to the time to first text, per backend (wall clock). Before the model is
 * asked, the engine makes these store calls for every answer: the user's rate window
 * ({@code tryUserRequest}), the conversation's lease ({@code acquireLease}) and the conversation's version
 * ({@code conversationVersion}), plus {@code loadConversation} when another instance changed the
 * conversation since this one cached it. After the answer (not on the TTFT path): {@code appendTurns} and
 * {@code releaseLease}. This replays exactly that sequence, one answer at a time, over 50 conversations
 * whose history grows to 80 turns of 200 and 800 characters: once as one instance (the cache is current)
 * and once as two instances taking turns (every answer finds the conversation changed and loads it).
 */
final class StateRun {
    private static final int CONVERSATIONS = 50;
    private static final int MAX_TURNS = 80;
    private static final String QUESTION = "q".repeat(200);
    private static final String ANSWER = "a".repeat(800);

    /** The measurements of one backend. */
    record Result(String backend, Samples beforeHit, Samples beforeMiss, Samples after) {
    }

    private StateRun() {
    }

    static List<Result> run(PrintStream out, int answers) throws Exception {
        Path dir = Files.createTempDirectory("gemini-bot-state-bench");
        List<Result> results;
        try (LocalRedis redis = LocalRedis.start("bench-pw")) {
            results = List.of(
                    measure("memory", () -> new MemoryStateStore(), answers, false),
                    measure("sqlite (WAL, one file)", () -> SqliteStateStore.open(dir.resolve("bench.db"), Scheduler.system()),
                            answers, false),
                    measure("redis 6.2 on loopback", () -> new RedisStateStore(RedisUrl.parse(redis.url()), "bench:",
                            Scheduler.system()), answers, true));
        }
        Table table = new Table("What the state store adds to time to first text (" + answers
                + " answers per row, µs, wall clock)",
                "backend", "before first text, p50", "p99", "max", "another instance wrote (load), p50", "p99",
                "after the answer (append + release), p50", "p99");
        for (Result r : results) {
            table.row(r.backend(), r.beforeHit().p50(), r.beforeHit().p99(), r.beforeHit().quantile(1.0),
                    r.beforeMiss() == null ? "n/a (one instance)" : r.beforeMiss().p50(),
                    r.beforeMiss() == null ? "" : r.beforeMiss().p99(), r.after().p50(), r.after().p99());
        }
        table.print(out);
        Table targets = new Table("State targets", "target", "measured", "met?");
        for (Result r : results) {
            long limit = r.backend().startsWith("sqlite") ? 2_000 : r.backend().startsWith("redis") ? 5_000 : -1;
            if (limit > 0) {
                long worst = r.beforeMiss() == null ? r.beforeHit().p99() : Math.max(r.beforeHit().p99(), r.beforeMiss().p99());
                targets.row("store adds <= " + limit / 1000 + " ms p99 to TTFT, " + r.backend(),
                        "p99 " + format(worst), worst <= limit ? "met" : "MISSED");
            }
        }
        targets.print(out);
        return results;
    }

    private static Result measure(String name, Supplier<StateStore> open, int answers, boolean shared) {
        try (StateStore one = open.get(); StateStore two = shared ? open.get() : null) {
            // Warm-up: JIT, connection pool, SQLite page cache; not counted.
            replay(one, one, Math.max(500, answers / 4), new Samples(), new Samples(), "warm");
            Samples hit = new Samples();
            Samples after = new Samples();
            replay(one, one, answers, hit, after, "one");
            Samples miss = null;
            if (two != null) {
                miss = new Samples();
                replay(one, two, answers, miss, new Samples(), "two");
            }
            return new Result(name, hit, miss, after);
        }
    }

    /** Answers {@code answers} messages, alternating between {@code a} and {@code b} (the same store for one instance). */
    private static void replay(StateStore a, StateStore b, int answers, Samples before, Samples after, String run) {
        Map<StateStore, Map<ConversationKey, Long>> cachedVersions = new HashMap<>();
        for (int i = 0; i < answers; i++) {
            StateStore store = i % 2 == 0 ? a : b;
            Map<ConversationKey, Long> cache = cachedVersions.computeIfAbsent(store, s -> new HashMap<>());
            ConversationKey key = ConversationKey.channel("bench", run, "C" + (i % CONVERSATIONS));
            long started = System.nanoTime();
            store.tryUserRequest("bench:U" + (i % 500), 1_000_000);
            Optional<Lease> lease = store.acquireLease(key, Duration.ofSeconds(30));
            long version = store.conversationVersion(key);
            if (version != 0 && !Long.valueOf(version).equals(cache.get(key))) {
                StoredConversation stored = store.loadConversation(key);
                cache.put(key, stored.version());
            }
            before.add((System.nanoTime() - started) / 1_000);

            long done = System.nanoTime();
            Instant now = Instant.now();
            long next = store.appendTurns(key, List.of(Turn.user("U1", "Ann", QUESTION, now), Turn.model(ANSWER, now)),
                    MAX_TURNS);
            cache.put(key, next);
            lease.ifPresent(store::releaseLease);
            after.add((System.nanoTime() - done) / 1_000);
        }
    }

    static String format(long micros) {
        return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }
}
