package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.testing.FakeGemini;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lean load generator: the same bytes and streams as {@link PacedGeminiServer}, read by the real client. */
class LeanGeminiServerTest {

    @Test
    void writesExactlyFakeGeminisWireFormat() {
        for (String text : List.of("plain", "\n\nnew paragraph", "a \"quote\" and \\ backslash", "ünï ✓")) {
            assertThat(new String(LeanGeminiServer.EVENTS.event(text, false, 17), StandardCharsets.UTF_8))
                    .isEqualTo(FakeGemini.event(FakeGemini.chunk(text, false, null, 5, 17)));
            assertThat(new String(LeanGeminiServer.EVENTS.event(text, true, 240), StandardCharsets.UTF_8))
                    .isEqualTo(FakeGemini.event(FakeGemini.chunk(text, false, "STOP", 5, 240)));
        }
    }

    @Test
    void theRealClientReadsConcurrentPacedStreamsWhole() throws Exception {
        try (LeanGeminiServer server = new LeanGeminiServer(50)) {
            PacedGeminiServerTest.readsConcurrentStreamsWhole(server.port());
        }
    }
}
