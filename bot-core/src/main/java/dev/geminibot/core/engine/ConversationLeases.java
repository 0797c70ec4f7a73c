package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.Lease;
import dev.geminibot.core.state.StateStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance answers a conversation at a time: an answer takes the conversation's lease before it
 * reads the history and keeps it, renewed, until the exchange is stored. Another instance's message in
 * the same conversation waits for the lease, then reads the stored exchange, so turns stay in order. A
 * crashed holder's lease expires after {@link #TTL}.
 */
final class ConversationLeases {
    private static final Logger log = LoggerFactory.getLogger(ConversationLeases.class);
    static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration RENEW_EVERY = TTL.dividedBy(3);
    private static final long WAIT_STEP_MILLIS = 25;
    /** Longer than an answer's total timeout plus the lease expiry; then answer anyway (and say so in the log). */
    private static final int MAX_TRIES = (int) (Duration.ofMinutes(3).toMillis() / WAIT_STEP_MILLIS);

    private final StateStore state;
    private final Scheduler scheduler;

    ConversationLeases(StateStore state, Scheduler scheduler) {
        this.state = state;
        this.scheduler = scheduler;
    }

    /** A held lease; closing it stops the renewals and gives it back. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits (on the calling virtual thread) until this instance holds the conversation's lease. */
    Held acquire(ConversationKey key) {
        for (int tries = 0; tries < MAX_TRIES; tries++) {
            Optional<Lease> lease = state.acquireLease(key, TTL);
            if (lease.isPresent()) {
                return new Renewed(lease.get());
            }
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("conv={}: another instance kept the conversation's lease too long; answering without it", key);
        return () -> { };
    }

    private final class Renewed implements Held {
        private final Lease lease;
        private volatile boolean closed;
        private volatile Runnable cancel;

        Renewed(Lease lease) {
            this.lease = lease;
            schedule();
        }

        private void schedule() {
            // Scheduler tasks must not block: the renewal itself runs on a virtual thread.
            cancel = scheduler.schedule(RENEW_EVERY, () -> Thread.ofVirtual().start(this::renew));
        }

        private void renew() {
            if (closed) {
                return;
            }
            if (!state.renewLease(lease, TTL)) {
                log.warn("conv={}: lost the conversation's lease while answering", lease.key());
                return;
            }
            schedule();
        }

        @Override
        public void close() {
            closed = true;
            Runnable c = cancel;
            if (c != null) {
                c.run();
            }
            state.releaseLease(lease);
        }
    }
}
