package dev.geminibot.core.engine;

import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's meters (DESIGN section 11): answers by platform and outcome, answers in flight, time from
 * the platform event to the first visible text, model requests by outcome and tokens by type. Tag
 * values come from closed sets only (platform names, enum names), never ids or text.
 */
final class AnswerMeters {
    /** Histogram buckets for the first visible text: an answer's first words usually land within 1-3 s. */
    private static final Duration[] FIRST_TEXT_BUCKETS = {
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(750), Duration.ofSeconds(1),
            Duration.ofMillis(1500), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer firstText;
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final Counter thinkingTokens;

    AnswerMeters(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("gemini.bot.answers.in.flight", inFlight);
        this.firstText = Timer.builder("gemini.bot.first.text")
                .description("From the platform event to the answer's first visible text")
                .serviceLevelObjectives(FIRST_TEXT_BUCKETS)
                .register(registry);
        this.inputTokens = tokens("input");
        this.outputTokens = tokens("output");
        this.thinkingTokens = tokens("thinking");
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Counts one answer; called exactly once per answer, when it is done. */
    void answered(String platform, Answer.Outcome outcome) {
        Counter.builder("gemini.bot.answers")
                .description("Answers by how they ended")
                .tag("platform", platform)
                .tag("outcome", outcomeTag(outcome))
                .register(registry)
                .increment();
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    void firstTextShown(Duration sinceEvent) {
        firstText.record(sinceEvent);
    }

    /** One model call: {@code ok}, {@code blocked}, or the failure's kind (e.g. {@code rate_limited}). */
    void modelRequest(String outcome) {
        Counter.builder("gemini.bot.model.requests")
                .description("Model calls by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    void modelFailed(ModelException.Kind kind) {
        modelRequest(kind.name().toLowerCase(Locale.ROOT));
    }

    /** Tokens as the model's usage metadata reports them (promptTokenCount, candidatesTokenCount, thoughtsTokenCount). */
    void tokens(Usage usage) {
        inputTokens.increment(usage.promptTokens());
        outputTokens.increment(usage.outputTokens());
        thinkingTokens.increment(usage.thinkingTokens());
    }

    private Counter tokens(String type) {
        return Counter.builder("gemini.bot.model.tokens")
                .description("Tokens reported by the model")
                .tag("type", type)
                .register(registry);
    }

    /** The four outcomes operators see: a blocked answer failed; a shutdown or a deleted message stopped it. */
    static String outcomeTag(Answer.Outcome outcome) {
        return switch (outcome) {
            case COMPLETED -> "completed";
            case BLOCKED, FAILED -> "failed";
            case STOPPED, INTERRUPTED, GONE -> "stopped";
            case REFUSED -> "refused";
        };
    }
}
