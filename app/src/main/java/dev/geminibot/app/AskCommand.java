package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.FinishReason;
import dev.geminibot.core.model.Finished;
import dev.geminibot.core.model.ModelException;
import dev.geminibot.core.model.ModelStream;
import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.TextDelta;
import dev.geminibot.core.model.ThinkingDelta;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gemini-bot ask "PROMPT"}: one answer streamed to stdout as it arrives. Status (thinking, a cut
 * answer, a failure) goes to stderr so stdout carries only the answer and can be piped.
 */
@Command(name = "ask", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Streams one answer to stdout.",
                "Exit status: 0 answered, 1 the model failed or refused, 2 configuration error, 130 interrupted."})
final class AskCommand implements Callable<Integer> {
    static final int EXIT_FAILED = 1;
    static final int EXIT_INTERRUPTED = 130;
    /** Failures whose short message hides what the server said; their full (redacted) message follows. */
    private static final java.util.Set<ModelException.Kind> DETAILED = java.util.EnumSet.of(
            ModelException.Kind.BAD_REQUEST, ModelException.Kind.INTERRUPTED, ModelException.Kind.PROTOCOL);

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Mixin
    ModelOptions models;

    @Parameters(paramLabel = "PROMPT", arity = "1..*",
            description = "The question; several words are joined by spaces; - reads it from stdin.")
    List<String> prompt;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BotConfig settings = config.load(main.env, err, ConfigOptions.Audience.TERMINAL);
        if (settings == null) {
            return Main.EXIT_CONFIG;
        }
        ChatModel model = models.choose(settings, Models.WithoutKey.REFUSE,
                "To try the bot offline: gemini-bot ask --demo \"PROMPT\", or gemini-bot chat", err);
        if (model == null) {
            return Main.EXIT_CONFIG;
        }
        String question = question();
        if (question.isBlank()) {
            err.println("error: the prompt is empty");
            return Main.EXIT_CONFIG;
        }
        try (ModelStream stream = model.stream(ChatRequest.of(settings.gemini().systemPrompt(), question))) {
            Interrupts.onInterrupt(stream::cancel);
            return write(stream, out, err);
        }
    }

    private String question() throws IOException {
        if (prompt.size() == 1 && prompt.get(0).equals("-")) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
            return reader.lines().collect(Collectors.joining("\n"));
        }
        return String.join(" ", prompt);
    }

    private static int write(ModelStream stream, PrintWriter out, PrintWriter err) {
        boolean wroteText = false;
        boolean saidThinking = false;
        try {
            Finished finished = null;
            for (StreamEvent event : stream) {
                switch (event) {
                    case TextDelta delta -> {
                        out.print(delta.text());
                        out.flush();
                        wroteText = true;
                    }
                    case ThinkingDelta thinking -> {
                        if (!saidThinking && !wroteText) {
                            err.println("(thinking…)");
                            err.flush();
                            saidThinking = true;
                        }
                    }
                    case dev.geminibot.core.model.ToolActivity tool -> { } // stdout carries the answer only
                    case Finished end -> finished = end;
                }
            }
            if (wroteText) {
                out.println();
                out.flush();
            }
            FinishReason reason = finished == null ? FinishReason.OTHER : finished.reason();
            if (reason == FinishReason.STOP) {
                return 0;
            }
            if (reason == FinishReason.MAX_TOKENS) {
                err.println("note: the answer was cut at the maximum length (gemini.maxOutputTokens)");
                return 0;
            }
            err.println("error: Gemini stopped: " + describe(reason, finished));
            return EXIT_FAILED;
        } catch (ModelException failure) {
            if (wroteText) {
                out.println();
                out.flush();
            }
            if (failure.kind() == ModelException.Kind.CANCELLED) {
                err.println("stopped");
                return EXIT_INTERRUPTED;
            }
            err.println("error: " + failure.userMessage());
            if (DETAILED.contains(failure.kind())) {
                err.println("  (" + failure.getMessage() + ")"); // the server's words: already redacted
            }
            return EXIT_FAILED;
        } finally {
            err.flush();
        }
    }

    private static String describe(FinishReason reason, Finished finished) {
        String name = reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        String detail = finished == null ? null : finished.detail();
        if (reason == FinishReason.OTHER && detail != null && !detail.isBlank()) {
            return detail; // the reason as Gemini named it (a name this version does not know)
        }
        return detail == null || detail.isBlank() ? name : name + " (" + detail + ")";
    }
}
