package dev.geminibot.app;

import dev.geminibot.app.ops.Readiness;
import dev.geminibot.config.BotConfig;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.ops.HealthCheck;
import dev.geminibot.discord.DiscordBot;
import dev.geminibot.slack.SlackBot;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the platform adapters the configuration turns on, and reports their readiness. */
final class Platforms {
    private static final Logger log = LoggerFactory.getLogger(Platforms.class);
    static final String DISCORD = "discord";
    static final String SLACK = "slack";
    /** How long to wait before trying again to reach a platform that could not be reached at start-up. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(10);

    private Platforms() {
    }

    /**
     * Starts Discord and/or Slack, whichever have their secrets, registering each with {@code readiness}
     * (DOWN "starting" until it has started, then its own check). A platform that cannot be reached (a
     * network error) is retried in the background every {@link #RETRY_EVERY}, DOWN meanwhile: it never
     * stops the process. A platform that refuses the bot (a rejected token) is thrown, after the ones
     * already started are closed.
     */
    static List<AutoCloseable> start(BotConfig settings, ChatEngine engine, Readiness readiness) {
        registerStarting(settings, readiness);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            if (settings.discord().enabled()) {
                started.add(startOrRetry(DISCORD, () -> DiscordBot.start(settings.discord(), engine),
                        discord -> discord::health, readiness));
            }
            if (settings.slack().enabled()) {
                started.add(startOrRetry(SLACK, () -> SlackBot.start(settings, engine,
                                settings.slack().nativeStreamingInChannels()), slack -> slack::health, readiness));
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

    private static <T extends AutoCloseable> AutoCloseable startOrRetry(
            String name, Supplier<T> starter, Function<T, HealthCheck> health, Readiness readiness) {
        try {
            T platform = starter.get();
            readiness.register(name, health.apply(platform));
            return platform;
        } catch (RuntimeException e) {
            if (!unreachable(e)) {
                throw e;
            }
            Retrying<T> retrying = new Retrying<>(name, starter, health, readiness);
            retrying.failed(e);
            retrying.thread.start();
            return retrying;
        }
    }

    /** A network failure (no answer at all), as opposed to an answer that refuses the bot. */
    static boolean unreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Why, in a few words and without a secret: the innermost cause's type and message. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + (message.length() > 120 ? message.substring(0, 120) : message);
    }

    /** A platform being retried in the background until it starts, it refuses, or the bot stops. */
    private static final class Retrying<T extends AutoCloseable> implements AutoCloseable {
        private final String name;
        private final Supplier<T> starter;
        private final Function<T, HealthCheck> health;
        private final Readiness readiness;
        private final Thread thread;
        private volatile T platform;
        private volatile boolean closed;

        Retrying(String name, Supplier<T> starter, Function<T, HealthCheck> health, Readiness readiness) {
            this.name = name;
            this.starter = starter;
            this.health = health;
            this.readiness = readiness;
            this.thread = Thread.ofVirtual().name(name + "-connect").unstarted(this::retry);
        }

        void failed(RuntimeException e) {
            String why = reason(e);
            log.warn("{} cannot be reached ({}); trying again every {} s", name, why, RETRY_EVERY.toSeconds());
            readiness.register(name, () -> Health.down("cannot connect: " + why + "; retrying"));
        }

        private void retry() {
            while (!closed) {
                try {
                    Thread.sleep(RETRY_EVERY);
                } catch (InterruptedException stop) {
                    return;
                }
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    try {
                        platform = starter.get();
                        readiness.register(name, health.apply(platform));
                        log.info("{} connected after all", name);
                        return;
                    } catch (RuntimeException e) {
                        if (!unreachable(e)) {
                            log.error("{} refused to start: {}", name, e.getMessage());
                            readiness.register(name, () -> Health.down("refused: " + reason(e)));
                            return;
                        }
                        failed(e);
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            closed = true;
            thread.interrupt();
            synchronized (this) {
                if (platform != null) {
                    platform.close();
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
