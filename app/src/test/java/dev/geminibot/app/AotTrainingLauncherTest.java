package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's training JVM gets an empty stdin, so that input piped into
 * {@code ./mvnw package && ./gemini-bot chat} is left for the chat. The whole path, by hand (a Maven run is
 * too slow for the suite): {@code ./mvnw -B -q clean && printf 'hello\n/quit\n' | sh -c './mvnw -B -q package
 * -DskipTests && ./gemini-bot chat'} prints the demo model's answer to "hello" and exits 0.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against a hang, not a measurement
class AotTrainingLauncherTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @Test
    void theTrainingJvmSeesNoneOfTheInputPipedIntoTheBuild(@TempDir Path dir) throws Exception {
        Path errors = dir.resolve("stderr.txt");
        List<String> launcher = new ArrayList<>(List.of(JAVA, "-cp", System.getProperty("java.class.path"),
                AotTrainingLauncher.class.getName()));
        launcher.addAll(probe());
        Process build = new ProcessBuilder(launcher)
                .redirectOutput(Redirect.DISCARD)
                .redirectError(errors.toFile())
                .start();
        int status;
        try {
            try (OutputStream stdin = build.getOutputStream()) {
                stdin.write("hello\n/quit\n".getBytes(StandardCharsets.UTF_8));
            }
            status = build.waitFor();
        } finally {
            // Should the launcher ever leave the probe's stdin open, the timeout ends the test: leave no probe behind.
            build.descendants().forEach(ProcessHandle::destroyForcibly);
            build.destroyForcibly();
        }

        assertThat(status).as(Files.readString(errors)).isZero();
    }

    @Test
    void aFailedTrainingFailsTheBuildWithItsStatus() {
        List<String> failing = new ArrayList<>(probe());
        failing.add("3");

        assertThatThrownBy(() -> AotTrainingLauncher.main(failing.toArray(String[]::new)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with 3");
    }

    private static List<String> probe() {
        return List.of(JAVA, "-cp", System.getProperty("java.class.path"), StdinProbe.class.getName());
    }

    /**
     * Without arguments: reads its stdin to the end and exits 1 when it held anything, else 0. With one:
     * exits with that status at once (reading nothing, so that it never waits on the test JVM's stdin).
     */
    public static final class StdinProbe {
        public static void main(String[] args) throws IOException {
            if (args.length > 0) {
                System.exit(Integer.parseInt(args[0]));
            }
            int read = System.in.readAllBytes().length;
            if (read > 0) {
                System.err.println("the training JVM's stdin held " + read + " bytes");
                System.exit(1);
            }
        }
    }
}
