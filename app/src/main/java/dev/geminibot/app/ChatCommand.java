package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.LimitsConfig;
import dev.geminibot.config.StateBackend;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.Answer;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.Trigger;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.state.StateOpenException;
import dev.geminibot.state.StateStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gemini-bot chat}: a conversation in the terminal through the same engine the platforms use.
 * Each line is a message; the answer streams into a block that is redrawn in place. {@code /reset}
 * forgets the conversation, {@code /stop} or Ctrl-C stops the answer, a second Ctrl-C or end of input
 * exits (after the answer being written is complete).
 */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Chat with the bot in the terminal (offline demo model when GEMINI_API_KEY is not set).",
                "Commands: /reset forgets the conversation, /stop stops the answer, /exit quits.",
                "Ctrl-C stops the answer being written; a second Ctrl-C exits."})
final class ChatCommand implements Callable<Integer> {
    private static final String EXIT = "\u0000exit";
    private static final ConversationKey KEY = ConversationKey.channel("terminal", "local", "chat");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Mixin
    ModelOptions models;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile long lastInterrupt;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BotConfig settings = config.load(main.env, err, ConfigOptions.Audience.TERMINAL);
        if (settings == null) {
            return Main.EXIT_CONFIG;
        }
        ChatModel model = models.choose(settings, Models.WithoutKey.USE_DEMO, null, err);
        Terminal terminal = main.in == System.in ? Terminal.detect() : Terminal.pipe();
        if (terminal.interactive()) {
            err.println("Chatting with " + model.name() + ". /reset forgets, /stop or Ctrl-C stops an answer, "
                    + "/exit or Ctrl-D quits.");
        }
        err.flush();

        // One person at a keyboard: the per-user rate limit is for shared channels, not for this.
        LimitsConfig limits = settings.limits();
        BotConfig chatSettings = settings.withLimits(new LimitsConfig(limits.maxConcurrentAnswers(),
                Integer.MAX_VALUE / 2, limits.maxPromptChars(), limits.maxQueuedPerConversation()));
        TerminalSink sink = new TerminalSink(out, terminal);
        StateStore state;
        try {
            // chat remembers nothing between runs unless state.backend says otherwise.
            state = StateStores.open(settings.state(), settings.context(), StateBackend.MEMORY, Scheduler.system());
        } catch (StateOpenException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return Main.EXIT_CONFIG;
        }
        try (state; ChatEngine engine = new ChatEngine(model, chatSettings, Scheduler.system(), state)) {
            Interrupts.onInterrupt(() -> interrupted(engine));
            Thread.ofVirtual().name("chat-input").start(() -> readLines(engine));
            while (true) {
                if (terminal.interactive()) {
                    out.print("> ");
                    out.flush();
                }
                String line = lines.take();
                if (line.equals(EXIT)) {
                    break;
                }
                if (line.equals("/reset")) {
                    engine.reset(KEY);
                    err.println("(conversation forgotten)");
                    err.flush();
                    continue;
                }
                Answer answer = engine.submit(new Incoming(KEY, "terminal-user", "you", line,
                        Trigger.DIRECT_MESSAGE, ""), sink);
                answer.done().join();
                sink.endAnswer();
            }
            engine.shutdown(Duration.ofSeconds(5));
        }
        return 0;
    }

    /** Reads stdin on its own thread so /stop works while an answer is being written. */
    private void readLines(ChatEngine engine) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (trimmed.equals("/stop")) {
                    engine.stop(KEY);
                } else if (trimmed.equals("/exit") || trimmed.equals("/quit")) {
                    break;
                } else {
                    lines.add(trimmed);
                }
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot read input: " + e.getMessage());
        } finally {
            lines.add(EXIT);
        }
    }

    /** First Ctrl-C stops the answer being written; a second one (or one with nothing to stop) exits. */
    private void interrupted(ChatEngine engine) {
        long now = System.nanoTime();
        boolean twice = now - lastInterrupt < Duration.ofSeconds(2).toNanos();
        lastInterrupt = now;
        if (!twice && engine.stop(KEY)) {
            return;
        }
        engine.stop(KEY);
        lines.add(EXIT);
        if (twice) {
            // The main thread may be waiting on an answer: let it finish its final edit, then leave.
            Thread.ofVirtual().start(() -> {
                engine.shutdown(Duration.ofSeconds(3));
                System.exit(AskCommand.EXIT_INTERRUPTED);
            });
        }
    }
}
