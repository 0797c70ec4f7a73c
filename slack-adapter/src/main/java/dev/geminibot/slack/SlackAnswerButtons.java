package dev.geminibot.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.interactive_components.response.ActionResponse;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.AnswerResult;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.reply.PlatformException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controls on a finished answer's last message in Slack (see {@link AnswerBlocks}): added with one
 * {@code chat.update} after the answer's final edit, never while it streams, and taken off a conversation's
 * previous answer when a newer one completes, on {@code /reset}, and from an answer that is regenerated or
 * continued. Every press is acked at once; a press that does not apply gets a short ephemeral reason through
 * its {@code response_url}, and a refused Regenerate never reaches Gemini.
 */
final class SlackAnswerButtons {
    private static final Logger log = LoggerFactory.getLogger(SlackAnswerButtons.class);

    /** The message of a conversation that carries the controls now. */
    private record Decorated(String answerId, String channel, String ts, String text, boolean markdown) {
        /**
         * As the state store keeps it, so a restarted process or another instance can take the controls off:
         * {@code channel|ts|m|text} ({@code m} or {@code b}: markdown or blocks). Ids never hold a bar.
         */
        String reference() {
            return channel + "|" + ts + "|" + (markdown ? "m" : "b") + "|" + text;
        }

        static Optional<Decorated> of(String reference) {
            String[] parts = reference.split("\\|", 4);
            return parts.length == 4
                    ? Optional.of(new Decorated("", parts[0], parts[1], parts[3], "m".equals(parts[2])))
                    : Optional.empty();
        }
    }

    private final ChatEngine engine;
    private final MethodsClient client;
    private final Feedback feedback;
    private final Executor workers;
    private final Sinks sinks;

    /** Where a new answer of a conversation is written: its channel, and who it is for. */
    @FunctionalInterface
    interface Sinks {
        TextKeepingSink sinkFor(ConversationKey key, String channel, String user);
    }
    private final Map<ConversationKey, Decorated> decorated = new ConcurrentHashMap<>();
    /** Slack answered {@code invalid_blocks} to the context_actions block once: use plain buttons from then on. */
    private final AtomicBoolean plainFeedback = new AtomicBoolean();

    /** @param sinks where a new answer of a conversation is written, given its key and channel */
    SlackAnswerButtons(ChatEngine engine, MethodsClient client, Feedback feedback, Executor workers,
                       Sinks sinks) {
        this.engine = engine;
        this.client = client;
        this.feedback = feedback;
        this.workers = workers;
        this.sinks = sinks;
    }

    void register(App app) {
        app.blockAction(AnswerBlocks.REGENERATE, this::onRegenerate);
        app.blockAction(AnswerBlocks.CONTINUE, this::onContinue);
        app.blockAction(AnswerBlocks.FEEDBACK, this::onVote);
        app.blockAction(AnswerBlocks.VOTE_UP, this::onVote);
        app.blockAction(AnswerBlocks.VOTE_DOWN, this::onVote);
    }

    /** Once {@code answer} is final, puts the controls on its last message in {@code channel}. */
    void follow(Answer answer, TextKeepingSink sink, String channel) {
        answer.done().thenAcceptAsync(result -> finished(answer, result, sink, channel), workers);
    }

    private void finished(Answer answer, AnswerResult result, TextKeepingSink sink, String channel) {
        ConversationKey key = answer.incoming().conversation();
        if (result.outcome() != Answer.Outcome.COMPLETED || result.reply() == null
                || result.reply().messages().isEmpty() || !engine.isLatest(key, answer.id())) {
            return;
        }
        String ts = result.reply().messages().getLast().id();
        String text = sink.shown(ts);
        if (text == null) {
            return;
        }
        Decorated now = new Decorated(answer.id(), channel, ts, text, sink.markdown());
        Decorated before = decorated.put(key, now);
        // The store names the message that has the controls now, wherever (and by whichever process) they were put.
        engine.moveButtons(key, now.reference()).flatMap(Decorated::of).or(() -> Optional.ofNullable(before))
                .filter(shown -> !(shown.channel().equals(channel) && shown.ts().equals(ts)))
                .ifPresent(shown -> strip(shown.channel(), shown.ts(), shown.text(), shown.markdown()));
        decorate(now, answer.incoming().userId(), key.thread(), result.cutAtMaxTokens());
    }

    /** {@code /reset}: the conversation's answer no longer has anything to regenerate. */
    void forget(ConversationKey key) {
        Decorated gone = decorated.remove(key);
        workers.execute(() -> engine.takeButtons(key).flatMap(Decorated::of)
                .or(() -> Optional.ofNullable(gone))
                .ifPresent(shown -> strip(shown.channel(), shown.ts(), shown.text(), shown.markdown())));
    }

    private void decorate(Decorated message, String askerId, String thread, boolean cut) {
        boolean nativeFeedback = !plainFeedback.get();
        try {
            update(message, AnswerBlocks.of(message.text(), message.markdown(), message.answerId(), askerId, thread,
                    cut, nativeFeedback));
        } catch (PlatformException e) {
            if (nativeFeedback && "invalid_blocks".equals(SlackCalls.errorCode(e))) {
                plainFeedback.set(true);
                log.info("Slack refused the context_actions feedback block; using 👍/👎 buttons instead");
                decorate(message, askerId, thread, cut);
            } else {
                log.warn("Could not add the answer buttons: {}", e.getMessage());
            }
        }
    }

