package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.app.ops.Metrics;
import dev.geminibot.app.ops.OpsServer;
import dev.geminibot.app.ops.Readiness;
import dev.geminibot.config.OpsConfig;
import dev.geminibot.config.StateBackend;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.state.StateOpenException;
import dev.geminibot.state.StateStores;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

    /**
     * How long shutdown waits for the answers being written to make their final edits. Deployment files
     * give the process more than this before they kill it (Docker's stop timeout, systemd's TimeoutStopSec).
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        BotConfig settings = config.load(main.env, err, ConfigOptions.Audience.SERVICE);
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
            state = StateStores.open(settings.state(), settings.context(), StateBackend.SQLITE, Scheduler.system());
        } catch (StateOpenException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        ChatModel model = Models.choose(settings, null, false, Models.WithoutKey.REFUSE, null, err);
        PrometheusMeterRegistry metrics = Metrics.prometheus();
        Readiness readiness = new Readiness();
        // DOWN while the backend is unreachable (the bot still answers, without history), never a password.
        readiness.register("state", state::health);
        Platforms.registerStarting(settings, readiness);
        OpsServer ops;
        try {
            ops = startOps(settings.ops(), readiness, metrics);
        } catch (OpsServer.PortInUseException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            state.close();
            return Main.EXIT_CONFIG;
        }
        ChatEngine engine = new ChatEngine(model, settings, Scheduler.system(), state, metrics);
        List<AutoCloseable> started;
        try {
            started = Platforms.start(settings, engine, readiness);
        } catch (RuntimeException e) {
            err.println("error: could not start: " + e.getMessage());
            err.flush();
            closeAll(List.of(state), engine, ops);
            return 1;
        }
        List<AutoCloseable> platforms = new java.util.ArrayList<>(started);
        // Closed last, after the engine stored the final exchanges and the platforms disconnected.
        platforms.add(state);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable shutdown = () -> {
            if (closed.compareAndSet(false, true)) {
                readiness.stopping();
                log.info("shutting down: finalising the answers being written");
                closeAll(platforms, engine, ops);
            }
        };
        Thread hook = new Thread(shutdown, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("gemini-bot is running on {} with model {}; state backend: {}", Platforms.names(settings),
                settings.gemini().model(), state.backend());
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

    /** The operations listener, or null when {@code ops.port} is 0. */
    private static OpsServer startOps(OpsConfig config, Readiness readiness, PrometheusMeterRegistry metrics) {
        if (!config.enabled()) {
            log.info("operations listener off (ops.port: 0)");
            return null;
        }
        OpsServer ops = OpsServer.start(config.host(), config.port(), readiness, metrics);
        log.info("operations listener on http://{}:{} (/healthz, /readyz, /metrics)", config.host(),
                ops.address().getPort());
        return ops;
    }

    /**
     * Every reason the bot cannot run, each naming the variables to set. (A half-configured Slack is
     * reported by the configuration's own validation, before this.)
     */
    static List<String> problems(BotConfig settings) {
        List<String> problems = new ArrayList<>();
        if (!settings.discord().enabled() && !settings.slack().enabled()) {
            problems.add(NO_PLATFORM);
        }
        if (settings.gemini().apiKey().isEmpty()) {
            problems.add(Models.MISSING_KEY);
        }
        return problems;
    }

    private static void closeAll(List<AutoCloseable> platforms, ChatEngine engine, OpsServer ops) {
        // Engine first: it finalises open answers while the platforms can still carry the final edits.
        engine.shutdown(SHUTDOWN_GRACE);
        for (AutoCloseable platform : platforms) {
            try {
                platform.close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", platform, e.toString());
            }
        }
        if (ops != null) {
            ops.close();
        }
    }
}
