package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aThreadThatRenamedItselfCountsOnlyWhatItUsedMeanwhile() {
        ThreadCpu before = new ThreadCpu(Map.of(
                "41", new ThreadCpu.Used("OkHttp TaskRunn", 30 * SECOND),
                "42", new ThreadCpu.Used("ForkJoinPool-1-", 50 * SECOND)));
        ThreadCpu after = new ThreadCpu(Map.of(
                "41", new ThreadCpu.Used("OkHttp Connecti", 31 * SECOND),
                "42", new ThreadCpu.Used("ForkJoinPool-1-", 52 * SECOND),
                "43", new ThreadCpu.Used("fake-platform", 3 * SECOND)));

        Map<ThreadCpu.Group, Long> used = after.since(before);

        assertThat(used.get(ThreadCpu.Group.POLLERS)).isEqualTo(SECOND);
        assertThat(used.get(ThreadCpu.Group.CARRIERS)).isEqualTo(2 * SECOND);
        assertThat(used.get(ThreadCpu.Group.HARNESS)).as("a thread started meanwhile: all of it").isEqualTo(3 * SECOND);
    }

    @Test
    void readsTheNameBetweenTheFirstAndLastParenthesisAndUserPlusSystemTicks() {
        String stat = "4242 (C2 Compiler (x)) S 1 4200 4200 0 -1 4194368 99 0 0 0 250 75 0 0 20 0 40 0 1 0 0";

        ThreadCpu.Used used = ThreadCpu.parse(stat);

        assertThat(used.name()).isEqualTo("C2 Compiler (x)");
        assertThat(used.nanos()).isEqualTo(325 * 10_000_000L);
        assertThat(ThreadCpu.group(used.name())).isEqualTo(ThreadCpu.Group.JIT);
    }
}
