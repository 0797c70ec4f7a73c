package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ChatGPT-in-Slack's policy: post a "Typing..." placeholder, then every 20 deltas start a
 * {@code chat.update} on a new thread without waiting for the previous one (updates race and may land out
 * of order); a 429 on one of them raises in that thread and the update is lost. At the end, join the
 * threads and make the final update. The final update is modelled generously: it waits out Retry-After
 * and tries again (up to 3 tries), so its final text is not lost to a 429.
 */
final class EveryNDeltasPolicy implements EditPolicy {
    private static final int EVERY = 20;
    private static final int FINAL_TRIES = 3;

    private final Scheduler clock;

    EveryNDeltasPolicy(Scheduler clock) {
        this.clock = clock;
    }

    static Factory factory() {
        return new Factory("ChatGPT-in-Slack (edit every 20 deltas)", EveryNDeltasPolicy::new);
    }

    @Override
    public AnswerStream start(AnswerTrace trace) {
        CompletableFuture<MessageRef> placeholder = trace.post(AnswerTrace.PLACEHOLDER);
        return new AnswerStream() {
            final StringBuilder text = new StringBuilder();
            final List<CompletableFuture<?>> threads = new ArrayList<>();
            int count;

            @Override
            public void delta(String delta) {
                text.append(delta);
                if (++count >= EVERY) {
                    count = 0;
                    String shown = text.toString();
                    threads.add(placeholder.thenCompose(ref -> trace.edit(ref, shown)));
                }
            }

            @Override
            public void end() {
                String shown = text.toString();
                CompletableFuture.allOf(threads.toArray(CompletableFuture[]::new))
                        .handle((ok, e) -> null)
                        .thenCompose(x -> placeholder)
                        .thenAccept(ref -> finalEdit(ref, shown, FINAL_TRIES));
            }

            private void finalEdit(MessageRef ref, String shown, int triesLeft) {
                trace.edit(ref, shown).whenComplete((ok, error) -> {
                    if (error != null && AnswerTrace.isRateLimit(error) && triesLeft > 1) {
                        Duration wait = AnswerTrace.retryAfter(error);
                        clock.schedule(wait, () -> finalEdit(ref, shown, triesLeft - 1));
                    }
                });
            }
        };
    }
}
