package dev.geminibot.core.reply;

import java.time.Duration;
import java.time.Instant;

/**
 * When one reply may make its next call: the edit interval, pauses after 429s and failures, and turns
 * from the {@link EditPacer} shared by the answers under one rate-limit key. Used only on the reply's
 * {@link SerialLoop}; the pacer's callbacks come back through {@code wake}, which submits to that loop.
 */
final class EditThrottle {

    private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration interval;
    private final EditPacer pacer;
    private final String key;
    private final boolean paced;
    private final Runnable wake;

    private Instant notBefore = Instant.MIN;
    private Instant pausedUntil = Instant.MIN;
    private int transientStreak;
    private boolean turnRequested;
    private boolean haveTurn;
    private long turnId;
    private Runnable turnCancel;

    EditThrottle(Duration interval, EditPacer pacer, String key, Runnable wake) {
        this.interval = interval;
        this.pacer = pacer == null ? EditPacer.NONE : pacer;
        this.key = key;
        this.paced = key != null && this.pacer != EditPacer.NONE;
        this.wake = wake;
    }

    Duration interval() {
        return interval;
    }

    /** The earliest time any call may start: after this reply's own pause and its key's 429 pause. */
    Instant pausedUntil() {
        Instant keyPause = paced ? pacer.pausedUntil(key) : Instant.MIN;
        return keyPause.isAfter(pausedUntil) ? keyPause : pausedUntil;
    }

    /** The earliest time the next intermediate call may start (interval and pauses). */
    Instant liveReadyAt() {
        Instant pause = pausedUntil();
        return pause.isAfter(notBefore) ? pause : notBefore;
    }

    /**
     * True if an intermediate call may go now under the key's budget; otherwise asks the pacer for a turn
     * (once) and returns false: {@code wake} runs when the turn comes.
     *
     * @param priority the final edit of an answer, served ahead of live edits waiting on the key
     */
    boolean takeTurn(boolean priority) {
        if (!paced) {
            return true;
        }
        if (haveTurn) {
            haveTurn = false;
            return true;
        }
        if (turnRequested) {
            return false;
        }
        turnRequested = true;
        long id = ++turnId;
        Runnable onTurn = () -> turnGranted(id);
        Runnable cancel = priority ? pacer.requestFirst(key, onTurn) : pacer.request(key, onTurn);
        if (turnRequested && turnId == id) {
            turnCancel = cancel;
        }
        return false;
    }

    /** Runs on the pacer's thread (or inside {@link #takeTurn}): hands the turn to the loop. */
    private void turnGranted(long id) {
        grantedId = id; // published before the loop looks (collectTurn)
        wake.run();
    }

    private volatile long grantedId = -1;

    /** On the loop: picks up a turn the pacer granted since the last look. */
    void collectTurn() {
        long id = grantedId;
        if (turnRequested && id == turnId) {
            turnRequested = false;
            turnCancel = null;
            haveTurn = true;
            grantedId = -1;
        }
    }

    /** A call that did not wait its turn still spends from the key's budget. */
    void spend() {
        if (paced) {
            pacer.spend(key);
        }
    }

    /** Withdraws a pending turn request and drops an unused turn (finish, gone). */
    void withdraw() {
        turnId++;
        turnRequested = false;
        haveTurn = false;
        Runnable cancel = turnCancel;
        turnCancel = null;
        if (cancel != null) {
            cancel.run();
        }
    }

    /** An intermediate call starts now: the next one waits an interval. */
    void liveStarted(Instant now) {
        notBefore = now.plus(interval);
    }

    /** A call completed: never start the next one before this. */
    void completed(Instant now) {
        if (notBefore.isBefore(now)) {
            notBefore = now;
        }
    }

    void succeeded() {
        transientStreak = 0;
    }

    /**
     * A call failed: pauses this reply (and, on a 429, the key) and returns how long until it may try
     * again, or null when trying the same call again cannot help (FORBIDDEN, REJECTED).
     */
    Duration failed(PlatformException failure, Instant now) {
        Duration delay;
        switch (failure.kind()) {
            case RATE_LIMITED -> {
                delay = failure.retryAfter().orElse(DEFAULT_RETRY_AFTER);
                if (paced) {
                    pacer.rateLimited(key, delay);
                }
            }
            case TRANSIENT -> {
                Duration base = interval.compareTo(MIN_BACKOFF) > 0 ? interval : MIN_BACKOFF;
                delay = base.multipliedBy(1L << Math.min(transientStreak, 5));
                if (delay.compareTo(MAX_BACKOFF) > 0) {
                    delay = MAX_BACKOFF;
                }
                transientStreak++;
            }
            default -> delay = null;
        }
        return delay;
    }

    void pause(Instant until) {
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }
}
