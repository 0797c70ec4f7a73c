package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.ContextConfig;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.ConversationStore;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streams that end badly, through the real client and engine: the user sees the partial answer with a
 * line that says what happened, and the operator's log gets the server's own words.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AnswerEndingsTest {
    static final String TEXT = FakeGemini.event(FakeGemini.chunk("The first half", false, null, 4, 3));

    @RegisterExtension
    final LogCapture logs = new LogCapture(FakeGemini.API_KEY);

    private final FakeGemini gemini = FakeGemini.start();
    private final ChatEngine engine = engine(gemini.config().withRetries(0, Duration.ofMillis(1), Duration.ofSeconds(1)));

    private static ChatEngine engine(GeminiConfig gemini) {
        BotConfig defaults = BotConfig.defaults();
        BotConfig config = new BotConfig(gemini, defaults.streaming(), ContextConfig.defaults(), defaults.limits(),
                defaults.discord(), defaults.slack());
        return new ChatEngine(ChatModels.fromConfig(gemini), config, Scheduler.system(),
                new ConversationStore(ContextConfig.defaults()), Duration.ofMillis(200));
    }

    @AfterEach
    void close() {
        engine.shutdown(Duration.ofSeconds(5));
        gemini.close();
    }

    private AnswerResult answer(String body, MemorySink sink) {
        gemini.enqueueSse(body);
        Incoming incoming = new Incoming(ConversationKey.channel("test", "guild", "general"), "ann", "ann", "q",
                Trigger.MENTION, "");
        return engine.submit(incoming, sink).done().orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void anErrorSentAsPlainLinesKeepsTheTextSaysItWasInterruptedAndLogsTheServersWords() {
        MemorySink sink = new MemorySink();

        AnswerResult result = answer(TEXT + "{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"An internal "
                + "error has occurred.\",\n    \"status\": \"INTERNAL\"\n  }\n}\n", sink);

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.FAILED);
        assertThat(sink.text()).isEqualTo("The first half\n\n⚠ The answer was interrupted.");
        assertThat(logs.lines()).anyMatch(line -> line.contains("INTERNAL: An internal error has occurred."));
    }

    @Test
    void anEmptyAnswerIsAReasonLine() {
        MemorySink sink = new MemorySink();

        AnswerResult result = answer("data: {\"candidates\": [{\"content\": {\"parts\": []}}]}\r\n\r\n", sink);

        assertThat(result.outcome()).isEqualTo(Answer.Outcome.FAILED);
        assertThat(sink.text()).isEqualTo("⚠ Gemini sent an empty answer.");
    }

    @Test
    void textWithoutAFinishReasonSaysItMayBeCut() {
        MemorySink sink = new MemorySink();

        answer(TEXT, sink);

        assertThat(sink.text()).startsWith("The first half\n\n⚠ The answer may be cut");
    }

    @Test
    void anUnknownFinishReasonIsNamed() {
        MemorySink sink = new MemorySink();

        answer(TEXT + FakeGemini.event(FakeGemini.chunk(null, false, "FAKE_ENUM", 4, 3)), sink);

        assertThat(sink.text()).isEqualTo("The first half\n\n⚠ Gemini stopped this answer unexpectedly (FAKE_ENUM).");
    }

    @Test
    void aBadRequestsServerMessageReachesTheLog() {
        gemini.enqueueErrorFixture(400, "streaming-failure-image-rejected.txt");
        MemorySink sink = new MemorySink();
        Incoming incoming = new Incoming(ConversationKey.channel("test", "guild", "general"), "ann", "ann", "q",
                Trigger.MENTION, "");

        engine.submit(incoming, sink).done().orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(sink.text()).isEqualTo("⚠ Gemini could not accept this request.");
        assertThat(logs.lines()).anyMatch(line -> line.contains("HTTP 400 INVALID_ARGUMENT: Request contains an invalid argument."));
    }
}
