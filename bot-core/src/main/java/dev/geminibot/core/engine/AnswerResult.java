package dev.geminibot.core.engine;

import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Usage;
import dev.geminibot.core.reply.ReplyResult;
import java.time.Duration;

/**
 * How one answer went.
 *
 * @param outcome         how it ended
 * @param text            the answer text the model wrote (partial when it failed or was stopped)
 * @param reply           what the streaming reply did on the platform; null for a refusal
 * @param usage           tokens as reported by the model
 * @param timeToFirstText from the start of the model call to the first answer text, or null
 * @param duration        from the start of the model call to the last final edit
 * @param droppedTurns    remembered turns that did not fit the context budget
 * @param finishReason    why the model stopped writing; null when it never finished (failed, stopped, refused)
 */
public record AnswerResult(Answer.Outcome outcome, String text, ReplyResult reply, Usage usage,
                           Duration timeToFirstText, Duration duration, int droppedTurns, FinishReason finishReason) {

    public AnswerResult(Answer.Outcome outcome, String text, ReplyResult reply, Usage usage,
                        Duration timeToFirstText, Duration duration, int droppedTurns) {
        this(outcome, text, reply, usage, timeToFirstText, duration, droppedTurns, null);
    }

    static AnswerResult refused(String reason) {
        return new AnswerResult(Answer.Outcome.REFUSED, reason, null, Usage.NONE, null, Duration.ZERO, 0);
    }

    /** Whether the model stopped at its length limit, so it can be asked to continue. */
    public boolean cutAtMaxTokens() {
        return outcome == Answer.Outcome.COMPLETED && finishReason == FinishReason.MAX_TOKENS;
    }
}