    private void update(Decorated message, String blocks) {
        // A message with blocks shows the blocks; its text stays as the notification's fallback.
        SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r.channel(message.channel()).ts(message.ts())
                .text(message.text()).blocksAsString(blocks)));
    }

    /** Takes the controls off a message, leaving its text as it was. */
    private void strip(String channel, String ts, String text, boolean markdown) {
        try {
            if (markdown) {
                SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts).markdownText(text)));
            } else {
                // The text in sections, as the message showed it, without the controls' blocks.
                SlackCalls.call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts).text(text)
                        .blocksAsString(AnswerBlocks.textOnly(text))));
            }
        } catch (PlatformException e) {
            log.warn("Could not remove the answer buttons: {}", e.getMessage());
        }
    }

    private Response onRegenerate(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        String[] value = valueOf(payload, AnswerBlocks.REGENERATE).split("\\|", 3);
        String answerId = value[0];
        String asker = value.length > 1 ? value[1] : "";
        String thread = value.length > 2 ? value[2] : "";
        String clicker = payload.getUser().getId();
        ConversationKey key = keyOf(payload, ctx, thread);
        if (!clicker.equals(asker)) {
            tell(ctx, "Only the person who asked can regenerate this answer.");
        } else {
            String channel = payload.getChannel().getId();
            // The latest answer is read from the state store: after the ack, never on its path.
            workers.execute(() -> {
                if (!engine.isLatest(key, answerId)) {
                    tell(ctx, "This is no longer the latest answer here, so it can't be regenerated. Ask again instead.");
                    return;
                }
                takeOff(key, payload);
                TextKeepingSink sink = sinks.sinkFor(key, channel, asker);
                follow(engine.regenerate(key, answerId, sink), sink, channel);
            });
        }
        return ctx.ack();
    }

    private Response onContinue(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        String[] value = valueOf(payload, AnswerBlocks.CONTINUE).split("\\|", 2);
        String answerId = value[0];
        ConversationKey key = keyOf(payload, ctx, value.length > 1 ? value[1] : "");
        String channel = payload.getChannel().getId();
        String user = payload.getUser().getId();
        String name = payload.getUser().getName();
        // The latest answer is read from the state store: after the ack, never on its path.
        workers.execute(() -> {
            if (!engine.canContinue(key, answerId)) {
                tell(ctx, engine.isLatest(key, answerId) ? "This answer is complete; there is nothing to continue."
                        : "This is no longer the latest answer here, so it can't be continued.");
                return;
            }
            takeOff(key, payload);
            TextKeepingSink sink = sinks.sinkFor(key, channel, user);
            follow(engine.continueAnswer(key, answerId, user, name, sink), sink, channel);
        });
        return ctx.ack();
    }

    private Response onVote(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload payload = request.getPayload();
        String value = payload.getActions().isEmpty() ? "" : payload.getActions().getFirst().getValue();
        int bar = value == null ? -1 : value.indexOf('|');
        if (bar < 0) {
            return ctx.ack();
        }
        Feedback.Vote vote = Feedback.Vote.of(value.substring(0, bar));
        tell(ctx, Feedback.reply(feedback.vote(SlackRouter.PLATFORM, value.substring(bar + 1), payload.getUser().getId(),
                vote), vote));
        return ctx.ack();
    }

    /** Removes the controls from the pressed message: what it offered is being done (once). */
    private void takeOff(ConversationKey key, BlockActionPayload payload) {
        String ts = payload.getContainer() == null ? null : payload.getContainer().getMessageTs();
        Decorated known = decorated.get(key);
        // The conversation has no controls on show after this: a later answer must not rewrite the pressed
        // message from the kept text (a continuation may have changed it by then).
        engine.takeButtons(key).flatMap(Decorated::of)
                .filter(shown -> !shown.ts().equals(ts))
                .ifPresent(shown -> strip(shown.channel(), shown.ts(), shown.text(), shown.markdown()));
        if (known != null && known.ts().equals(ts)) {
            decorated.remove(key, known);
            strip(known.channel(), known.ts(), known.text(), known.markdown());
        } else if (ts != null && payload.getMessage() != null && payload.getMessage().getText() != null) {
            strip(payload.getChannel().getId(), ts, payload.getMessage().getText(), false);
        }
    }

    private static String valueOf(BlockActionPayload payload, String actionId) {
        return payload.getActions().stream().filter(a -> actionId.equals(a.getActionId()))
                .map(BlockActionPayload.Action::getValue).findFirst().orElse("");
    }

    private static ConversationKey keyOf(BlockActionPayload payload, ActionContext ctx, String thread) {
        String team = payload.getTeam() != null ? payload.getTeam().getId()
                : ctx.getTeamId() == null ? "" : ctx.getTeamId();
        return new ConversationKey(SlackRouter.PLATFORM, team, payload.getChannel().getId(), thread);
    }

    /** An ephemeral note to the person who pressed, through the press's {@code response_url}, off the ack path. */
    private void tell(ActionContext ctx, String text) {
        workers.execute(() -> {
            try {
                ctx.respond(ActionResponse.builder().responseType("ephemeral").replaceOriginal(false).text(text).build());
            } catch (Exception e) {
                log.warn("Could not send an ephemeral reply: {}", e.getMessage());
            }
        });
    }
}
