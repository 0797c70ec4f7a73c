package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.discord.DiscordBot;
import dev.geminibot.slack.SlackBot;
import java.util.ArrayList;
import java.util.List;

/** Starts the platform adapters the configuration turns on. */
final class Platforms {
    private Platforms() {
    }

    /**
     * Starts Discord and/or Slack, whichever have their secrets. If one fails to start, the ones already
     * started are closed and the failure is thrown.
     */
    static List<AutoCloseable> start(BotConfig settings, ChatEngine engine) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            if (settings.discord().enabled()) {
                started.add(DiscordBot.start(settings.discord(), engine));
            }
            if (settings.slack().enabled()) {
                started.add(SlackBot.start(settings, engine));
            }
        } catch (RuntimeException e) {
            for (AutoCloseable platform : started) {
                try {
                    platform.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return started;
    }

    static String names(BotConfig settings) {
        List<String> names = new ArrayList<>();
        if (settings.discord().enabled()) {
            names.add("Discord");
        }
        if (settings.slack().enabled()) {
            names.add("Slack (" + settings.slack().effectiveMode().name().toLowerCase(java.util.Locale.ROOT) + " mode)");
        }
        return String.join(" and ", names);
    }
}
