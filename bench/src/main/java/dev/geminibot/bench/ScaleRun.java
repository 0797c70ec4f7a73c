package dev.geminibot.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.ContextConfig;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.LimitsConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.StreamingConfig;
import dev.geminibot.config.WireFormat;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.AnswerResult;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.Trigger;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.reply.TokenBucketPacer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * N conversations at once through the real {@link ChatEngine} and the real Gemini client over HTTP on
 * loopback, each streaming {@code deltas} deltas one every {@code period} ms from a {@link PacedGeminiServer}
 * in a child JVM (so this process's CPU, heap and threads are the bot's alone), into {@link LoadSink}s
 * (Discord-like: 1 s interval, 5 edits per 5 s per channel, the real {@link TokenBucketPacer}).
 * Wall clock throughout. Bounded: submissions are ramped over at most 5 s, and the run gives up
 * (and says so) if the answers are not all done within ramp + answer length + 120 s.
 */
final class ScaleRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARM_UP_CONVERSATIONS = 1_000;
    /**
     * The load generator: {@code lean} ({@link LeanGeminiServer}, two threads writing prepared bytes; the
     * default), {@code paced} ({@link PacedGeminiServer}, a virtual thread per stream) or {@code h2}
     * ({@link H2GeminiServer}, cleartext HTTP/2 with prior knowledge), by BENCH_FAKE.
     */
    static final String FAKE = System.getenv().getOrDefault("BENCH_FAKE", "lean");

    record Result(int n, Samples staleness, Samples firstWrite, long wrongFinal, long notCompleted, long neverShown,
                  long rateLimited, long rateLimitedFinal, double callsPerAnswer, double cpuMicrosPerDelta, double serverCpuMicrosPerDelta,
                  long maxHeapAfterGcMb, int peakThreads, long serverLagP99, long serverLagMax, long brokenStreams, long modelRetries,
                  boolean timedOut, Duration wall, java.util.Map<ThreadCpu.Group, Long> cpuSplit) {

        /** The bot's CPU per delta without the harness's threads (its simulated platform, its driver). */
        double botOnlyMicrosPerDelta(int deltas) {
            long harness = cpuSplit.getOrDefault(ThreadCpu.Group.HARNESS, 0L);
            return cpuMicrosPerDelta - harness / 1_000.0 / ((long) n * deltas);
        }

        String split() {
            long total = cpuSplit.values().stream().mapToLong(Long::longValue).sum();
            if (total == 0) {
                return "n/a";
            }
            StringBuilder out = new StringBuilder();
            for (ThreadCpu.Group group : ThreadCpu.Group.values()) {
                out.append(out.isEmpty() ? "" : " / ").append(Math.round(100.0 * cpuSplit.get(group) / total));
            }
            return out.toString();
        }
    }

    /**
     * The fake Gemini (a child JVM) and the bot's HTTP client to it. With warm connections one session serves
     * every run of a {@code scale} invocation, as a running bot keeps its connections to Gemini between bursts;
     * otherwise each run opens its own, so every answer pays a TCP connect.
     */
    static final class Session implements AutoCloseable {
        final Process server;
        final int port;
        final OkHttpClient http;

        Session(int n) throws Exception {
            server = startServer(n);
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = lines.readLine();
            if (first == null || !first.startsWith("PORT ")) {
                server.destroyForcibly();
                throw new IllegalStateException("the fake Gemini did not start: " + first);
            }
            port = Integer.parseInt(first.substring(5).trim());
            OkHttpClient.Builder builder = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(n + 16, 5, TimeUnit.MINUTES));
            if (FAKE.endsWith("h2")) { // cleartext HTTP/2: one connection carries the streams
                builder.protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE));
            }
            http = builder.build();
        }

        @Override
        public void close() throws Exception {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            server.getOutputStream().close();
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    static Result run(int n, int deltas, int periodMs, PrintStream log, Session shared) throws Exception {
        if (shared != null) {
            return drive(n, deltas, periodMs, shared, log);
        }
        try (Session session = new Session(n)) {
            return drive(n, deltas, periodMs, session, log);
        }
    }

    static Process startServer(int n) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + (n >= 5000 ? "2g" : "512m"), "-XX:+UseParallelGC",
                "-Dsun.net.httpserver.nodelay=true"));
        // The fakes' own settings (bench.pacers, bench.h2.gatherMicros) given to the bench reach the fake.
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith("bench.")).sorted()
                .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
        command.addAll(List.of("-cp", classpath, Bench.class.getName(), switch (FAKE) {
            case "paced" -> "gemini-server";
            case "h2" -> "h2-gemini-server";
            case "lean-h2" -> "lean-h2-gemini-server";
            default -> "lean-gemini-server";
        }));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Result drive(int n, int deltas, int periodMs, Session session, PrintStream log)
            throws Exception {
        int port = session.port;
        Process server = session.server;
        GeminiConfig gemini = GeminiConfig.defaults()
                .withApiKey(Secret.of("bench-not-a-key"))
                .withEndpoint(URI.create("http://127.0.0.1:" + port + "/"), WireFormat.GEMINI)
                .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5))
                .withRetries(2, Duration.ofMillis(200), Duration.ofSeconds(5));
        // The defaults guard a real bot (64 answers at once, 12 per user per minute); here they would
        // measure the queue, not the pipeline, so they are lifted to N.
        BotConfig config = new BotConfig(gemini, StreamingConfig.defaults(),
                new ContextConfig(24_000, 40, Duration.ofHours(1), 64_000_000L, false),
                new LimitsConfig(n, 1_000_000, 8_000, 5), DiscordConfig.defaults(), SlackConfig.defaults());
        OkHttpClient http = session.http;
        ChatModel model = ChatModels.fromConfig(gemini, http);
        ScheduledExecutorService platformTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-platform");
            t.setDaemon(true);
            return t;
        });
        AtomicLong maxHeapAfterGc = new AtomicLong();
        watchGc(maxHeapAfterGc);
        System.gc();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long retriesBefore = RetryCounter.count();
        long serverCpuBefore = cpuNanos(server);
        long cpuBefore = os.getProcessCpuTime();
        ThreadCpu threadsBefore = ThreadCpu.now();
        long started = System.nanoTime();

        ChatEngine engine = new ChatEngine(model, config, Scheduler.system());
        engine.registerPlatform("bench", HistoryLoader.NONE, TokenBucketPacer.discord(Scheduler.system()));
        List<LoadSink> sinks = new ArrayList<>(n);
        List<CompletableFuture<AnswerResult>> done = new ArrayList<>(n);
        long rampNanos = Math.min(5_000_000_000L, Math.max(1_000_000_000L, n * 500_000L));
        for (int id = 0; id < n; id++) {
            long due = started + rampNanos * id / n;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            AnswerScript script = AnswerScript.of(id, deltas);
            LoadSink sink = new LoadSink("c" + id, script, platformTimer);
            sinks.add(sink);
            Incoming incoming = new Incoming(ConversationKey.channel("bench", "g1", "c" + id), "u" + id, "user" + id,
                    "bench id=" + id + " deltas=" + deltas + " period=" + periodMs, Trigger.MENTION, "q" + id);
            Answer answer = engine.submit(incoming, sink);
            done.add(answer.done());
        }
        boolean timedOut = false;
        long budget = rampNanos + (long) deltas * periodMs * 1_000_000L + 120_000_000_000L;
        try {
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(budget - (System.nanoTime() - started), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            log.println("  (gave up waiting: " + done.stream().filter(f -> !f.isDone()).count() + " answers open)");
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        long cpu = os.getProcessCpuTime() - cpuBefore;
        var cpuSplit = ThreadCpu.now().since(threadsBefore);
        long serverCpu = cpuNanos(server) - serverCpuBefore;
        int peakThreads = threads.getPeakThreadCount();
        engine.shutdown(Duration.ofSeconds(5));

        JsonNode stats = fetchStats(port);
        Samples staleness = new Samples();
        Samples firstWrite = new Samples();
        long wrongFinal = 0;
        long notCompleted = 0;
        long never = 0;
        long limited = 0;
        long limitedFinal = 0;
        long calls = 0;
        for (int id = 0; id < n; id++) {
            LoadSink sink = sinks.get(id);
            AnswerResult result = done.get(id).getNow(null);
            if (result == null || result.outcome() != Answer.Outcome.COMPLETED) {
                notCompleted++;
            }
            if (!sink.finalExact() || sink.wrongTexts() > 0) {
                wrongFinal++;
            }
            limited += sink.rateLimited();
            limitedFinal += sink.rateLimitedFinal();
            calls += sink.calls();
            JsonNode t0 = stats.path("t0").get(Integer.toString(id));
            if (t0 == null) {
                never += deltas;
                for (int i = 0; i < deltas; i++) {
                    staleness.add(Samples.NEVER);
                }
                continue;
            }
            never += sink.staleness(t0.asLong(), periodMs * 1_000_000L, staleness);
            long firstSent = sink.firstTextSentAt();
            long firstWritten = stats.path("firstWrite").path(Integer.toString(id)).asLong();
            if (firstSent > 0 && firstWritten > 0) {
                firstWrite.add((firstSent - firstWritten) / 1_000L); // microseconds
            }
        }
        platformTimer.shutdownNow();
        long totalDeltas = (long) n * deltas;
        return new Result(n, staleness, firstWrite, wrongFinal, notCompleted, never, limited, limitedFinal, (double) calls / n,
                cpu / 1_000.0 / totalDeltas, serverCpu / 1_000.0 / totalDeltas, maxHeapAfterGc.get() >> 20,
                peakThreads, stats.path("lagP99").asLong(), stats.path("lagMax").asLong(),
                stats.path("brokenStreams").asLong(), RetryCounter.count() - retriesBefore, timedOut, wall, cpuSplit);
    }

    private static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static JsonNode fetchStats(int port) throws Exception {
        if (FAKE.endsWith("h2")) {
            OkHttpClient h2 = new OkHttpClient.Builder().protocols(List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
            try (okhttp3.Response response = h2.newCall(new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + port + "/stats").build()).execute()) {
                return JSON.readTree(response.body().bytes());
            }
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return JSON.readTree(response.body());
        }
    }

    /** Keeps the largest heap occupancy seen right after any collection (the live set, roughly). */
    private static void watchGc(AtomicLong max) {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                            .mapToLong(MemoryUsage::getUsed).sum();
                    max.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }
    }

    static List<Result> runAll(PrintStream out, List<Integer> sizes, int deltas, int periodMs) throws Exception {
        return runAll(out, sizes, deltas, periodMs, 1);
    }

    /** Runs each size {@code repeat} times (this machine is shared and noisy: compare medians). */
    static List<Result> runAll(PrintStream out, List<Integer> sizes, int deltas, int periodMs, int repeat)
            throws Exception {
        return runAll(out, sizes, deltas, periodMs, repeat, 1);
    }

    /**
     * As above, after {@code warmUps} warm-up runs. One is enough for the staleness columns; the CPU columns
     * settle later: after one, the JIT compilers still took 28-30 % of the bot's CPU in the next run, 12 %
     * in the fourth (the split column shows it), so steady-state CPU is measured after four.
     */
    static List<Result> runAll(PrintStream out, List<Integer> sizes, int deltas, int periodMs, int repeat,
                               int warmUps) throws Exception {
        return runAll(out, sizes, deltas, periodMs, repeat, warmUps, false);
    }

    /**
     * @param warm one fake Gemini and one HTTP client for the warm-ups and every run, so the runs after the
     *             first reuse its connections, as a bot that has been up for a while does; otherwise each run
     *             starts both afresh, and every answer of it opens a TCP connection
     */
    static List<Result> runAll(PrintStream out, List<Integer> sizes, int deltas, int periodMs, int repeat,
                               int warmUps, boolean warm) throws Exception {
        List<Result> results = new ArrayList<>();
        // Warm-up, not reported: the first answers of a fresh JVM run interpreted code and load classes.
        // It has to be long: after 200 x 40 deltas the first N = 1,000 run still spent ~38 us of CPU per
        // delta against ~20 us in the next one (C2 still compiling the per-event path), so a short warm-up
        // nearly doubled the reported cost.
        out.println("(scale: warm-up, " + WARM_UP_CONVERSATIONS + " conversations x " + deltas
                + " deltas, not reported ...)");
        int largest = Math.max(WARM_UP_CONVERSATIONS, sizes.stream().mapToInt(Integer::intValue).max().orElse(0));
        try (Session shared = warm ? new Session(largest) : null) {
            for (int i = 0; i < Math.max(1, warmUps); i++) {
                run(WARM_UP_CONVERSATIONS, deltas, periodMs, out, shared);
            }
            for (int n : sizes) {
                for (int round = 0; round < repeat; round++) {
                    out.println("(scale: " + n + " conversations x " + deltas + " deltas, one per " + periodMs
                            + " ms ...)");
                    out.flush();
                    results.add(run(n, deltas, periodMs, out, shared));
                    System.gc();
                }
            }
        }
        Table table = new Table("Scale: real ChatEngine + Gemini client over loopback HTTP, Discord-like sinks "
                + "(1 s interval, 5/5 s per channel); " + deltas + " deltas/answer, 1 per " + periodMs
                + " ms; " + FAKE + " fake Gemini; " + (warm ? "connections kept from run to run" : "new connections each run")
                + "; " + collector() + "; wall clock", "N", "staleness p50 ms", "p99 ms", "max ms", "first write p50/p99 ms",
                "wrong final", "not completed", "never shown", "429s (on final)", "calls/answer", "bot CPU us/delta",
                "bot CPU us/answer-s", "without harness: us/delta, us/answer-s",
                "CPU split % (" + java.util.Arrays.stream(ThreadCpu.Group.values()).map(g -> g.label)
                        .collect(java.util.stream.Collectors.joining(" / ")) + ")", "fake-Gemini CPU us/delta", "heap after GC max MB", "peak platform threads",
                "server lag p99/max ms", "model retries", "wall s");
        for (Result r : results) {
            table.row(r.n(), Samples.show(r.staleness().p50()), Samples.show(r.staleness().p99()),
                    Samples.show(r.staleness().max()),
                    String.format(Locale.ROOT, "%.1f / %.1f", r.firstWrite().p50() / 1000.0,
                            r.firstWrite().p99() / 1000.0),
                    r.wrongFinal(), r.notCompleted() + (r.timedOut() ? " (timed out)" : ""), r.neverShown(),
                    r.rateLimited() + " (" + r.rateLimitedFinal() + ")", String.format(Locale.ROOT, "%.1f", r.callsPerAnswer()),
                    String.format(Locale.ROOT, "%.1f", r.cpuMicrosPerDelta()),
                    // bot CPU over the seconds the answers spent streaming (N x deltas x period)
                    String.format(Locale.ROOT, "%.0f", r.cpuMicrosPerDelta() * 1000.0 / periodMs),
                    String.format(Locale.ROOT, "%.1f, %.0f", r.botOnlyMicrosPerDelta(deltas),
                            r.botOnlyMicrosPerDelta(deltas) * 1000.0 / periodMs),
                    r.split(),
                    String.format(Locale.ROOT, "%.1f", r.serverCpuMicrosPerDelta()), r.maxHeapAfterGcMb(),
                    r.peakThreads(), r.serverLagP99() + " / " + r.serverLagMax(), r.modelRetries(), r.wall().toSeconds());
        }
        table.print(out);
        return results;
    }

    /** The bot's collector (this JVM's): it sets a fifth of the CPU per delta (docs/BENCHMARKS.md, 5.11). */
    static String collector() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName).toList();
        if (names.contains("PS Scavenge")) {
            return "parallel GC";
        }
        if (names.contains("Copy")) {
            return "serial GC";
        }
        if (names.contains("G1 Young Generation")) {
            return "G1";
        }
        return String.join(" + ", names);
    }
}
