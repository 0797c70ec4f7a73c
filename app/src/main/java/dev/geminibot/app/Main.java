package dev.geminibot.app;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gemini-bot} command line: {@code run}, {@code chat}, {@code ask}. */
@Command(name = "gemini-bot",
        description = "Google Gemini in Discord and Slack, streaming its answers live.",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {RunCommand.class, ChatCommand.class, AskCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for a configuration or usage error. */
    public static final int EXIT_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The process environment (settings and secrets); replaced in tests. */
    final Map<String, String> env;
    /** Where the terminal chat reads lines; replaced in tests. */
    final InputStream in;

    Main(Map<String, String> env, InputStream in) {
        this.env = env;
        this.in = in;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(execute(System.getenv(), System.in, out, err, args));
    }

    /** Runs the command line and returns the exit status. */
    public static int execute(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err,
                              String... args) {
        CommandLine commandLine = new CommandLine(new Main(env, in));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExitCodeExceptionMapper(e -> EXIT_CONFIG);
        commandLine.getCommandSpec().exitCodeOnInvalidInput(EXIT_CONFIG);
        int status = commandLine.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Name a command: run, chat or ask (try: gemini-bot chat)");
    }

    /** The version from the jar's manifest ({@code Implementation-Version}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"gemini-bot " + (version == null ? "development build" : version),
                    "Java " + Runtime.version()};
        }
    }
}
