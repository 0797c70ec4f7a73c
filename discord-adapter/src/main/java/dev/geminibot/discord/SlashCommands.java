package dev.geminibot.discord;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.ResetConfirmation;
import dev.geminibot.core.engine.Trigger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.guild.GuildReadyEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ask}, {@code /reset}, {@code /stop} and the Stop button. Registers the commands when a shard
 * is ready: globally from shard 0, or per guild in {@code discord.guildIds} (instant, for testing and
 * private bots). Every interaction is acknowledged at once on JDA's event thread (Discord allows 3 s).
 * {@code /stop} in a channel also stops the answers streaming in threads started from it.
 */
final class SlashCommands extends ListenerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(SlashCommands.class);

    static final List<SlashCommandData> COMMANDS = java.util.stream.Stream.concat(Stream.of(
            Commands.slash("ask", "Ask Gemini; the answer streams into this channel")
                    .addOption(OptionType.STRING, "prompt", "Your question", true),
            Commands.slash("reset", "Forget the conversation of this channel or thread"),
            Commands.slash("stop", "Stop the answer being written here")), SettingsCommands.COMMANDS.stream()).toList();

    private final ChatEngine engine;
    private final Allowlist allowlist;
    private final PermissionWarnings permissions;
    private final Set<String> guildIds;
    private final Clock clock;
    private final AnswerButtons buttons;
    private final SettingsCommands settings;

    SlashCommands(ChatEngine engine, Allowlist allowlist, PermissionWarnings permissions, List<String> guildIds,
                  Clock clock, AnswerButtons buttons) {
        this.buttons = buttons;
        this.settings = new SettingsCommands(engine);
        this.engine = engine;
        this.allowlist = allowlist;
        this.permissions = permissions;
        this.guildIds = Set.copyOf(guildIds);
        this.clock = clock;
    }

    @Override
    public void onReady(ReadyEvent event) {
        if (guildIds.isEmpty() && event.getJDA().getShardInfo().getShardId() == 0) {
            event.getJDA().updateCommands().addCommands(COMMANDS).queue(
                    done -> LOG.info("Registered Discord slash commands globally"),
                    failure -> LOG.warn("Could not register slash commands: {}", PlatformErrors.map(failure).getMessage()));
        }
    }

    @Override
    public void onGuildReady(GuildReadyEvent event) {
        if (guildIds.contains(event.getGuild().getId())) {
            event.getGuild().updateCommands().addCommands(COMMANDS).queue(
                    done -> LOG.info("Registered Discord slash commands in guild {}", event.getGuild().getId()),
                    failure -> LOG.warn("Could not register slash commands in guild {}: {}", event.getGuild().getId(),
                            PlatformErrors.map(failure).getMessage()));
        }
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        var channel = event.getChannel();
        if (!allowlist.allows(event.getUser(), event.getMember(), channel)) {
            ephemeral(event, "You can't use Gemini here.");
            return;
        }
        var key = Conversations.keyOf(channel);
        if (settings.handle(event)) {
            return;
        }
        switch (event.getName()) {
            case "ask" -> {
                OptionMapping prompt = event.getOption("prompt");
                String text = prompt == null ? "" : prompt.getAsString().strip();
                if (text.isEmpty()) {
                    ephemeral(event, "Ask something: `/ask prompt: …`");
                    return;
                }
                event.deferReply().queue(ok -> { }, failure -> LOG.warn("Could not acknowledge /ask: {}",
                        PlatformErrors.map(failure).getMessage()));
                String userName = event.getMember() != null
                        ? event.getMember().getEffectiveName() : event.getUser().getEffectiveName();
                var sink = new InteractionSink(event.getHook(), channel, event.getUser().getId(),
                        event.getTimeCreated().toInstant(), clock, permissions);
                buttons.follow(engine.submit(new Incoming(key, event.getUser().getId(), userName, text,
                        Trigger.SLASH_COMMAND, ""), sink), sink);
            }
            case "reset" -> {
                // The state store may be slow or away: acknowledge within Discord's 3 s, confirm once written.
                event.deferReply(true).queue(ok -> { }, failure -> LOG.warn("Could not acknowledge /reset: {}",
                        PlatformErrors.map(failure).getMessage()));
                String what = channel instanceof ThreadChannel ? "this thread's conversation" : "our conversation here";
                Thread.ofVirtual().name("discord-reset").start(() -> {
                    buttons.forget(key, channel);
                    String text = ResetConfirmation.of(engine.reset(key), what);
                    event.getHook().editOriginal(text).setAllowedMentions(List.of()).queue(ok -> { },
                            failure -> LOG.warn("Could not confirm /reset: {}", PlatformErrors.map(failure).getMessage()));
                });
            }
            case "stop" -> ephemeral(event, stopHereAndBelow(event.getJDA(), channel) ? "Stopped."
                    : "Nothing is being written here.");
            default -> ephemeral(event, "Unknown command.");
        }
    }

    /**
     * Stops the answer being written in {@code channel} and, for a channel (not a thread or DM), those in
     * threads started from it: with {@code discord.replyInThread} a mention's answer streams in a new thread
     * that is a conversation of its own, while {@code /stop} is typed in the channel the question was asked in.
     */
    private boolean stopHereAndBelow(JDA jda, MessageChannel channel) {
        var key = Conversations.keyOf(channel);
        if (!(channel instanceof GuildChannel guildChannel) || channel instanceof ThreadChannel) {
            return engine.stop(key);
        }
        String guildId = guildChannel.getGuild().getId();
        long channelId = channel.getIdLong();
        return engine.stopAll(other -> other.equals(key) || isThreadOf(jda, other, guildId, channelId)) > 0;
    }

    /** Whether {@code key} is the conversation of a thread (known to this shard) under channel {@code parentId}. */
    private static boolean isThreadOf(JDA jda, ConversationKey key, String guildId, long parentId) {
        if (!key.platform().equals(Conversations.PLATFORM) || !key.workspace().equals(guildId) || !key.inThread()) {
            return false;
        }
        ThreadChannel thread;
        try {
            thread = jda.getThreadChannelById(key.channel());
        } catch (NumberFormatException notASnowflake) {
            return false;
        }
        return thread != null && thread.getParentChannel().getIdLong() == parentId;
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        var asker = DiscordMessages.stopButtonAsker(event.getComponentId());
        if (asker.isEmpty()) {
            return;
        }
        if (!event.getUser().getId().equals(asker.get()) && !canManageMessages(event.getMember(), event)) {
            ephemeral(event, "Only the person who asked, or someone who can manage messages, can stop this answer.");
            return;
        }
        // The button stops the answer of its asker only: a button left over on a finished answer (its final
        // edit still on the way, or given up) must not stop the next answer written in the same channel.
        Optional<Answer> writing = engine.current(Conversations.keyOf(event.getChannel()))
                .filter(answer -> answer.incoming().userId().equals(asker.get()));
        if (writing.isEmpty()) {
            ephemeral(event, "This answer is already finished.");
            return;
        }
        // Acknowledge without changing the message: the engine's final edit removes the button.
        event.deferEdit().queue(ok -> { }, failure -> { });
        writing.get().stop();
    }

    private static boolean canManageMessages(Member member, ButtonInteractionEvent event) {
        return member != null && event.getChannel() instanceof GuildChannel channel
                && member.hasPermission(channel, Permission.MESSAGE_MANAGE);
    }

    private static void ephemeral(IReplyCallback event, String text) {
        event.reply(text).setEphemeral(true).setAllowedMentions(List.of()).queue(ok -> { }, failure -> { });
    }
}
