package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A fake that serves several scale runs (warm connections) reports each run's streams once. */
class FakeStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachReadReportsWhatHappenedSinceTheLastOne() throws Exception {
        FakeStats stats = new FakeStats();
        stats.started(7, 1_000)[1] = 2_000;
        stats.wrote(0, 5_000_000); // 5 ms late
        stats.broken();

        JsonNode first = JSON.readTree(stats.json());
        assertThat(first.path("t0").path("7").asLong()).isEqualTo(1_000);
        assertThat(first.path("firstWrite").path("7").asLong()).isEqualTo(2_000);
        assertThat(first.path("writes").asLong()).isEqualTo(1);
        assertThat(first.path("brokenStreams").asLong()).isEqualTo(1);
        assertThat(first.path("lagMax").asLong()).isEqualTo(5);

        stats.started(8, 3_000);
        JsonNode second = JSON.readTree(stats.json());
        assertThat(second.path("t0").has("7")).isFalse();
        assertThat(second.path("t0").path("8").asLong()).isEqualTo(3_000);
        assertThat(second.path("writes").asLong()).isZero();
        assertThat(second.path("brokenStreams").asLong()).isZero();
        assertThat(second.path("lagMax").asLong()).isEqualTo(-1);
    }
}
