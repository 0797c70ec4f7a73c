package dev.geminibot.bench;

import dev.geminibot.core.reply.EditPacer;
import dev.geminibot.core.reply.MessageRef;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.ReplyOptions;
import dev.geminibot.core.reply.Scheduler;
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

    private final Scheduler clock;
    private EditPacer pacer;

    OursPolicy(Scheduler clock) {
        this.clock = clock;
    }

    static Factory factory() {
        return new Factory("ours (StreamingReply + pacer)", OursPolicy::new);
    }

    @Override
    public AnswerStream start(AnswerTrace trace) {
        PlatformModel model = trace.platformModel();
        if (pacer == null) {
            pacer = !model.limited() ? EditPacer.NONE
                    : model.editWindow().equals(Duration.ofSeconds(60)) ? TokenBucketPacer.slack(clock)
                    : TokenBucketPacer.discord(clock);
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
                return model.limited() ? trace.key() : null;
            }
        };
        ReplyOptions options = new ReplyOptions(null, CURSOR, "Thinking…", Duration.ofSeconds(60), 10);
        StreamingReply reply = new StreamingReply(sink, options, clock, pacer);
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
}
