package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.StateBackend;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.state.StateOpenException;
import dev.geminibot.state.StateStores;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gemini-bot run}: starts every platform whose secrets are present and serves until the process
 * is stopped; on SIGTERM or Ctrl-C every answer being written is finalised before the process exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Runs the bot on every platform whose secrets are set:",
                "  Discord: DISCORD_BOT_TOKEN",
                "  Slack:   SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)",
                "GEMINI_API_KEY is required. Exit status 2 on a configuration error."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    static final String NO_PLATFORM = """
            No chat platform is configured. Set one of:
              DISCORD_BOT_TOKEN                                  for Discord
              SLACK_BOT_TOKEN and SLACK_APP_TOKEN                for Slack in Socket Mode
              SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET           for Slack over HTTP
            To try the bot without a platform: gemini-bot chat""";

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BotConfig settings = config.load(main.env, err);
        if (settings == null) {
            return Main.EXIT_CONFIG;
        }
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.flush();
            return Main.EXIT_CONFIG;
        }
        StateStore state;
        try {
            // run keeps its state in ./gemini-bot.db unless state.* says otherwise.
            state = StateStores.open(settings.state(), StateBackend.SQLITE, Scheduler.system());
        } catch (StateOpenException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        ChatEngine engine = new ChatEngine(Models.gemini(settings.gemini()), settings, Scheduler.system(), state);
        List<AutoCloseable> started;
        try {
            started = Platforms.start(settings, engine);
        } catch (RuntimeException e) {
            err.println("error: could not start: " + e.getMessage());
            err.flush();
            closeAll(List.of(state), engine);
            return 1;
        }
        List<AutoCloseable> platforms = new ArrayList<>(started);
        // Closed last, after the engine stored the final exchanges and the platforms disconnected.
        platforms.add(state);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                log.info("shutting down: finalising the answers being written");
                closeAll(platforms, engine);
            }
        };
        Thread hook = new Thread(shutdown, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("gemini-bot is running on {} with model {}", Platforms.names(settings), settings.gemini().model());
        try {
            // Serves until SIGTERM/Ctrl-C (the hook) or, when embedded, until this thread is interrupted.
            new CountDownLatch(1).await();
        } catch (InterruptedException interrupted) {
            shutdown.run();
            Runtime.getRuntime().removeShutdownHook(hook);
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Every reason the bot cannot run, each naming the variables to set. */
    static List<String> problems(BotConfig settings) {
        List<String> problems = new ArrayList<>();
        SlackConfig slack = settings.slack();
        boolean slackPartly = slack.botToken().isPresent() || slack.appToken().isPresent()
                || slack.signingSecret().isPresent();
        if (slackPartly && slack.botToken().isEmpty()) {
            problems.add("SLACK_BOT_TOKEN is not set (it is needed with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET).");
        } else if (slackPartly && !slack.enabled()) {
            problems.add("SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor "
                    + "SLACK_SIGNING_SECRET (HTTP) is.");
        }
        if (!settings.discord().enabled() && !slackPartly) {
            problems.add(NO_PLATFORM);
        }
        if (settings.gemini().apiKey().isEmpty()) {
            problems.add(Models.MISSING_KEY);
        }
        return problems;
    }

    private static void closeAll(List<AutoCloseable> platforms, ChatEngine engine) {
        // Engine first: it finalises open answers while the platforms can still carry the final edits.
        engine.shutdown(Duration.ofSeconds(10));
        for (AutoCloseable platform : platforms) {
            try {
                platform.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", platform, e.toString());
            }
        }
    }
}
