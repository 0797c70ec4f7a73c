package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/** The training run behind the start-up cache must keep working, or `package` would record a failure. */
class AotTrainingTest {
    @Test
    void theTrainingAskAnswersFromItsStandIn() {
        assertThatCode(() -> AotTraining.main(new String[0])).doesNotThrowAnyException();
    }
}
