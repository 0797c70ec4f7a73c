package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * llmcord's policy (llmcord.py): one module-level {@code last_task_time} shared by every conversation;
 * on each chunk, if a second has passed since any answer last edited, edit now; the first text is a
 * reply that the stream loop awaits, and (as the baseline is specified) so is each edit, so the loop
 * reads no chunk while an edit is out. The Discord client waits out a 429's Retry-After and tries again
 * (discord.py does; up to 5 tries). Only reactive: the proactive bucket wait discord.py also does is not
 * modelled, so its 429 count is an upper bound.
 */
final class LlmcordPolicy implements EditPolicy {
    private static final Duration EDIT_DELAY = Duration.ofSeconds(1);
    private static final int TRIES = 5;

    private final Scheduler clock;
    private Instant lastTaskTime = Instant.MIN; // global: shared by all answers of the run

    LlmcordPolicy(Scheduler clock) {
        this.clock = clock;
    }

    static Factory factory() {
        return new Factory("llmcord (global 1 s timer, awaited edits)", LlmcordPolicy::new);
    }

    @Override
    public AnswerStream start(AnswerTrace trace) {
        return new AnswerStream() {
            final ArrayDeque<String> socket = new ArrayDeque<>(); // chunks the loop has not read yet
            final StringBuilder text = new StringBuilder();
            MessageRef ref;
            boolean awaiting;
            boolean ended;
            boolean finalSent;

            @Override
            public void delta(String delta) {
                socket.add(delta);
                pump();
            }

            @Override
            public void end() {
                ended = true;
                pump();
            }

            private void pump() {
                while (!awaiting) {
                    String chunk = socket.poll();
                    if (chunk != null) {
                        read(chunk);
                    } else if (ended && !finalSent) {
                        finalSent = true;
                        awaiting = true;
                        send(text.toString(), TRIES).whenComplete((ok, e) -> awaiting = false);
                        return;
                    } else {
                        return;
                    }
                }
            }

            private void read(String chunk) {
                Instant now = clock.now();
                if (ref != null && text.length() + chunk.length() > trace.platformModel().maxLength()) {
                    // llmcord starts the next message when the content would outgrow this one: the full one
                    // gets its final edit (awaited), then the new one is posted with the new content.
                    awaiting = true;
                    String full = text.toString();
                    text.setLength(0);
                    text.append(chunk);
                    send(full, TRIES).whenComplete((ok, e) -> {
                        lastTaskTime = clock.now();
                        trace.post(text.toString()).whenComplete((posted, error) -> {
                            ref = posted;
                            resume();
                        });
                    });
                    return;
                }
                text.append(chunk);
                if (ref == null) {
                    awaiting = true;
                    lastTaskTime = now;
                    trace.post(text.toString()).whenComplete((posted, e) -> {
                        ref = posted;
                        resume();
                    });
                } else if (!Duration.between(lastTaskTime, now).minus(EDIT_DELAY).isNegative()) {
                    awaiting = true;
                    lastTaskTime = now;
                    send(text.toString(), TRIES).whenComplete((ok, e) -> resume());
                }
            }

            private void resume() {
                awaiting = false;
                pump();
            }

            /** One edit, retried after each 429's Retry-After. */
            private CompletableFuture<Void> send(String shown, int triesLeft) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                trace.edit(ref, shown).whenComplete((ok, error) -> {
                    if (error == null || !AnswerTrace.isRateLimit(error) || triesLeft <= 1) {
                        done.complete(null);
                        return;
                    }
                    clock.schedule(AnswerTrace.retryAfter(error), () -> send(shown, triesLeft - 1)
                            .whenComplete((o, e) -> done.complete(null)));
                });
                return done;
            }
        };
    }
}
