package dev.geminibot.discord;

import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.AnswerResult;
import dev.geminibot.core.engine.ChatEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.components.MessageTopLevelComponent;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.MessageReference;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buttons on a finished answer's last message: 🔄 Regenerate, ▶ Continue (only after the model stopped
 * at its length limit), 👍 and 👎. They are added with one edit of the message's components once the answer's
 * final edit has landed (never while it streams), and removed from a conversation's previous answer when a
 * newer one completes, when the conversation is reset, and from an answer that is regenerated or continued.
 * Presses are answered at once (Regenerate and Continue on a virtual thread, as they read the state store):
 * an ephemeral reason for a press that does not apply, else an update of the pressed message (Regenerate,
 * Continue) or an ephemeral thank-you (votes).
 */
final class AnswerButtons extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AnswerButtons.class);
    static final String REGENERATE = "gemini:regen:";
    static final String CONTINUE = "gemini:cont:";
    static final String VOTE = "gemini:vote:";

    /** The message of a conversation that carries the buttons now. */
    private record Decorated(String answerId, String messageId, ButtonEditor editor) {
    }

    private final ChatEngine engine;
    private final Feedback feedback;
    private final PermissionWarnings permissions;
    private final AskerNotices notices;
    /** A channel this process sees, by id (null when it does not): to take buttons off an earlier process's answer. */
    private final LongFunction<MessageChannel> channels;
    /** The sinks of this process's decorated messages, by where they are: an interaction's webhook may be needed. */
    private final Map<ConversationKey, Decorated> decorated = new ConcurrentHashMap<>();

    AnswerButtons(ChatEngine engine, Feedback feedback, PermissionWarnings permissions, AskerNotices notices,
                  LongFunction<MessageChannel> channels) {
        this.engine = engine;
        this.feedback = feedback;
        this.permissions = permissions;
        this.notices = notices;
        this.channels = channels;
    }

    /** Once {@code answer} is final, puts the buttons on its last message (if it completed and is still the latest). */
    void follow(Answer answer, ButtonEditor editor) {
        answer.done().thenAccept(result -> finished(answer, result, editor));
    }

    private void finished(Answer answer, AnswerResult result, ButtonEditor editor) {
        ConversationKey key = answer.incoming().conversation();
        if (result.outcome() != Answer.Outcome.COMPLETED || result.reply() == null
                || result.reply().messages().isEmpty() || !engine.isLatest(key, answer.id())) {
            return;
        }
        String last = result.reply().messages().getLast().id();
        String where = editor.channelId() + "/" + last;
        Decorated before = decorated.put(key, new Decorated(answer.id(), where, editor));
        // The store names the message that has the buttons now, wherever (and by whichever process) they were put.
        Optional<String> shown = engine.moveButtons(key, where);
        shown.or(() -> Optional.ofNullable(before).map(Decorated::messageId))
                .filter(message -> !message.equals(where))
                .ifPresent(message -> takeOff(message, before, editor));
        editor.setButtons(last, List.of(row(answer.id(), answer.incoming().userId(), result.cutAtMaxTokens())));
    }

    /**
     * The conversation was reset in {@code channel}: its answer's buttons no longer apply. Blocks on the store:
     * off JDA's thread.
     */
    void forget(ConversationKey key, MessageChannel channel) {
        Decorated gone = decorated.remove(key);
        engine.takeButtons(key).or(() -> Optional.ofNullable(gone).map(Decorated::messageId))
                .ifPresent(message -> takeOff(message, gone, new ChannelButtons(channel)));
    }

    /**
     * Removes the buttons from {@code message} ({@code channel/message}): through its sink when this process has
     * it, else through {@code here} (the channel of the event that retires them) when the message is in it, else
     * through the channel found by its id. {@code here} matters after a restart: JDA does not cache a DM channel
     * that only an interaction named, so the lookup would not find it.
     */
    private void takeOff(String message, Decorated known, ButtonEditor here) {
        int slash = message.indexOf('/');
        String messageId = message.substring(slash + 1);
        try {
            if (known != null && known.messageId().equals(message)) {
                known.editor().setButtons(messageId, List.of());
                return;
            }
            if (slash > 0 && here.channelId().equals(message.substring(0, slash))) {
                here.setButtons(messageId, List.of());
                return;
            }
            MessageChannel channel = slash > 0 ? channels.apply(Long.parseLong(message.substring(0, slash))) : null;
            if (channel == null) {
                LOG.info("Could not take the buttons off an earlier answer: its channel is not known here");
                return;
            }
            new ChannelButtons(channel).setButtons(messageId, List.of());
        } catch (NumberFormatException notASnowflake) {
            // Written by something else: nothing to edit.
        } catch (RuntimeException refused) {
            // JDA refuses some edits before any request (a DM it sees as between two people): the newer answer's
            // buttons and the reset still go ahead.
            ChannelButtons.failed(refused);
        }
    }

    /** Buttons edited through a channel, outside any answer's sink; a failure is logged, the caller goes on. */
    private record ChannelButtons(MessageChannel channel) implements ButtonEditor {
        @Override
        public void setButtons(String messageId, List<? extends MessageTopLevelComponent> rows) {
            channel.editMessageComponentsById(messageId, rows).queue(ok -> { }, ChannelButtons::failed);
        }

        static void failed(Throwable failure) {
            LOG.info("Could not take the buttons off an earlier answer: {}", PlatformErrors.map(failure).getMessage());
        }

        @Override
        public String channelId() {
            return channel.getId();
        }
    }

    static ActionRow row(String answerId, String askerId, boolean cut) {
        List<Button> buttons = new ArrayList<>();
        buttons.add(Button.secondary(REGENERATE + answerId + ":" + askerId, "🔄 Regenerate"));
        if (cut) {
            buttons.add(Button.primary(CONTINUE + answerId, "▶ Continue"));
        }
        buttons.add(Button.secondary(VOTE + "up:" + answerId, "👍"));
        buttons.add(Button.secondary(VOTE + "down:" + answerId, "👎"));
        return ActionRow.of(buttons);
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        String id = event.getComponentId();
        if (id.startsWith(VOTE)) {
            vote(event, id.substring(VOTE.length()));
        } else if (id.startsWith(REGENERATE)) {
            String[] parts = id.substring(REGENERATE.length()).split(":", 2);
            // Which answer is the latest is read from the state store: off JDA's event thread.
            Thread.ofVirtual().name("discord-press").start(() -> regenerate(event, parts[0], parts.length == 2 ? parts[1] : ""));
        } else if (id.startsWith(CONTINUE)) {
            Thread.ofVirtual().name("discord-press").start(() -> carryOn(event, id.substring(CONTINUE.length())));
        }
    }

    private void vote(ButtonInteractionEvent event, String rest) {
        int colon = rest.indexOf(':');
        Feedback.Vote vote = Feedback.Vote.of(rest.substring(0, colon));
        ephemeral(event, Feedback.reply(feedback.vote(Conversations.PLATFORM, rest.substring(colon + 1),
                event.getUser().getId(), vote), vote));
    }

    private void regenerate(ButtonInteractionEvent event, String answerId, String askerId) {
        MessageChannel channel = event.getChannel();
        ConversationKey key = Conversations.keyOf(channel);
        if (!event.getUser().getId().equals(askerId) && !canManageMessages(event)) {
            ephemeral(event, "Only the person who asked, or someone who can manage messages, can regenerate this answer.");
            return;
        }
        if (!engine.isLatest(key, answerId)) {
            ephemeral(event, "This is no longer the latest answer here, so it can't be regenerated. Ask again instead.");
            return;
        }
        // The ack is the edit that takes the buttons off the old answer: it no longer applies.
        event.editComponents(List.of()).queue(ok -> { }, failure -> { });
        pressed(key, event);
        var sink = new ChannelSink(channel, questionOf(event, channel), askerId, permissions, notices);
        follow(engine.regenerate(key, answerId, sink), sink);
    }

    private void carryOn(ButtonInteractionEvent event, String answerId) {
        MessageChannel channel = event.getChannel();
        ConversationKey key = Conversations.keyOf(channel);
        if (!engine.canContinue(key, answerId)) {
            ephemeral(event, engine.isLatest(key, answerId) ? "This answer is complete; there is nothing to continue."
                    : "This is no longer the latest answer here, so it can't be continued.");
            return;
        }
        event.editComponents(List.of()).queue(ok -> { }, failure -> { });
        pressed(key, event);
        String userName = event.getMember() != null ? event.getMember().getEffectiveName()
                : event.getUser().getEffectiveName();
        var sink = new ChannelSink(channel, 0, event.getUser().getId(), permissions, notices);
        follow(engine.continueAnswer(key, answerId, event.getUser().getId(), userName, sink), sink);
    }

    /**
     * The pressed message's buttons are going (by the press's ack): the conversation has none on show, so a
     * later answer does not edit the pressed message again (a continuation may have changed it by then).
     */
    private void pressed(ConversationKey key, ButtonInteractionEvent event) {
        Decorated known = decorated.remove(key);
        String message = event.getChannel().getId() + "/" + event.getMessageId();
        engine.takeButtons(key).filter(where -> !where.equals(message))
                .ifPresent(where -> takeOff(where, known, new ChannelButtons(event.getChannel())));
    }

    /** The question the pressed answer replied to, so the new answer replies to it too (0: none). */
    private static long questionOf(ButtonInteractionEvent event, MessageChannel channel) {
        MessageReference reference = event.getMessage().getMessageReference();
        boolean inChannel = channel instanceof GuildChannel && !(channel instanceof ThreadChannel);
        return inChannel && reference != null ? reference.getMessageIdLong() : 0;
    }

    private static boolean canManageMessages(ButtonInteractionEvent event) {
        return event.getMember() != null && event.getChannel() instanceof GuildChannel channel
                && event.getMember().hasPermission(channel, Permission.MESSAGE_MANAGE);
    }

    private static void ephemeral(ButtonInteractionEvent event, String text) {
        event.reply(text).setEphemeral(true).setAllowedMentions(List.of()).queue(ok -> { }, failure -> { });
    }
}
