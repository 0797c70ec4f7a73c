package dev.geminibot.core.settings;

import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.StateUnavailableException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * {@code /model}, {@code /system} and {@code /search}, the same on every platform: an adapter parses its
 * platform's command into a {@link Request} and shows the returned text to the caller only. Reading is
 * open to everyone; changing asks the adapter's permission check, and only then.
 */
public final class SettingsCommand {
    /** Longest system prompt quoted back, so a reply fits any platform's message. */
    static final int QUOTE_MAX = 1500;

    private final ChannelSettings settings;

    public SettingsCommand(ChannelSettings settings) {
        this.settings = settings;
    }

    /** Which setting a command is about. */
    public enum Setting {
        MODEL("model"), SYSTEM("system"), SEARCH("search");

        private final String command;

        Setting(String command) {
            this.command = command;
        }

        /** The command's name without the slash. */
        public String command() {
            return command;
        }

        /** The setting a command name (with or without its slash) stands for. */
        public static Optional<Setting> ofCommand(String name) {
            String bare = name.startsWith("/") ? name.substring(1) : name;
            for (Setting setting : values()) {
                if (setting.command.equals(bare)) {
                    return Optional.of(setting);
                }
            }
            return Optional.empty();
        }
    }

    /** What the caller asked: show the value, set it, or (for the system prompt) reset it. */
    public sealed interface Request {
        Setting setting();
    }

    public record Show(Setting setting) implements Request {
    }

    public record Set(Setting setting, String value) implements Request {
    }

    public record Reset(Setting setting) implements Request {
    }

    /**
     * Parses the text after a command as typed on Slack: nothing shows, {@code reset} resets the system
     * prompt, anything else sets. {@code /system reset} is the only way to reset; to set the system prompt
     * to the word "reset", nobody will mind that this is impossible.
     */
    public static Request parse(Setting setting, String text) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            return new Show(setting);
        }
        if (setting == Setting.SYSTEM && value.equalsIgnoreCase("reset")) {
            return new Reset(setting);
        }
        return new Set(setting, value);
    }

    /**
     * Runs {@code request} in {@code channel} and returns what to tell the caller.
     *
     * @param mayChange  whether the caller may change settings here; asked only for a change
     * @param whoMay     who may change them on this platform, for a refusal ("members who can manage
     *                   this channel")
     */
    public String run(Request request, ChannelRef channel, BooleanSupplier mayChange, String whoMay) {
        if (request instanceof Show show) {
            return show(show.setting(), channel);
        }
        if (!mayChange.getAsBoolean()) {
            return "Only " + whoMay + " can change the " + noun(request.setting()) + " here. "
                    + show(request.setting(), channel);
        }
        try {
            return switch (request) {
                case Set set -> set(set.setting(), set.value(), channel);
                case Reset reset -> reset(reset.setting(), channel);
                case Show show -> show(show.setting(), channel);
            };
        } catch (StateUnavailableException e) {
            return "⚠ I could not save that: my storage is unavailable. Try again in a minute.";
        }
    }

    private String show(Setting setting, ChannelRef channel) {
        ChannelSettings.InForce now = settings.inForce(channel);
        return switch (setting) {
            case MODEL -> "Model here: `" + now.model().value() + "` (" + origin(now.model().source()) + "). "
                    + "Allowed: " + allowedList() + ".";
            case SYSTEM -> "System prompt here (" + origin(now.systemPrompt().source()) + "):\n"
                    + quote(now.systemPrompt().value());
            case SEARCH -> "Google Search here: " + (now.search().value() ? "on" : "off") + " ("
                    + origin(now.search().source()) + ").";
        };
    }

    private String set(Setting setting, String value, ChannelRef channel) {
        return switch (setting) {
            case MODEL -> {
                if (!settings.allowedModels().contains(value)) {
                    yield "`" + value + "` is not one of the allowed models: " + allowedList() + ".";
                }
                settings.setModel(channel, value);
                yield "Model for this channel and its threads: `" + value + "`. The next answer uses it.";
            }
            case SYSTEM -> {
                settings.setSystemPrompt(channel, value);
                yield "System prompt for this channel and its threads set. The next answer uses it:\n" + quote(value);
            }
            case SEARCH -> {
                Optional<Boolean> on = onOff(value);
                if (on.isEmpty()) {
                    yield "Use `/search on` or `/search off`.";
                }
                settings.setSearch(channel, on.get());
                yield "Google Search for this channel and its threads: " + (on.get() ? "on" : "off") + ".";
            }
        };
    }

    private String reset(Setting setting, ChannelRef channel) {
        if (setting != Setting.SYSTEM) {
            return show(setting, channel);
        }
        settings.resetSystemPrompt(channel);
        return "System prompt reset to the default:\n" + quote(settings.defaultSystemPrompt());
    }

    /** {@code on}/{@code off} and the other ways people say it. */
    static Optional<Boolean> onOff(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "enable", "enabled" -> Optional.of(true);
            case "off", "false", "no", "disable", "disabled" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private String allowedList() {
        return settings.allowedModels().stream().map(m -> "`" + m + "`").collect(Collectors.joining(", "));
    }

    private static String origin(ChannelSettings.Source source) {
        return source == ChannelSettings.Source.CHANNEL ? "set for this channel" : "the default";
    }

    private static String noun(Setting setting) {
        return switch (setting) {
            case MODEL -> "model";
            case SYSTEM -> "system prompt";
            case SEARCH -> "Google Search setting";
        };
    }

    private static String quote(String text) {
        if (text.isBlank()) {
            return "> (none)";
        }
        String shown = text.length() > QUOTE_MAX ? text.substring(0, QUOTE_MAX) + "…" : text;
        return shown.lines().map(line -> "> " + line).collect(Collectors.joining("\n"));
    }
}
