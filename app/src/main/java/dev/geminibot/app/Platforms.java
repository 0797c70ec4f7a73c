package dev.geminibot.app;

import dev.geminibot.app.ops.Readiness;
import dev.geminibot.config.BotConfig;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.ops.Health;
import dev.geminibot.discord.DiscordBot;
import dev.geminibot.slack.SlackBot;
import java.util.ArrayList;
import java.util.List;

/** Starts the platform adapters the configuration turns on, and reports their readiness. */
final class Platforms {
    static final String DISCORD = "discord";
    static final String SLACK = "slack";

    private Platforms() {
    }

    /**
     * Starts Discord and/or Slack, whichever have their secrets, registering each with {@code readiness}
     * (DOWN "starting" until it has started, then its own check). If one fails to start, the ones already
     * started are closed and the failure is thrown.
     */
    static List<AutoCloseable> start(BotConfig settings, ChatEngine engine, Readiness readiness) {
        registerStarting(settings, readiness);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            if (settings.discord().enabled()) {
                DiscordBot discord = DiscordBot.start(settings.discord(), engine);
                started.add(discord);
                readiness.register(DISCORD, discord::health);
            }
            if (settings.slack().enabled()) {
                SlackBot slack = SlackBot.start(settings, engine);
                started.add(slack);
                readiness.register(SLACK, slack::health);
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

    /**
     * Registers every configured platform as DOWN ("starting"): call before the operations listener opens,
     * so that {@code /readyz} never says UP before the platforms have connected.
     */
    static void registerStarting(BotConfig settings, Readiness readiness) {
        if (settings.discord().enabled()) {
            readiness.register(DISCORD, () -> Health.down("starting"));
        }
        if (settings.slack().enabled()) {
            readiness.register(SLACK, () -> Health.down("starting"));
        }
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
