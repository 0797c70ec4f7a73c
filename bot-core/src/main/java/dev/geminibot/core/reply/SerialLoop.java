package dev.geminibot.core.reply;

import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One thread of control for one reply (the shape of OkHttp's {@code TaskQueue} for a WebSocket): tasks
 * submitted from any thread run one at a time, in order, on whichever thread found the loop idle. A task
 * that submits another (a sink completing synchronously, a timer firing during a call) never re-enters:
 * the new task runs after the current one returns. So the reply's state is only ever touched by one task
 * at a time, without a lock around the decisions.
 *
 * <p>Tasks carry the logging MDC of the thread that made the loop (the answer's: its id, platform and
 * conversation), also when they run on another thread (a timer, a platform's callback), so what a reply logs
 * there names its answer too.
 */
final class SerialLoop {

    private static final Logger log = LoggerFactory.getLogger(SerialLoop.class);

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Thread owner = Thread.currentThread();
    private final Map<String, String> logContext = MDC.getCopyOfContextMap();
    private boolean running;

    void execute(Runnable task) {
        synchronized (this) {
            tasks.addLast(task);
            if (running) {
                return;
            }
            running = true;
        }
        if (logContext == null || Thread.currentThread() == owner) {
            drain();
            return;
        }
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.setContextMap(logContext);
        try {
            drain();
        } finally {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.pollFirst();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // A bug in one decision must not wedge the loop: later tasks still run.
                log.error("streaming reply task failed", e);
            }
        }
    }
}
