package dev.geminibot.bench;

import dev.geminibot.core.reply.EditPacer;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.ReplyOptions;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.reply.SlidingWindowPacer;
import dev.geminibot.core.reply.StreamingReply;
import dev.geminibot.core.reply.TokenBucketPacer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The bot's own policy: the real {@link StreamingReply} with the platform's default interval and the
 * real {@link TokenBucketPacer} shared by every answer of the run, as the engine wires them.
 */
final class OursPolicy implements EditPolicy {
    static final String CURSOR = "▌";

    /** How the Slack pacer is made: the bot's own, or the one it replaced (for before/after tables). */
    interface SlackPacers {
        EditPacer slack(Scheduler clock);
    }

    private final Scheduler clock;
    private final SlackPacers pacerFactory;
    private final boolean pacedReads;
    private EditPacer pacer;

    OursPolicy(Scheduler clock, SlackPacers pacerFactory) {
        this(clock, pacerFactory, false);
    }

    OursPolicy(Scheduler clock, SlackPacers pacerFactory, boolean pacedReads) {
        this.clock = clock;
        this.pacerFactory = pacerFactory;
        this.pacedReads = pacedReads;
    }

    /**
     * Ours with the model stream's reads paced by the reply ({@code ModelStream.paceReads}), as the engine
     * runs it: deltas that reach the socket while the reader pauses are appended together when it wakes.
     */
    static Factory withPacedReads() {
        return new Factory("ours, reads paced by the reply", clock -> new OursPolicy(clock, SlidingWindowPacer::slack, true));
    }

    static Factory factory() {
        return new Factory("ours (StreamingReply + pacer)", clock -> new OursPolicy(clock, SlidingWindowPacer::slack));
    }

    /** Ours with the fixed-spacing token bucket this bot used on Slack before the sliding window. */
    static Factory withTokenBucket() {
        return new Factory("ours, old Slack pacer (token bucket)",
                clock -> new OursPolicy(clock, TokenBucketPacer::slack));
    }

    @Override
    public AnswerStream start(AnswerTrace trace) {
        PlatformModel model = trace.platformModel();
        if (pacer == null) {
            pacer = switch (model.family()) {
                case "slack" -> pacerFactory.slack(clock);
                case "discord" -> TokenBucketPacer.discord(clock);
                default -> EditPacer.NONE;
            };
        }
        MessageSink sink = new MessageSink() {
            @Override
            public CompletableFuture<MessageRef> post(String text, boolean live) {
                return trace.post(text);
            }

            @Override
            public CompletableFuture<Void> edit(MessageRef message, String text, boolean live) {
                return trace.edit(message, text);
            }

            @Override
            public int maxLength() {
                return model.maxLength();
            }

            @Override
            public Duration defaultEditInterval() {
                return model.interval();
            }

            @Override
            public String rateLimitKey() {
                return model.family().equals("none") ? null : trace.key();
            }
        };
        ReplyOptions options = ReplyOptions.defaults(null).withEditInterval(null);
        StreamingReply reply = new StreamingReply(sink, options, clock, pacer);
        if (pacedReads) {
            return new PacedReader(reply, clock);
        }
        return new AnswerStream() {
            @Override
            public void delta(String text) {
                reply.append(text);
            }

            @Override
            public void end() {
                reply.finish(null);
            }
        };
    }

    /**
     * The reading side of {@code SseModelStream} with pacing, on the virtual clock: a delta that arrives while
     * the reader waits for the server is read at once; then the reader has caught up, tells the reply
     * ({@code ReadPacing.caughtUp}) and holds for as long as the reply says, or until the reply's due edit
     * wakes it (a hop to the reader's thread, so after the reply's current task). Deltas (and the end) that
     * arrive during the hold are read together when it ends, and the reader catches up again. The finish
     * reason comes with the last delta, and once it has been read the reader no longer holds.
     */
    private static final class PacedReader implements AnswerStream {
        /** The stream's guard on a consumer that never wakes it (SseModelStream.HOLD_SLACK_NANOS). */
        private static final Duration SLACK = Duration.ofMillis(250);

        private final StreamingReply reply;
        private final Scheduler clock;
        private final StringBuilder arrived = new StringBuilder();
        private long hold;
        private boolean holding;
        private boolean ended;

        PacedReader(StreamingReply reply, Scheduler clock) {
            this.reply = reply;
            this.clock = clock;
        }

        @Override
        public void delta(String text) {
            if (holding) {
                arrived.append(text);
                return;
            }
            reply.append(text);
            caughtUp();
        }

        @Override
        public void end() {
            if (holding && !arrived.isEmpty()) {
                ended = true; // the last chunk (with its finish reason) came during the hold: read when it ends
                return;
            }
            // The finish reason came with the last delta read: the reader does not hold after it.
            holding = false;
            hold++;
            reply.finish(null);
        }

        private void caughtUp() {
            long generation = ++hold;
            Runnable release = () -> {
                if (hold == generation && holding) {
                    release();
                }
            };
            holding = true;
            Duration pause = reply.readPacing().caughtUp(() -> {
                if (hold != generation || !holding) {
                    return false;
                }
                clock.schedule(Duration.ZERO, release);
                return true;
            });
            if (pause.isZero()) {
                holding = false;
                return;
            }
            clock.schedule(pause.plus(SLACK), release);
        }

        private void release() {
            holding = false;
            if (!arrived.isEmpty()) {
                reply.append(arrived.toString()); // one read brings everything that came meanwhile
                arrived.setLength(0);
            }
            if (ended) {
                reply.finish(null);
                return;
            }
            caughtUp();
        }
    }
}
