package dev.geminibot.app;

import dev.geminibot.config.BotConfig;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.demo.DemoModel;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the terminal commands that choose the model: Gemini, or the offline demo. */
final class ModelOptions {

    @Option(names = "--demo", description = "Use the built-in offline demo model instead of Gemini.")
    boolean demo;

    @Option(names = "--demo-pace", hidden = true, defaultValue = "25",
            description = "Milliseconds between the demo model's pieces (tests use 0).")
    long demoPaceMillis;

    /** The demo model at the requested pace: a thinking pause of twelve pieces, at most 300 ms. */
    DemoModel demoModel() {
        return new DemoModel(Duration.ofMillis(demoPaceMillis), Duration.ofMillis(Math.min(300, 12 * demoPaceMillis)));
    }

    /** The model for this command: see {@link Models#choose}. Null (after saying why) when it cannot run. */
    ChatModel choose(BotConfig settings, Models.WithoutKey withoutKey, String hint, PrintWriter err) {
        return Models.choose(settings, this::demoModel, demo, withoutKey, hint, err);
    }
}
