package dev.geminibot.app;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.List;

/**
 * Starts the JVM that runs {@link AotTraining} and writes the start-up cache, from inside the {@code package}
 * build ({@code exec:java} in app/pom.xml), with an empty standard input: the command in its arguments
 * sees end of input at once, and nothing reads the build's own stdin.
 *
 * <p>Why not {@code exec:exec}: it forwards Maven's stdin to the process it starts (commons-exec's
 * {@code PumpStreamHandler} with {@code System.in}, also with {@code inheritIo}, where one read fills
 * {@code System.in}'s buffer), so in {@code printf 'hello\n' | sh -c './mvnw package && ./gemini-bot chat'}
 * the build swallowed the chat's input and the chat saw end of input. It runs only at build time, never in the bot.
 */
public final class AotTrainingLauncher {
    private AotTrainingLauncher() {
    }

    /**
     * Runs {@code args} (the java executable, its options, the class) to its end; its output and errors go
     * where this JVM's go.
     *
     * @throws IllegalStateException when it exits with a status other than 0, naming the status
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        int status = run(List.of(args));
        if (status != 0) {
            throw new IllegalStateException("the AOT training JVM exited with " + status + ": " + String.join(" ", args));
        }
    }

    /** Runs {@code command} with its stdin closed (end of input at once) and returns its exit status. */
    static int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectInput(Redirect.PIPE)
                .redirectOutput(Redirect.INHERIT)
                .redirectError(Redirect.INHERIT)
                .start();
        // A pipe closed before the child reads: portable (no /dev/null or NUL), and the JDK 25 cache assembly
        // JVM that the training JVM starts at exit inherits the same empty stdin.
        process.getOutputStream().close();
        return process.waitFor();
    }
}
