package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    @Test
    void distanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(Suggestions.distance("gemini", "gemnii")).isEqualTo(1);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }

    @Test
    void closestIgnoresCaseAndSeparators() {
        List<String> keys = ConfigKeys.all();
        assertThat(Suggestions.closest("Streaming.Edit-Interval", keys)).contains("streaming.editInterval");
        assertThat(Suggestions.closest("GEMINI_BOT_GEMINI_MODLE", keys)).contains("gemini.model");
        assertThat(Suggestions.closest("completely.different", keys)).isEmpty();
    }
}
