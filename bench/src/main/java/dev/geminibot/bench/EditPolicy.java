package dev.geminibot.bench;

import dev.geminibot.core.reply.Scheduler;
import java.util.function.Function;

/**
 * How a bot turns a stream of deltas into posts and edits: ours ({@link OursPolicy}) or a peer's,
 * re-implemented from its source ({@link LlmcordPolicy}, {@link EveryNDeltasPolicy},
 * {@link ChatSdkPolicy}). One instance serves one run, so state a peer shares between conversations
 * (llmcord's global timer) is shared between the answers of that run.
 */
interface EditPolicy {

    /** Starts one answer; deltas follow through the returned stream, on the clock's thread. */
    AnswerStream start(AnswerTrace trace);

    /** The model's side of one answer. */
    interface AnswerStream {
        void delta(String text);

        /** The model finished; the policy makes its final edit. */
        void end();
    }

    /** A named way to make a policy for one run on {@code clock}. */
    record Factory(String name, Function<Scheduler, EditPolicy> make) {
    }
}
