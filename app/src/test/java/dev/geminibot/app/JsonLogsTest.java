package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.core.testing.FakeGemini;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code logging.format: json} in a real process: {@code gemini-bot run} started as operators start it (its
 * own JVM, settings from the environment only), one Slack mention answered, then stopped. Every stdout line
 * is a JSON object with {@code level} and {@code message}; the answer's lines carry {@code answer_id},
 * {@code platform} and {@code conversation}; nothing is logged as text on stderr; no secret appears anywhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsonLogsTest {
    private static final String SIGNING_SECRET = "json-test-signing-secret";
    private static final String BOT_TOKEN = "xoxb-json-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeGemini gemini = FakeGemini.start();
    private final MockWebServer slack = new MockWebServer();
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        slack.close();
        gemini.close();
    }

    @Test
    void everyLineIsAJsonObjectAndTheAnswersLinesNameIt() throws Exception {
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String method = request.getUrl().encodedPath().replace("/api/", "");
                String body = method.equals("auth.test")
                        ? "{\"ok\":true,\"team\":\"Team One\",\"team_id\":\"T1\",\"user\":\"gemini\",\"user_id\":\"UBOT\"}"
                        : "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000001.000100\"}";
                return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
            }
        });
        slack.start();
        gemini.enqueueStream("Hello ", "from JSON.");
        int slackPort = OpsEndpointsTest.freePort();
        int opsPort = OpsEndpointsTest.freePort();
        Map<String, String> env = Map.of(
                "GEMINI_API_KEY", FakeGemini.API_KEY,
                "GEMINI_BASE_URL", gemini.baseUrl().toString(),
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "GEMINI_BOT_SLACK_API_BASE_URL", slack.url("/api/").toString(),
                "GEMINI_BOT_SLACK_HTTP_PORT", Integer.toString(slackPort),
                "GEMINI_BOT_OPS_HOST", "127.0.0.1",
                "GEMINI_BOT_OPS_PORT", Integer.toString(opsPort),
                "GEMINI_BOT_LOGGING_FORMAT", "json",
                // A fresh state file per run: the default ./gemini-bot.db would remember the delivery.
                "GEMINI_BOT_STATE_PATH", Files.createTempDirectory("json-logs-state").resolve("gemini-bot.db").toString());
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run");
        builder.environment().clear();
        builder.environment().putAll(env);
        process = builder.start();
        Thread out = drain(process.getInputStream(), stdout);
        Thread err = drain(process.getErrorStream(), stderr);

        try (HttpClient http = HttpClient.newHttpClient()) {
            await("ready", () -> status(http, "http://127.0.0.1:" + opsPort + "/readyz") == 200);
            String event = OpsEndpointsTest.mention("Ev1", "say hello");
            String timestamp = Long.toString(System.currentTimeMillis() / 1000);
            HttpResponse<String> ack = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + slackPort + "/slack/events"))
                    .header("Content-Type", "application/json")
                    .header("X-Slack-Request-Timestamp", timestamp)
                    .header("X-Slack-Signature", new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, event))
                    .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ack.statusCode()).isEqualTo(200);
        }
        await("the answer's summary line", () -> stdout.stream().anyMatch(l -> l.contains("outcome=COMPLETED")));
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
        out.join(10_000);
        err.join(10_000);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("level").isTextual()).as(line).isTrue();
            assertThat(node.path("message").isTextual()).as(line).isTrue();
            lines.add(node);
        }
        JsonNode summary = lines.stream().filter(n -> n.path("message").asText().contains("outcome=COMPLETED"))
                .findFirst().orElseThrow();
        assertThat(summary.path("level").asText()).isEqualTo("INFO");
        // Answer ids are unique across restarts (a button from before a restart never matches): boot id, then a counter.
        assertThat(summary.path("answer_id").asText()).matches("[0-9a-z]+-1");
        assertThat(summary.path("platform").asText()).isEqualTo("slack");
        assertThat(summary.path("conversation").asText()).isEqualTo("slack:T1/C1/1700000000.000100");
        assertThat(summary.path("message").asText()).contains("ttft_ms=").contains("edits=").contains("rate_limited=")
                .contains("prompt_tokens=5").contains("output_tokens=2");
        assertThat(lines).anyMatch(n -> n.path("message").asText().startsWith("operations listener on"));
        assertThat(lines).anyMatch(n -> n.path("message").asText().startsWith("Slack: bot user gemini (UBOT) in team"));
        // Lines outside an answer carry no answer id.
        assertThat(lines).filteredOn(n -> n.path("message").asText().startsWith("operations listener"))
                .allMatch(n -> !n.has("answer_id"));

        assertThat(stderr).as("no text log records on stderr").noneMatch(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*"))
                .noneMatch(l -> l.contains(" INFO ") || l.contains(" WARN ") || l.contains(" ERROR "));
        for (String secret : List.of(BOT_TOKEN, SIGNING_SECRET, FakeGemini.API_KEY)) {
            assertThat(stdout).noneMatch(l -> l.contains(secret));
            assertThat(stderr).noneMatch(l -> l.contains(secret));
        }
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Thread drain(java.io.InputStream in, List<String> into) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    into.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            assertThat(process.isAlive()).as("run exited early: %s %s", stdout, stderr).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "\nstdout: " + stdout + "\nstderr: " + stderr);
    }
}
