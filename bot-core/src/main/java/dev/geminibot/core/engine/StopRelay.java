package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StopSignal;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops that reach every instance: a stop stops the matching answers written here at once and, with a
 * shared store, is published so the instance writing the answer (maybe another one) stops it too. Signals
 * from any instance arrive through the store's subscription.
 */
final class StopRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StopRelay.class);

    private final StateStore state;
    private final Map<ConversationKey, AnswerRun> writing;
    private final AutoCloseable subscription;

    StopRelay(StateStore state, Map<ConversationKey, AnswerRun> writing) {
        this.state = state;
        this.writing = writing;
        this.subscription = state.subscribeStops(this::stopHere);
    }

    /** Stops matching answers here and tells the other instances. Returns how many stopped here. */
    int stop(StopSignal signal) {
        int stopped = stopHere(signal);
        if (state.sharedWithOtherInstances()) {
            // Never on the caller's thread: it may be a platform's ack path.
            Thread.ofVirtual().name("stop-publish").start(() -> state.publishStop(signal));
        }
        return stopped;
    }

    /** Stops the matching answers written in this process. */
    private int stopHere(StopSignal signal) {
        int stopped = 0;
        for (Map.Entry<ConversationKey, AnswerRun> entry : writing.entrySet()) {
            AnswerRun run = entry.getValue();
            if (signal.matches(entry.getKey())
                    && (signal.byUser().isEmpty() || signal.byUser().equals(run.incoming().userId()))) {
                run.stop();
                stopped++;
            }
        }
        return stopped;
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("closing the stop subscription failed: {}", e.toString());
        }
    }
}
