package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ModelException.Kind;
import dev.geminibot.core.testing.FakeGemini;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void readsTheRecordedBadKeyError() {
        ErrorBody body = ErrorBody.parse(FakeGemini.fixture("unary-failure-api-key.json"));

        assertThat(body.code()).isEqualTo(400);
        assertThat(body.status()).isEqualTo("INVALID_ARGUMENT");
        assertThat(body.hasReason("API_KEY_INVALID")).isTrue();
        assertThat(Failures.kindFor(400, body)).isEqualTo(Kind.BAD_KEY);
    }

    @Test
    void readsRetryInfoDelays() {
        assertThat(ErrorBody.parse(FakeGemini.errorJson(429, "RESOURCE_EXHAUSTED", "quota", "57s")).retryDelay())
                .isEqualTo(Duration.ofSeconds(57));
        assertThat(ErrorBody.parseProtoDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ErrorBody.parseProtoDuration("0.000000001s")).isEqualTo(Duration.ofNanos(1));
        assertThat(ErrorBody.parseProtoDuration("soon")).isNull();
        assertThat(ErrorBody.parseProtoDuration("-1s")).isNull();
    }

    @Test
    void statusesMapToKinds() {
        assertThat(Failures.kindFor(400, ErrorBody.EMPTY)).isEqualTo(Kind.BAD_REQUEST);
        assertThat(Failures.kindFor(401, ErrorBody.EMPTY)).isEqualTo(Kind.BAD_KEY);
        assertThat(Failures.kindFor(403, ErrorBody.EMPTY)).isEqualTo(Kind.PERMISSION);
        assertThat(Failures.kindFor(404, ErrorBody.EMPTY)).isEqualTo(Kind.NOT_FOUND);
        assertThat(Failures.kindFor(409, ErrorBody.EMPTY)).isEqualTo(Kind.BAD_REQUEST);
        assertThat(Failures.kindFor(429, ErrorBody.EMPTY)).isEqualTo(Kind.RATE_LIMITED);
        assertThat(Failures.kindFor(500, ErrorBody.EMPTY)).isEqualTo(Kind.SERVER);
        assertThat(Failures.kindFor(503, ErrorBody.EMPTY)).isEqualTo(Kind.OVERLOADED);
        assertThat(Failures.kindFor(504, ErrorBody.EMPTY)).isEqualTo(Kind.SERVER);
    }

    @Test
    void anErrorWithOnlyACanonicalStatusStandsForItsHttpStatus() {
        ErrorBody body = ErrorBody.parse("{\"error\":{\"message\":\"overloaded\",\"status\":\"UNAVAILABLE\"}}");

        assertThat(body.httpStatus()).isEqualTo(503);
    }

    @Test
    void anythingElseIsEmpty() {
        assertThat(ErrorBody.parse("<html>502</html>")).isEqualTo(ErrorBody.EMPTY);
        assertThat(ErrorBody.parse("")).isEqualTo(ErrorBody.EMPTY);
        assertThat(ErrorBody.parse("{\"candidates\":[]}")).isEqualTo(ErrorBody.EMPTY);
    }
}
