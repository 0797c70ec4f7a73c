package dev.geminibot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process by kind of thread, from {@code /proc/self/task/<tid>/stat} (Linux; empty
 * elsewhere). ThreadMXBean cannot do it: JIT compiler and GC threads are not Java threads. The
 * harness's own threads (the simulated platform's timer, the driver on {@code main}) are a group of
 * their own, so the bot's figure can be given without them.
 */
final class ThreadCpu {

    enum Group {
        CARRIERS("virtual-thread carriers"),
        POLLERS("I/O: pollers, OkHttp's HTTP/2 readers"),
        TIMERS("timers and edits"),
        JIT("JIT compilers"),
        GC("GC and VM"),
        HARNESS("harness (platform, driver)"),
        OTHER("other");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    /** Clock ticks per second of {@code utime}/{@code stime}: 100 on every Linux the JDK runs on. */
    private static final long TICK_NANOS = 10_000_000L;

    /** One thread's name (as the kernel keeps it, at the time of the reading) and CPU time so far. */
    record Used(String name, long nanos) {
    }

    /** By thread id, not by name: a thread may rename itself between two readings (see {@link #since}). */
    private final Map<String, Used> byThread;

    ThreadCpu(Map<String, Used> byThread) {
        this.byThread = byThread;
    }

    /** The CPU each live thread of this process has used so far. */
    static ThreadCpu now() {
        Map<String, Used> times = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new ThreadCpu(times);
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    times.put(task.getFileName().toString(), parse(Files.readString(task.resolve("stat"))));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException e) {
            return new ThreadCpu(times);
        }
        return new ThreadCpu(times);
    }

    /** A {@code /proc/<pid>/task/<tid>/stat} line: the name between the first '(' and the last ')'. */
    static Used parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        return new Used(stat.substring(open + 1, close), ticks * TICK_NANOS);
    }

    /**
     * CPU used since {@code before}, by group of each thread's name now; threads that ended meanwhile are
     * missed (few: pools). Matched by thread id: OkHttp's task threads rename themselves while they run a
     * task ("OkHttp TaskRunner" runs the pool's cleanup under the task's name), and matching by name
     * counted such a thread's whole life as used in the run whenever the two readings caught it under
     * different names (the "bimodal" I/O column of docs/BENCHMARKS.md 5.10-5.13).
     */
    Map<Group, Long> since(ThreadCpu before) {
        Map<Group, Long> groups = new EnumMap<>(Group.class);
        for (Group group : Group.values()) {
            groups.put(group, 0L);
        }
        byThread.forEach((tid, now) -> {
            Used then = before.byThread.get(tid);
            long used = now.nanos() - (then == null ? 0L : then.nanos());
            groups.merge(group(now.name()), used, Long::sum);
        });
        return groups;
    }

    /** Thread names as the kernel keeps them: cut to 15 characters. */
    static Group group(String name) {
        if (name.startsWith("ForkJoinPool")) {
            return Group.CARRIERS; // the virtual threads' carriers (and their delay scheduler)
        }
        if (name.contains("Poller") || name.startsWith("OkHttp")) {
            return Group.POLLERS; // OkHttp's threads: the reader of each HTTP/2 connection (and its pool's tasks)
        }
        if (name.startsWith("reply-timer") || name.startsWith("Okio")
                || name.startsWith("model-idle") || name.startsWith("VirtualThread")) {
            return Group.TIMERS;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return Group.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM ")) {
            return Group.GC;
        }
        if (name.startsWith("fake-platform") || name.equals("java") || name.equals("main")) {
            return Group.HARNESS; // the main thread's kernel name is "java" when launched with -jar
        }
        return Group.OTHER;
    }
}
