package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.core.testing.FakeGemini;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gemini-bot run} as an operator starts it: configured by environment variables only, Slack in
 * HTTP mode with its Web API at a local fake, Gemini at a local fake. A signed mention goes in; the
 * streamed answer comes out as chat.postMessage and chat.update calls.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunCommandTest {
    private static final String SIGNING_SECRET = "run-test-signing-secret";
    private static final String BOT_TOKEN = "xoxb-run-test-token";

    private final FakeGemini gemini = FakeGemini.start();
    private final MockWebServer slack = new MockWebServer();
    private final List<Map<String, String>> slackCalls = new ArrayList<>();
    private final StringWriter err = new StringWriter();
    private Thread bot;

    @TempDir
    java.nio.file.Path stateDir;

    @AfterEach
    void stop() throws Exception {
        if (bot != null) {
            bot.interrupt();
            bot.join(20_000);
        }
        slack.close();
        gemini.close();
    }

    @Test
    void servesASlackMentionEndToEndFromEnvironmentVariablesAlone() throws Exception {
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String method = request.getUrl().encodedPath().replace("/api/", "");
                Map<String, String> form = form(request.getBody() == null ? "" : request.getBody().utf8());
                form.put("method", method);
                synchronized (slackCalls) {
                    slackCalls.add(form);
                    slackCalls.notifyAll();
                }
                String body = switch (method) {
                    case "auth.test" -> "{\"ok\":true,\"team_id\":\"T1\",\"user_id\":\"UBOT\",\"bot_id\":\"B1\"}";
                    case "chat.postMessage" -> "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000001.000100\"}";
                    default -> "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000001.000100\"}";
                };
                return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
            }
        });
        slack.start();
        gemini.enqueueStream("A monad ", "is a **monoid** ", "in the category of endofunctors.");
        int port = freePort();
        Map<String, String> env = Map.of(
                "GEMINI_API_KEY", FakeGemini.API_KEY,
                "GEMINI_BASE_URL", gemini.baseUrl().toString(),
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "GEMINI_BOT_SLACK_API_BASE_URL", slack.url("/api/").toString(),
                "GEMINI_BOT_SLACK_HTTP_PORT", Integer.toString(port),
                "GEMINI_BOT_STATE_PATH", stateDir.resolve("gemini-bot.db").toString());

        bot = Thread.ofPlatform().start(() -> Main.execute(env, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(err), "run"));
        awaitListening(port);

        String event = """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev1",
                 "event_time":1700000000,"event":{"type":"app_mention","user":"U1","text":"<@UBOT> what is a monad?",
                 "ts":"1700000000.000100","channel":"C1","event_ts":"1700000000.000100"}}""";
        HttpResponse<String> ack = postSigned(port, event);
        assertThat(ack.statusCode()).isEqualTo(200);

        Map<String, String> last = awaitCall(c -> c.get("method").equals("chat.update") && "[]".equals(c.get("blocks")));
        assertThat(last.get("text")).isEqualTo("A monad is a *monoid* in the category of endofunctors.");
        Map<String, String> post = calls("chat.postMessage").get(0);
        assertThat(post.get("channel")).isEqualTo("C1");
        assertThat(post.get("thread_ts")).isEqualTo("1700000000.000100");
        assertThat(gemini.takeRequest().getHeaders().get("x-goog-api-key")).isEqualTo(FakeGemini.API_KEY);
        assertThat(err.toString()).doesNotContain(BOT_TOKEN).doesNotContain(SIGNING_SECRET)
                .doesNotContain(FakeGemini.API_KEY);
    }

    @Test
    void aStateFileThatIsNotADatabaseStopsRunWithStatus2NamingStatePath() throws Exception {
        java.nio.file.Path file = stateDir.resolve("gemini-bot.db");
        java.nio.file.Files.writeString(file, "not a database; ".repeat(20));
        Map<String, String> env = Map.of(
                "GEMINI_API_KEY", FakeGemini.API_KEY,
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "GEMINI_BOT_SLACK_HTTP_PORT", Integer.toString(freePort()),
                "GEMINI_BOT_STATE_PATH", file.toString());
        int status = Main.execute(env, new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(err), "run");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("state.path: " + file.toAbsolutePath()).contains("not a SQLite database");
    }

    @Test
    void redisWithoutRedisUrlIsAConfigurationError() {
        Map<String, String> env = Map.of(
                "GEMINI_API_KEY", FakeGemini.API_KEY,
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "GEMINI_BOT_STATE_BACKEND", "redis");
        int status = Main.execute(env, new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(err), "run");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("REDIS_URL");
    }

    private HttpResponse<String> postSigned(int port, String body) throws IOException, InterruptedException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .header("Content-Type", "application/json")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SIGNING_SECRET).generate(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(bot.isAlive()).as("run exited early: %s", err).isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the bot never listened on " + port + ": " + err);
    }

    private Map<String, String> awaitCall(java.util.function.Predicate<Map<String, String>> matches)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (slackCalls) {
            while (true) {
                for (Map<String, String> call : slackCalls) {
                    if (matches.test(call)) {
                        return call;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching Slack call in " + slackCalls + "\n" + err);
                }
                slackCalls.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    private List<Map<String, String>> calls(String method) {
        synchronized (slackCalls) {
            return slackCalls.stream().filter(c -> c.get("method").equals(method)).toList();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
