package dev.geminibot.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.app_backend.events.payload.EventsApiPayload;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.interactive_components.payload.MessageShortcutPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.context.builtin.EventContext;
import com.slack.api.bolt.context.builtin.MessageShortcutContext;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.MessageShortcutRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.AppMentionEvent;
import com.slack.api.model.File;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.MessageFileShareEvent;
import com.slack.api.model.event.MessageMeEvent;
import com.slack.api.model.event.MessageThreadBroadcastEvent;
import dev.geminibot.core.media.SharedFile;
import java.util.List;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.StreamingConfig;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.ResetConfirmation;
import dev.geminibot.core.engine.Trigger;
import dev.geminibot.core.reply.MessageSink;
import dev.geminibot.core.reply.PlatformException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which Slack events and commands are addressed to the bot, acks each at once, and hands the
 * work to the {@link ChatEngine} on a virtual thread. Retried deliveries are recognised by
 * {@code event_id}, and a message reaching the bot twice (as {@code app_mention} and as {@code message})
 * by its channel and {@code ts}, so neither produces a second answer. Every {@link Incoming} of a message
 * carries the message's {@code ts} as its id: for a mention that starts a thread this equals the thread
 * ts of its conversation, which tells the engine there is no earlier history to rebuild.
 *
 * <p>Nothing here waits on the state store before acking: de-duplication across instances
 * ({@code firstDelivery} of the message's channel and ts, kept an hour), resets and stops run on the
 * worker threads after the ack, and their confirmations go through the {@code response_url}.
 */
final class SlackRouter {

    static final String PLATFORM = "slack";
    private static final Logger log = LoggerFactory.getLogger(SlackRouter.class);
    private static final Set<String> NOT_IN_CHANNEL = Set.of("not_in_channel", "channel_not_found");

    private final SlackConfig config;
    private final StreamingConfig streaming;
    private final ChatEngine engine;
    private final MethodsClient client;
    private final RepliesHistoryLoader history;
    private final SlackUserNames names;
    private final Executor workers;
    /** How long a delivery is remembered across instances; Slack retries for minutes, an hour is plenty. */
    static final Duration DELIVERY_TTL = Duration.ofHours(1);
    /** The message shortcut (manifest {@code callback_id}) that resets the thread of the message it is used on. */
    static final String RESET_THREAD_SHORTCUT = "gemini_reset_thread";

    /** event_ids and message ids already taken in this process: Slack retries deliveries it thinks failed. */
    private final Cache<String, Boolean> seen = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(Duration.ofHours(1)).build();
    /** Threads the bot was found (or not) to take part in, so each is looked up once. */
    private final Cache<ConversationKey, Boolean> threadsTakenPart = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    private final SlackAnswerButtons buttons;
    private final SlackSettingsCommands settingsCommands;
    private final AssistantPanel panel;
    /** Stream natively in channel threads too (not only in assistant threads). */
    private final boolean nativeInChannelThreads;

    SlackRouter(SlackConfig config, StreamingConfig streaming, ChatEngine engine, MethodsClient client,
                RepliesHistoryLoader history, SlackUserNames names, Executor workers) {
        this(config, streaming, engine, client, history, names, workers, false, engine.feedback());
    }

    SlackRouter(SlackConfig config, StreamingConfig streaming, ChatEngine engine, MethodsClient client,
                RepliesHistoryLoader history, SlackUserNames names, Executor workers, boolean nativeInChannelThreads,
                Feedback feedback) {
        this.nativeInChannelThreads = nativeInChannelThreads;
        this.buttons = new SlackAnswerButtons(engine, client, feedback, workers, this::answerSink);
        this.settingsCommands = new SlackSettingsCommands(engine, new SlackAdmins(config.adminUsers(), client), workers);
        this.panel = new AssistantPanel(client, config.suggestedPrompts(), streaming.thinkingText(), workers);
        this.config = config;
        this.streaming = streaming;
        this.engine = engine;
        this.client = client;
        this.history = history;
        this.names = names;
        this.workers = workers;
    }

    /** Registers every handler on {@code app}. */
    void register(App app) {
        app.event(AppMentionEvent.class, this::onMention);
        app.event(MessageEvent.class, (payload, ctx) -> onMessage(payload.getEventId(), payload.getTeamId(),
                Said.of(payload.getEvent()), ctx));
        // Bolt files a message with a subtype under its own event type: without these, a DM with a file
        // (file_share), a thread reply also sent to the channel (thread_broadcast) and a /me message
        // (me_message) would be acked and dropped. Edits, deletions, joins and bot messages stay unregistered.
        app.event(MessageFileShareEvent.class, (payload, ctx) -> onMessage(payload.getEventId(), payload.getTeamId(),
                Said.of(payload.getEvent()), ctx));
        app.event(MessageThreadBroadcastEvent.class, (payload, ctx) -> onMessage(payload.getEventId(),
                payload.getTeamId(), Said.of(payload.getEvent()), ctx));
        app.event(MessageMeEvent.class, (payload, ctx) -> onMessage(payload.getEventId(), payload.getTeamId(),
                Said.of(payload.getEvent()), ctx));
        app.command("/ask", this::onAsk);
        app.command("/reset", this::onReset);
        app.command("/stop", this::onStop);
        app.messageShortcut(RESET_THREAD_SHORTCUT, this::onResetThread);
        app.blockAction(MessageBlocks.STOP_ACTION, this::onStopButton);
        buttons.register(app);
        settingsCommands.register(app);
        panel.register(app);
    }

    /**
     * Where a regenerated or continued answer of {@code key} is written: natively streamed in an assistant
     * thread (a DM thread), else with chat.update in the conversation's thread or channel.
     */
    private TextKeepingSink answerSink(ConversationKey key, String channel, String user) {
        String threadTs = key.inThread() ? key.thread() : null;
        MessageSink sink = threadTs != null && channel.startsWith("D") && config.nativeStreaming()
                ? new NativeStreamSink(client, channel, threadTs, user, key.workspace(), streaming.thinkingText(),
                        streaming.cursor(), key.workspace(), workers)
                : chatUpdateSink(key, channel, threadTs, e -> { });
        return new TextKeepingSink(sink, sink instanceof NativeStreamSink);
    }

    private Response onMention(EventsApiPayload<AppMentionEvent> payload, EventContext ctx) {
        AppMentionEvent event = payload.getEvent();
        if (firstDelivery(payload.getEventId()) && event.getBotId() == null && event.getUser() != null
                && allowed(event.getChannel(), event.getUser())) {
            String team = teamOf(payload.getTeamId(), ctx);
            String bot = ctx.getBotUserId();
            workers.execute(() -> {
                String threadTs = event.getThreadTs() != null ? event.getThreadTs()
                        : config.replyInThread() ? event.getTs() : null;
                ConversationKey key = new ConversationKey(PLATFORM, team, event.getChannel(), threadTs);
                submit(key, event.getChannel(), event.getTs(), event.getUser(),
                        SlackText.fromUser(event.getText(), bot, names::nameOf), Trigger.MENTION,
                        threadSink(key, event.getChannel(), threadTs, event.getUser()), files(event.getFiles()));
            });
        }
        return ctx.ack();
    }

    /**
     * What a person said in a {@code message} event, whatever its subtype: plain, {@code file_share},
     * {@code thread_broadcast} (answered in its thread, like any reply there) or {@code me_message}.
     */
    record Said(String channel, String channelType, String user, String botId, String text, String ts,
                String threadTs, List<File> files) {
        static Said of(MessageEvent e) {
            return new Said(e.getChannel(), e.getChannelType(), e.getUser(), e.getBotId(), e.getText(), e.getTs(),
                    e.getThreadTs(), e.getFiles());
        }

        static Said of(MessageFileShareEvent e) {
            return new Said(e.getChannel(), e.getChannelType(), e.getUser(), null, e.getText(), e.getTs(),
                    e.getThreadTs(), e.getFiles());
        }

        static Said of(MessageThreadBroadcastEvent e) {
            return new Said(e.getChannel(), e.getChannelType(), e.getUser(), null, e.getText(), e.getTs(),
                    e.getThreadTs(), List.of());
        }

        static Said of(MessageMeEvent e) {
            return new Said(e.getChannel(), e.getChannelType(), e.getUser(), e.getBotId(), e.getText(), e.getTs(),
                    null, List.of());
        }
    }

    private Response onMessage(String eventId, String teamId, Said event, EventContext ctx) {
        String bot = ctx.getBotUserId();
        boolean hasFiles = event.files() != null && !event.files().isEmpty();
        if (!firstDelivery(eventId) || event.botId() != null || event.user() == null
                || event.user().equals(bot) || (event.text() == null && !hasFiles)) {
            return ctx.ack();
        }
        String text = event.text() == null ? "" : event.text();
        boolean direct = "im".equals(event.channelType());
        boolean mentionsBot = bot != null && text.contains("<@" + bot);
        String team = teamOf(teamId, ctx);
        if (direct && allowedUser(event.user())) {
            workers.execute(() -> onDirectMessage(event, text, team, bot));
        } else if (!direct && event.threadTs() != null && !mentionsBot
                && allowed(event.channel(), event.user())) {
            // A mention arrives as app_mention too and is answered there.
            workers.execute(() -> onThreadMessage(event, text, team, bot));
        }
        return ctx.ack();
    }

    private void onDirectMessage(Said event, String text, String team, String bot) {
        ConversationKey key = new ConversationKey(PLATFORM, team, event.channel(), event.threadTs());
        MessageSink sink = event.threadTs() != null && config.nativeStreaming()
                // An assistant thread: Slack's own streaming is smoother than chat.update.
                ? new NativeStreamSink(client, event.channel(), event.threadTs(), event.user(), team,
                        streaming.thinkingText(), streaming.cursor(), team, workers)
                : chatUpdateSink(key, event.channel(), event.threadTs(), e -> { });
        String question = SlackText.fromUser(text, bot, names::nameOf);
        if (event.threadTs() != null && !question.isBlank()) {
            // The assistant panel: status line at once, the thread's title, the channel being looked at.
            question = panel.questionArrived(event.channel(), event.threadTs(), question, !engine.knows(key));
        }
        submit(key, event.channel(), event.ts(), event.user(), question, Trigger.DIRECT_MESSAGE, sink,
                files(event.files()));
    }

    private void onThreadMessage(Said event, String text, String team, String bot) {
        ConversationKey key = new ConversationKey(PLATFORM, team, event.channel(), event.threadTs());
        boolean followUp = engine.knows(key)
                || threadsTakenPart.get(key, history::botTookPart);
        if (followUp) {
            submit(key, event.channel(), event.ts(), event.user(),
                    SlackText.fromUser(text, bot, names::nameOf),
                    Trigger.THREAD_FOLLOW_UP, threadSink(key, event.channel(), event.threadTs(), event.user()),
                    files(event.files()));
        }
    }

    private List<SharedFile> files(List<File> files) {
        return SlackFiles.of(files, config.botToken());
    }

    private Response onAsk(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload command = request.getPayload();
        if (!allowed(command.getChannelId(), command.getUserId())) {
            return ctx.ack("Sorry, I am not available here.");
        }
        String text = command.getText() == null ? "" : command.getText().strip();
        if (text.isEmpty()) {
            return ctx.ack("Ask me something: `/ask what is a monad?`");
        }
        String team = teamOf(command.getTeamId(), ctx);
        ConversationKey key = ConversationKey.channel(PLATFORM, team, command.getChannelId());
        workers.execute(() -> {
            // The first post and the final attempt may both fail: the user is told once.
            AtomicBoolean told = new AtomicBoolean();
            Consumer<PlatformException> explain = failure -> {
                if (NOT_IN_CHANNEL.contains(SlackCalls.errorCode(failure)) && told.compareAndSet(false, true)) {
                    respond(ctx, "I can't post in this channel yet. Invite me with `/invite @"
                            + botName(ctx) + "` and ask again.");
                }
            };
            var sink = new TextKeepingSink(chatUpdateSink(key, command.getChannelId(), null, explain), false);
            buttons.follow(engine.submit(new Incoming(key, command.getUserId(), command.getUserName(), text,
                    Trigger.SLASH_COMMAND, ""), sink), sink, command.getChannelId());
        });
        return ctx.ack();
    }

    private Response onReset(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload command = request.getPayload();
        ConversationKey key = ConversationKey.channel(PLATFORM, teamOf(command.getTeamId(), ctx), command.getChannelId());
        // The store may be slow or away: ack now, confirm through the response_url.
        buttons.forget(key);
        workers.execute(() -> respond(ctx, resetConfirmation(engine.reset(key), "this channel's conversation")
                + " To reset a thread, use “Reset this thread” from the ⋯ menu of a message in it."));
        return ctx.ack();
    }

    /** The "Reset this thread" message shortcut: forgets the thread the message is in (or starts). */
    private Response onResetThread(MessageShortcutRequest request, MessageShortcutContext ctx) {
        MessageShortcutPayload shortcut = request.getPayload();
        String team = shortcut.getTeam() != null ? shortcut.getTeam().getId() : ctx.getTeamId();
        String channel = shortcut.getChannel().getId();
        String threadTs = shortcut.getMessage() != null && shortcut.getMessage().getThreadTs() != null
                ? shortcut.getMessage().getThreadTs() : shortcut.getMessageTs();
        ConversationKey key = new ConversationKey(PLATFORM, teamOf(team, ctx), channel, threadTs);
        buttons.forget(key);
        workers.execute(() -> {
            String text = resetConfirmation(engine.reset(key), "this thread's conversation");
            try {
                ctx.respond(text);
            } catch (Exception e) {
                log.warn("Could not confirm a thread reset: {}", e.getMessage());
            }
        });
        return ctx.ack();
    }

    private static String resetConfirmation(int forgotten, String what) {
        return ResetConfirmation.of(forgotten, what);
    }

    private Response onStop(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload command = request.getPayload();
        String team = teamOf(command.getTeamId(), ctx);
        // Slash commands are typed in the channel, while a mention's answer streams in a thread under it:
        // stop the channel's answers and its threads', on this instance and (shared state) every other.
        int stopped = engine.stopHere(ConversationKey.channel(PLATFORM, team, command.getChannelId()), true);
        return ctx.ack(stopped > 0 ? "Stopped."
                : engine.sharesState() ? "Stopping whatever another instance of mine is writing here."
                : "Nothing is being written here.");
    }

    private Response onStopButton(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload action = request.getPayload();
        String thread = action.getActions().stream()
                .filter(a -> MessageBlocks.STOP_ACTION.equals(a.getActionId()))
                .map(BlockActionPayload.Action::getValue).findFirst().orElse("");
        String team = action.getTeam() == null ? ctx.getTeamId() : action.getTeam().getId();
        ConversationKey key = new ConversationKey(PLATFORM, team, action.getChannel().getId(), thread);
        String clicker = action.getUser().getId();
        // Only the person who asked may stop their answer; others' clicks are ignored (on any instance).
        engine.stopFor(key, clicker);
        return ctx.ack();
    }

    private void submit(ConversationKey key, String channel, String ts, String user, String text, Trigger trigger,
                        MessageSink sink, List<SharedFile> files) {
        // Shared by every instance: the same message delivered to two of them is answered once.
        if (!firstDelivery(channel + "/" + ts) || (text.isBlank() && files.isEmpty())
                || !engine.state().firstDelivery("slack:message:" + channel + "/" + ts, DELIVERY_TTL)) {
            return;
        }
        history.answering.put(key, ts);
        var kept = new TextKeepingSink(sink, sink instanceof NativeStreamSink);
        buttons.follow(engine.submit(new Incoming(key, user, names.nameOf(user), text, trigger, ts, files), kept),
                kept, channel);
    }

    /**
     * The sink for an answer in a channel (thread): Slack's native stream in a thread when {@link
     * #nativeInChannelThreads} (falling back to post/update where Slack refuses), else post/update with a
     * Stop button. Measured on the fakes, both show text equally fresh (the same reply paces both); the
     * native stream has no Stop button and ends its stream whenever healing rewrites text (an open code
     * block), so post/update stays the default in channels.
     */
    private MessageSink threadSink(ConversationKey key, String channel, String threadTs, String asker) {
        if (threadTs != null && config.nativeStreaming() && nativeInChannelThreads) {
            return new NativeStreamSink(client, channel, threadTs, asker, key.workspace(), streaming.thinkingText(),
                    streaming.cursor(), key.workspace() + "/stream", workers);
        }
        return chatUpdateSink(key, channel, threadTs, e -> { });
    }

    private MessageSink chatUpdateSink(ConversationKey key, String channel, String threadTs,
                                       Consumer<PlatformException> onPostFailure) {
        return new ChatUpdateSink(client, channel, threadTs, key.thread(), key.workspace(), workers, onPostFailure);
    }

    private boolean firstDelivery(String id) {
        return id == null || seen.asMap().putIfAbsent(id, Boolean.TRUE) == null;
    }

    private boolean allowed(String channel, String user) {
        return allowedUser(user) && (config.allowedChannels().isEmpty() || config.allowedChannels().contains(channel));
    }

    private boolean allowedUser(String user) {
        return config.allowedUsers().isEmpty() || config.allowedUsers().contains(user);
    }

    private static String teamOf(String team, com.slack.api.bolt.context.Context ctx) {
        return team != null ? team : ctx.getTeamId() == null ? "" : ctx.getTeamId();
    }

    private static String botName(SlashCommandContext ctx) {
        var auth = ctx.getAuthTestResponse();
        return auth != null && auth.getUser() != null ? auth.getUser() : "bot";
    }

    private static void respond(SlashCommandContext ctx, String text) {
        try {
            ctx.respond(text);
        } catch (Exception e) {
            log.warn("Could not send an ephemeral reply: {}", e.getMessage());
        }
    }
}
