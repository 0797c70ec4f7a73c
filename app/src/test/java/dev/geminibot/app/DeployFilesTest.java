package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.app.ops.HealthProbe;
import dev.geminibot.app.ops.Metrics;
import dev.geminibot.app.ops.OpsServer;
import dev.geminibot.app.ops.Readiness;
import dev.geminibot.config.OpsConfig;
import dev.geminibot.config.SlackConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files, read as text (no image can be built here): their health command, ports, stop
 * timeouts and commands agree with the bot's defaults ({@code ops.port}, {@code slack.http.port}, the
 * shutdown grace of {@code run}).
 */
class DeployFilesTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Duration GRACE = RunCommand.SHUTDOWN_GRACE;

    @Test
    void theDockerfileBuildsWithTheWrapperAndRunsAsNonRootWithAHealthCheckOnTheOpsPort() throws IOException {
        String dockerfile = Files.readString(REPO.resolve("Dockerfile"));
        List<String> from = lines(dockerfile, "FROM ");
        assertThat(from).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.getLast()).contains("-jre");
        assertThat(dockerfile).contains("RUN ./mvnw ");
        String user = lines(dockerfile, "USER ").getLast();
        assertThat(user).doesNotContain("root").matches("USER [1-9]\\d*(:[1-9]\\d*)?");
        assertThat(lines(dockerfile, "EXPOSE ").getFirst().split(" ")).contains(
                Integer.toString(OpsConfig.DEFAULT_PORT), Integer.toString(SlackConfig.defaults().httpPort()));
        String healthcheck = dockerfile.substring(dockerfile.indexOf("HEALTHCHECK"));
        assertThat(healthcheck).contains(HealthProbe.class.getName());
        // The collector and survivor ratio ./gemini-bot run uses (JdkSearchTest), before the jar.
        assertThat(lines(dockerfile, "ENTRYPOINT ").getFirst()).contains(
                "\"-XX:+UseParallelGC\", \"-XX:SurvivorRatio=3\", \"-jar\"",
                "/app/gemini-bot.jar");
        assertThat(lines(dockerfile, "CMD ").getLast()).isEqualTo("CMD [\"run\"]");
        // Docker's own default stop timeout (10 s) is not above the grace; the file says what to use.
        assertThat(dockerfile).contains("--stop-timeout 30");
    }

    @Test
    void theHealthProbeAsksHealthzOnTheDefaultOpsPortAndFailsWhenNothingAnswers() throws Exception {
        OpsServer ops = OpsServer.start("127.0.0.1", 0, new Readiness(), Metrics.prometheus());
        int port = ops.address().getPort();
        try {
            assertThat(HealthProbe.probe(URI.create("http://127.0.0.1:" + port + "/healthz"))).isTrue();
        } finally {
            ops.close();
        }
        assertThat(HealthProbe.probe(URI.create("http://127.0.0.1:" + port + "/healthz"))).isFalse();
    }

    @Test
    void composeRunsTheBotWithARedisAndSecretsFromAnEnvFile() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPO.resolve("deploy/docker-compose.yml")));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("bot", "redis");
        Map<String, Object> bot = map(services.get("bot"));
        Map<String, Object> env = map(bot.get("environment"));
        assertThat(env.get("REDIS_URL").toString()).startsWith("redis://redis:6379");
        assertThat(env.get("GEMINI_BOT_STATE_BACKEND")).isEqualTo("redis");
        assertThat(bot.get("env_file").toString()).contains("gemini-bot.env");
        assertThat(env.keySet()).noneMatch(k -> k.contains("TOKEN") || k.contains("KEY") || k.contains("SECRET"));
        assertThat(bot.get("ports").toString()).contains(OpsConfig.DEFAULT_PORT + ":" + OpsConfig.DEFAULT_PORT);
        assertThat(seconds(bot.get("stop_grace_period").toString())).isGreaterThan(GRACE.toSeconds());
        assertThat(map(services.get("redis")).get("image").toString()).startsWith("redis:7");
        assertThat(Files.readString(REPO.resolve("deploy/gemini-bot.env.example")))
                .contains("GEMINI_API_KEY=\n").contains("SLACK_BOT_TOKEN=\n");
    }

    @Test
    void theSystemdUnitRunsTheJarRestartsOnFailureAndWaitsLongerThanTheGrace() throws IOException {
        String unit = Files.readString(REPO.resolve("deploy/gemini-bot.service"));
        assertThat(value(unit, "ExecStart")).matches(
                "\\S*java .*-XX:\\+UseParallelGC -XX:SurvivorRatio=3 -jar \\S+gemini-bot\\.jar run");
        assertThat(value(unit, "Restart")).isEqualTo("on-failure");
        assertThat(Long.parseLong(value(unit, "TimeoutStopSec"))).isGreaterThan(GRACE.toSeconds());
        assertThat(value(unit, "EnvironmentFile")).isNotBlank();
        assertThat(value(unit, "User")).isNotEqualTo("root");
    }

    @Test
    void theBenchmarksMeasureTheBotWithTheCollectorRunStartsItWith() throws IOException {
        // bench/run starts the scale, state and memory runs in its own JVM, which is the bot's: it must carry
        // the options ./gemini-bot run uses (JdkSearchTest), or the figures describe another bot.
        assertThat(lines(Files.readString(REPO.resolve("bench/run")), "GC="))
                .containsExactly("GC=\"-XX:+UseParallelGC -XX:SurvivorRatio=3\"");
    }

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static String value(String unit, String key) {
        Matcher m = Pattern.compile("^" + key + "=(.*)$", Pattern.MULTILINE).matcher(unit);
        assertThat(m.find()).as(key).isTrue();
        return m.group(1).strip();
    }

    private static long seconds(String composeDuration) {
        Matcher m = Pattern.compile("(\\d+)s").matcher(composeDuration);
        assertThat(m.matches()).as(composeDuration).isTrue();
        return Long.parseLong(m.group(1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
