package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.engine.ChatEngine;
import java.util.ArrayList;
import java.util.List;

/** Starts the platform adapters the configuration turns on. */
final class Platforms {
    private Platforms() {
    }

    static List<AutoCloseable> start(BotConfig settings, ChatEngine engine) {
        List<AutoCloseable> started = new ArrayList<>();
        if (settings.discord().enabled()) {
            throw new IllegalStateException("the Discord adapter is not part of this build yet");
        }
        if (settings.slack().enabled()) {
            throw new IllegalStateException("the Slack adapter is not part of this build yet");
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
