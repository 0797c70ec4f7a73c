package dev.geminibot.bench;

import dev.geminibot.bench.jmh.DeltaPathBenchmark;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link DeltaPathBenchmark} with the GC profiler and prints one table. */
final class JmhRun {
    private JmhRun() {
    }

    /** Heap cap for the forks, and on JDK 23+ the flag that lets Unsafe users (JMH, Kotlin) run quietly. */
    static String[] forkFlags() {
        return Runtime.version().feature() >= 23
                ? new String[] {"-Xmx1g", "--sun-misc-unsafe-memory-access=allow"}
                : new String[] {"-Xmx1g"};
    }

    /** Returns the p99 of first delta to first platform write, in microseconds (NaN if not run). */
    static double run(PrintStream out, boolean full) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(DeltaPathBenchmark.class.getName() + ".*")
                .addProfiler(GCProfiler.class)
                .jvmArgsAppend(forkFlags())
                .verbosity(VerboseMode.SILENT);
        if (full) {
            options.forks(2).warmupIterations(5).warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(2));
        } else {
            options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        }
        out.println("(running JMH: " + (full ? "2 forks x 5 x 2 s" : "1 fork x 3 x 1 s") + " per benchmark)");
        Collection<RunResult> results = new Runner(options.build()).run();
        Table table = new Table("Per-delta path (JMH, -prof gc; wall clock, this machine)",
                "benchmark", "mode", "score", "error", "unit", "alloc B/delta", "p50", "p99");
        double firstWriteP99 = Double.NaN;
        for (RunResult result : results) {
            Result<?> primary = result.getPrimaryResult();
            String name = result.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            Result<?> alloc = result.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (alloc == null) {
                alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
            }
            boolean sample = result.getParams().getMode().shortLabel().equals("sample");
            String p50 = "";
            String p99 = "";
            if (sample) {
                var stats = primary.getStatistics();
                p50 = fmt(stats.getPercentile(50)) + " " + primary.getScoreUnit();
                p99 = fmt(stats.getPercentile(99)) + " " + primary.getScoreUnit();
                firstWriteP99 = stats.getPercentile(99);
            }
            table.row(name, result.getParams().getMode().shortLabel(), fmt(primary.getScore()),
                    fmt(primary.getScoreError()), primary.getScoreUnit(),
                    alloc == null || sample ? "" : fmt(alloc.getScore()), p50, p99);
        }
        table.print(out);
        return firstWriteP99;
    }

    static String fmt(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.2f", value);
    }
}
