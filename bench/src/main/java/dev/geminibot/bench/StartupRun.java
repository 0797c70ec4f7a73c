package dev.geminibot.bench;

import dev.geminibot.core.testing.FakeGemini;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Process start to first token for {@code java -jar gemini-bot.jar ask "..."} against {@link FakeGemini}
 * on loopback: the clock starts just before the process is started and stops when the first answer byte
 * arrives on its stdout. Wall clock; each run is a fresh JVM.
 */
final class StartupRun {
    private StartupRun() {
    }

    record Variant(String name, List<String> jvmArgs, boolean warmUpRun) {
    }

    /**
     * Returns {first token p50, max} in ms as the launcher starts {@code ask}: with the cache {@code package}
     * wrote beside the jar when there is one, else with default flags; null when the jar is missing.
     */
    static long[] run(PrintStream out, Path jar, int runs) throws Exception {
        if (!Files.isRegularFile(jar)) {
            out.println("(start-up skipped: " + jar + " is missing; build it with ./mvnw -B -q package -DskipTests)");
            return null;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Path archive = Files.createTempDirectory("bench-cds").resolve("gemini-bot.jsa");
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("default JVM flags", List.of(), false),
                new Variant("AppCDS archive (-XX:+AutoCreateSharedArchive)",
                        List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive), true)));
        // The caches `package` writes beside the jar (app/pom.xml), as the launcher ./gemini-bot passes them.
        Path aot = jar.resolveSibling("gemini-bot.aot");
        if (Files.isRegularFile(aot)) {
            variants.add(new Variant("AOT cache from `package` (-XX:AOTCache=gemini-bot.aot)",
                    List.of("-XX:AOTCache=" + aot), false));
            // Flags a launcher could add for one-shot commands, measured beside it (BENCH_STARTUP_FLAGS="a b;c").
            for (String flags : System.getenv().getOrDefault("BENCH_STARTUP_FLAGS", "").split(";")) {
                if (!flags.isBlank()) {
                    List<String> args = new ArrayList<>(List.of("-XX:AOTCache=" + aot));
                    args.addAll(List.of(flags.trim().split("\\s+")));
                    variants.add(new Variant("AOT cache + " + flags.trim(), args, false));
                }
            }
        }
        Path jsa = jar.resolveSibling("gemini-bot.jsa");
        if (Files.isRegularFile(jsa)) {
            variants.add(new Variant("AppCDS archive from `package` (gemini-bot.jsa)",
                    List.of("-XX:SharedArchiveFile=" + jsa, "-Xshare:auto"), false));
        }
        AtomicLong requestAt = new AtomicLong();
        Table table = new Table("Start-up: process start to first token of `ask` (fake Gemini on loopback; wall clock; "
                + runs + " runs each)", "variant", "to request p50 ms", "first token p50 ms", "first token max ms",
                "exit p50 ms", "CPU to first token p50 ms");
        long[] defaults = null;
        try (FakeGemini gemini = FakeGemini.start()) {
            gemini.dispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    requestAt.set(System.nanoTime());
                    return FakeGemini.sse(FakeGemini.streamOf("Hello", " from", " the", " fake", " Gemini.")).build();
                }
            });
            for (Variant variant : variants) {
                if (variant.warmUpRun()) {
                    once(java, jar, variant, gemini, requestAt); // writes the archive; not counted
                }
                Samples toRequest = new Samples();
                Samples firstToken = new Samples();
                Samples exit = new Samples();
                Samples cpu = new Samples();
                for (int i = 0; i < runs; i++) {
                    long[] times = once(java, jar, variant, gemini, requestAt);
                    toRequest.add(times[0]);
                    firstToken.add(times[1]);
                    exit.add(times[2]);
                    cpu.add(times[3]);
                }
                table.row(variant.name(), toRequest.p50(), firstToken.p50(), firstToken.max(), exit.p50(), cpu.p50());
                if (defaults == null || variant.name().contains("from `package`")) {
                    defaults = new long[] {firstToken.p50(), firstToken.max()}; // what the launcher gets
                }
            }
        }
        table.print(out);
        return defaults;
    }

    /** One run: {ms to the request reaching the fake, ms to the first stdout byte, ms to exit}. */
    private static long[] once(String java, Path jar, Variant variant, FakeGemini gemini, AtomicLong requestAt)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(variant.jvmArgs());
        command.addAll(List.of("-jar", jar.toString(), "ask", "Say hello"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GEMINI_BASE_URL", gemini.baseUrl().toString());
        builder.environment().put("GEMINI_API_KEY", "bench-not-a-key");
        requestAt.set(0);
        long start = System.nanoTime();
        Process process = builder.start();
        long first = -1;
        long cpuAtFirst = -1;
        StringBuilder text = new StringBuilder();
        try (InputStream stdout = process.getInputStream()) {
            int b;
            while ((b = stdout.read()) >= 0) {
                if (first < 0 && !Character.isWhitespace(b)) {
                    first = System.nanoTime();
                    cpuAtFirst = cpuMillis(process.pid());
                }
                text.append((char) b);
            }
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ask did not exit within 30 s");
        }
        long end = System.nanoTime();
        if (process.exitValue() != 0 || !text.toString().contains("Hello from the fake Gemini.")) {
            throw new IllegalStateException("ask failed (exit " + process.exitValue() + "): "
                    + new String(text.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
        return new long[] {(requestAt.get() - start) / 1_000_000L, (first - start) / 1_000_000L,
                (end - start) / 1_000_000L, cpuAtFirst};
    }

    /**
     * CPU time (user + system, all threads: JIT and GC included) the process has used so far, from
     * {@code /proc/PID/stat}; -1 where there is none. Less sensitive than wall time to a busy machine.
     */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return ticks * 1000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }
}
