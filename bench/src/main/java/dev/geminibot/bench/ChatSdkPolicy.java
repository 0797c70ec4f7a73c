package dev.geminibot.bench;

import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.Scheduler;
import java.time.Duration;

/**
 * Vercel Chat SDK's post+edit fallback: the first text is posted at once, then a 500 ms timer edits with
 * the latest text when it changed and no edit is in flight. A failed edit (a 429) is logged and skipped:
 * nothing waits for Retry-After, the next tick simply tries again. The final edit is made once; if it
 * meets a 429 it is skipped too, and the message keeps an older text.
 */
final class ChatSdkPolicy implements EditPolicy {
    private static final Duration TICK = Duration.ofMillis(500);

    private final Scheduler clock;

    ChatSdkPolicy(Scheduler clock) {
        this.clock = clock;
    }

    static Factory factory() {
        return new Factory("Chat SDK (500 ms timer, skip on 429)", ChatSdkPolicy::new);
    }

    @Override
    public AnswerStream start(AnswerTrace trace) {
        return new AnswerStream() {
            final StringBuilder text = new StringBuilder();
            MessageRef ref;
            boolean posting;
            boolean inFlight;
            boolean ended;
            boolean finalSent;
            String sent;

            @Override
            public void delta(String delta) {
                text.append(delta);
                if (!posting) {
                    posting = true;
                    sent = text.toString();
                    inFlight = true;
                    trace.post(sent).whenComplete((posted, e) -> {
                        ref = posted;
                        inFlight = false;
                        clock.schedule(TICK, this::tick);
                        if (ended) {
                            sendFinal();
                        }
                    });
                }
            }

            @Override
            public void end() {
                ended = true;
                if (ref != null && !inFlight) {
                    sendFinal();
                }
            }

            private void tick() {
                if (finalSent) {
                    return;
                }
                if (!inFlight && !ended && !text.toString().equals(sent)) {
                    sent = text.toString();
                    inFlight = true;
                    trace.edit(ref, sent).whenComplete((ok, e) -> {
                        inFlight = false; // on a 429: logged and skipped
                        if (ended) {
                            sendFinal();
                        }
                    });
                }
                clock.schedule(TICK, this::tick);
            }

            private void sendFinal() {
                if (finalSent) {
                    return;
                }
                finalSent = true;
                trace.edit(ref, text.toString()); // one try; a 429 loses it
            }
        };
    }
}
