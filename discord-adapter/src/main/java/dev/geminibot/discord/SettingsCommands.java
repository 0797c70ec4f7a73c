package dev.geminibot.discord;

import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.settings.SettingsCommand;
import dev.geminibot.core.settings.SettingsCommand.Setting;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /model [name]}, {@code /system [text | reset]} and {@code /search [on|off]} on Discord. They are
 * registered without default member permissions, so everyone sees them and may read the settings; to change
 * one, the bot itself checks that the member has Manage Channels in the channel (a thread: its parent), from
 * the member's roles and the channel's overwrites as JDA computes them (a guild owner has every
 * permission). In a DM the person is alone with the bot and may change its settings. Replies are ephemeral.
 */
final class SettingsCommands {

    static final List<SlashCommandData> COMMANDS = List.of(
            Commands.slash("model", "Show this channel's Gemini model, or set it")
                    .addOption(OptionType.STRING, "name", "One of the allowed models", false),
            Commands.slash("system", "Show this channel's system prompt, set it, or reset it")
                    .addOption(OptionType.STRING, "text", "The new system prompt, or reset for the default", false),
            Commands.slash("search", "Show whether Google Search grounds answers here, or turn it on or off")
                    .addOptions(new OptionData(OptionType.STRING, "value", "on or off", false)
                            .addChoice("on", "on").addChoice("off", "off")));

    static final String WHO_MAY = "members who can manage this channel";
    private static final Logger LOG = LoggerFactory.getLogger(SettingsCommands.class);

    private final ChatEngine engine;
    private final SettingsCommand command;

    SettingsCommands(ChatEngine engine) {
        this.engine = engine;
        this.command = new SettingsCommand(engine.settings());
    }

    /** Handles the command if it is one of the three; false otherwise. */
    boolean handle(SlashCommandInteractionEvent event) {
        Optional<Setting> setting = Setting.ofCommand(event.getName());
        if (setting.isEmpty()) {
            return false;
        }
        MessageChannel channel = event.getChannel();
        SettingsCommand.Request request = request(setting.get(), event.getSubcommandName(), event.getOptions());
        BooleanSupplier mayChange = mayChange(event.getMember(), channel);
        // The settings live in the state store, which may be slow or away: acknowledge within Discord's 3 s
        // (visible only to the caller), then answer by editing that reply off JDA's event thread.
        event.deferReply(true).queue(ok -> { }, failure -> LOG.warn("Could not acknowledge /{}: {}",
                event.getName(), PlatformErrors.map(failure).getMessage()));
        Thread.ofVirtual().name("discord-settings").start(() -> {
            String reply = command.run(request, Conversations.settingsChannel(channel), mayChange, WHO_MAY);
            event.getHook().editOriginal(reply).setAllowedMentions(List.of()).queue(ok -> { },
                    failure -> LOG.warn("Could not answer /{}: {}", event.getName(), PlatformErrors.map(failure).getMessage()));
        });
        return true;
    }

    /**
     * The request from the value given as the first option, or as a {@code set}/{@code reset}/{@code on}/
     * {@code off} subcommand; a boolean option counts as on or off.
     */
    static SettingsCommand.Request request(Setting setting, String subcommand, List<OptionMapping> options) {
        String value = options.isEmpty() ? "" : valueOf(options.getFirst());
        if (subcommand != null) {
            return switch (subcommand) {
                case "reset" -> new SettingsCommand.Reset(setting);
                case "on", "off" -> new SettingsCommand.Set(setting, subcommand);
                case "set" -> value.isBlank() ? new SettingsCommand.Show(setting) : new SettingsCommand.Set(setting, value.strip());
                default -> SettingsCommand.parse(setting, value);
            };
        }
        return SettingsCommand.parse(setting, value);
    }

    private static String valueOf(OptionMapping option) {
        return option.getType() == OptionType.BOOLEAN ? (option.getAsBoolean() ? "on" : "off") : option.getAsString();
    }

    private static BooleanSupplier mayChange(Member member, MessageChannel channel) {
        return () -> {
            if (!(channel instanceof GuildChannel guildChannel)) {
                return true;
            }
            GuildChannel scope = channel instanceof ThreadChannel thread ? thread.getParentChannel() : guildChannel;
            return member != null && member.hasPermission(scope, Permission.MANAGE_CHANNEL);
        };
    }
}
