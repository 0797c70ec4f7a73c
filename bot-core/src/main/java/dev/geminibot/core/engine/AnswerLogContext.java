package dev.geminibot.core.engine;

import org.slf4j.MDC;

/**
 * Puts the answer's {@code answer_id}, {@code platform} and {@code conversation} in the logging MDC of the
 * thread writing it, so every line logged there (the engine's, the reply's, the model client's) carries
 * them, as JSON fields with {@code logging.format: json}. Closing restores what was there before.
 */
final class AnswerLogContext implements AutoCloseable {
    static final String ANSWER_ID = "answer_id";
    static final String PLATFORM = "platform";
    static final String CONVERSATION = "conversation";

    private final java.util.Map<String, String> previous;

    private AnswerLogContext(java.util.Map<String, String> previous) {
        this.previous = previous;
    }

    static AnswerLogContext of(Answer answer) {
        AnswerLogContext context = new AnswerLogContext(MDC.getCopyOfContextMap());
        MDC.put(ANSWER_ID, answer.id());
        MDC.put(PLATFORM, answer.incoming().conversation().platform());
        MDC.put(CONVERSATION, answer.incoming().conversation().toString());
        return context;
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }
}
