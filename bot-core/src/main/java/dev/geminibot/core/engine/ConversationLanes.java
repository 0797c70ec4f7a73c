package dev.geminibot.core.engine;

import dev.geminibot.core.conversation.ConversationKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One answer at a time per conversation, in the order the messages came. Each busy conversation has a
 * virtual thread that runs its jobs one after another; an idle conversation costs nothing.
 */
final class ConversationLanes {
    private final Map<ConversationKey, ArrayDeque<Runnable>> waiting = new HashMap<>();

    /**
     * Runs {@code job} after the jobs already queued for {@code key}.
     *
     * @return false, running nothing, when {@code maxWaiting} jobs already wait behind the running one
     */
    synchronized boolean enqueue(ConversationKey key, Runnable job, int maxWaiting) {
        ArrayDeque<Runnable> queue = waiting.get(key);
        if (queue == null) {
            // Empty queue in the map = a job is running and nothing waits behind it.
            waiting.put(key, new ArrayDeque<>());
            Thread.ofVirtual().name("answer-" + key).start(() -> drain(key, job));
            return true;
        }
        if (queue.size() >= maxWaiting) {
            return false;
        }
        queue.add(job);
        return true;
    }

    /** Jobs waiting (not running) in this conversation. */
    synchronized int waiting(ConversationKey key) {
        ArrayDeque<Runnable> queue = waiting.get(key);
        return queue == null ? 0 : queue.size();
    }

    private void drain(ConversationKey key, Runnable first) {
        Runnable job = first;
        while (job != null) {
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                // A job reports its own failures; this only keeps one bad job from stalling the lane.
                org.slf4j.LoggerFactory.getLogger(ConversationLanes.class).error("answer job failed in {}", key, e);
            }
            job = next(key);
        }
    }

    private synchronized Runnable next(ConversationKey key) {
        ArrayDeque<Runnable> queue = waiting.get(key);
        Runnable job = queue.poll();
        if (job == null) {
            waiting.remove(key);
        }
        return job;
    }
}
