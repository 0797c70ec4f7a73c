package dev.geminibot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "500ms, 500", "1s, 1000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "1d, 86400000",
            "1m30s, 90000", "' 2S ', 2000", "PT1S, 1000", "pt0.25s, 250", "PT1M30S, 90000", "0.5ms, 0"})
    void readsTheUsualSpellings(String text, long millis) throws InvalidValue {
        assertThat(Durations.parse(text).toMillis()).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fast", "", "1 s", "1sec", "s", "1.s", "ms500", "P"})
    void refusesTheRest(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(InvalidValue.class)
                .hasMessage("is not a duration (use e.g. 500ms, 1s, 2m)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"250", "1.5", "-3"})
    void refusesABareNumberAndSuggestsUnits(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(InvalidValue.class)
                .hasMessageContaining("has no unit (write e.g. " + text + "ms or " + text + "s)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "PT-1S"})
    void negativeDurationsParseSoThatTheCallerCanSayWhy(String text) throws InvalidValue {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(-1));
    }
}
