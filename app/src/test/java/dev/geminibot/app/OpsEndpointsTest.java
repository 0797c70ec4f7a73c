package dev.geminibot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code gemini-bot run} with its operations listener, Slack in Socket Mode against a local fake (Web API
 * and the Socket Mode WebSocket on one MockWebServer): the three endpoints while it connects, answers,
 * loses its socket and gets it back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpsEndpointsTest {
    private static final String BOT_TOKEN = "xoxb-ops-test-token";
    private static final String APP_TOKEN = "xapp-ops-test-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeGemini gemini = FakeGemini.start();
    private final MockWebServer slack = new MockWebServer();
    private final StringWriter err = new StringWriter();
    private final BlockingQueue<WebSocket> sockets = new LinkedBlockingQueue<>();
    private final List<WebSocket> opened = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refuseSockets = new AtomicBoolean();
    private final AtomicInteger updateRateLimits = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private Thread bot;
    private int opsPort;

    @AfterEach
    void stop() throws Exception {
        if (bot != null) {
            bot.interrupt();
            bot.join(20_000);
        }
        opened.forEach(socket -> socket.close(1000, "test over"));
        slack.close();
        gemini.close();
        http.close();
    }

    @Test
    void readinessMetricsAndHealthFollowTheBotThroughAnAnswerAndALostSocket() throws Exception {
        startSlack();
        updateRateLimits.set(1);
        gemini.enqueueStream("A monad ", "is a monoid ", "in the category of endofunctors.");
        startBot(Map.of());

        // Ready once the socket is open; the state component is always there.
        WebSocket socket = sockets.poll(30, TimeUnit.SECONDS);
        assertThat(readyzSeen).as("readiness before the socket was open").doesNotContain(200);
        assertThat(socket).as("Socket Mode connection").isNotNull();
        await("readiness UP", () -> get("/readyz").statusCode() == 200);
        JsonNode ready = JSON.readTree(get("/readyz").body());
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("components").fieldNames()).toIterable().containsExactly("slack", "state");
        assertThat(ready.at("/components/slack/status").asText()).isEqualTo("UP");
        assertThat(ready.at("/components/slack/detail").asText()).isEqualTo("Socket Mode connected");
        assertThat(ready.at("/components/state/status").asText()).isEqualTo("UP");
        HttpResponse<String> health = get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body())).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));

        // One answer, its final chat.update rate-limited once.
        socket.send(envelope("env-1", mention("Ev1", "what is a monad?")));
        await("the final chat.update", () -> calls.stream().filter(c -> c.startsWith("chat.update")).count() >= 2
                && !updateRateLimits.toString().equals("1"));
        String metrics = awaitMetric("gemini_bot_answers_total", Map.of("platform", "slack", "outcome", "completed"), 1.0);
        assertThat(value(metrics, "gemini_bot_platform_requests_total",
                Map.of("platform", "slack", "method", "chat.update", "status", "429"))).isEqualTo(1.0);
        assertThat(value(metrics, "gemini_bot_platform_requests_total",
                Map.of("platform", "slack", "method", "chat.postMessage", "status", "200"))).isEqualTo(1.0);
        assertThat(value(metrics, "gemini_bot_platform_requests_total",
                Map.of("platform", "slack", "method", "auth.test", "status", "200"))).isGreaterThanOrEqualTo(1.0);
        assertThat(value(metrics, "gemini_bot_model_requests_total", Map.of("outcome", "ok"))).isEqualTo(1.0);
        // FakeGemini's last chunk reports 5 prompt tokens and one output token per delta.
        assertThat(value(metrics, "gemini_bot_model_tokens_total", Map.of("type", "input"))).isEqualTo(5.0);
        assertThat(value(metrics, "gemini_bot_model_tokens_total", Map.of("type", "output"))).isEqualTo(3.0);
        assertThat(value(metrics, "gemini_bot_model_tokens_total", Map.of("type", "thinking"))).isEqualTo(0.0);
        assertThat(value(metrics, "gemini_bot_answers_in_flight", Map.of())).isEqualTo(0.0);
        assertThat(value(metrics, "gemini_bot_first_text_seconds_count", Map.of())).isEqualTo(1.0);
        assertThat(metrics).contains("gemini_bot_first_text_seconds_bucket{le=\"1.0\"}")
                .contains("jvm_memory_used_bytes").contains("process_uptime_seconds").contains("jvm_threads_live_threads");
        assertThat(metrics).doesNotContain(BOT_TOKEN).doesNotContain(APP_TOKEN).doesNotContain(FakeGemini.API_KEY)
                .doesNotContain("U1").doesNotContain("C1");

        // The socket goes and Slack refuses a new one: DOWN, 503, the process stays up.
        refuseSockets.set(true);
        socket.close(1001, "going away");
        await("readiness DOWN", () -> get("/readyz").statusCode() == 503);
        JsonNode down = JSON.readTree(get("/readyz").body());
        assertThat(down.path("status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/components/slack/status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/components/state/status").asText()).isEqualTo("UP");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(bot.isAlive()).isTrue();

        // Slack takes connections again: the SDK reconnects and readiness comes back.
        refuseSockets.set(false);
        await("readiness UP again", () -> get("/readyz").statusCode() == 200);
        assertThat(err.toString()).doesNotContain(BOT_TOKEN).doesNotContain(APP_TOKEN).doesNotContain(FakeGemini.API_KEY);
    }

    @Test
    void aSlackThatCannotBeReachedAtStartIsRetriedWhileTheProcessServesDown() throws Exception {
        int slackPort = freePort();
        startBot(Map.of("GEMINI_BOT_SLACK_API_BASE_URL", "http://127.0.0.1:" + slackPort + "/api/"));
        await("readiness DOWN naming the failure", () -> {
            HttpResponse<String> ready = get("/readyz");
            return ready.statusCode() == 503 && ready.body().contains("cannot connect");
        });
        JsonNode down = JSON.readTree(get("/readyz").body());
        assertThat(down.at("/components/slack/status").asText()).isEqualTo("DOWN");
        assertThat(down.at("/components/slack/detail").asText()).startsWith("cannot connect: ConnectException");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);

        // Slack comes back on that address: the next attempt connects.
        startSlack(slackPort);
        assertThat(sockets.poll(60, TimeUnit.SECONDS)).as("Socket Mode connection").isNotNull();
        await("readiness UP", () -> get("/readyz").statusCode() == 200);
        assertThat(err.toString()).doesNotContain(BOT_TOKEN).doesNotContain(APP_TOKEN);
    }

    @Test
    void aTakenOpsPortIsAStartupErrorNamingOpsPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int status = Main.execute(Map.of("GEMINI_API_KEY", "k", "DISCORD_BOT_TOKEN", "discord-token",
                            "GEMINI_BOT_OPS_PORT", Integer.toString(taken.getLocalPort())),
                    new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()), new PrintWriter(err),
                    "run");
            assertThat(status).isEqualTo(Main.EXIT_CONFIG);
            assertThat(err.toString()).contains("ops.port " + taken.getLocalPort() + " is already in use")
                    .contains("GEMINI_BOT_OPS_PORT").doesNotContain("discord-token");
        }
    }

    @Test
    void opsPortZeroMeansNoListenerAtAll() throws Exception {
        startSlack();
        opsPort = freePort();
        startBot(Map.of("GEMINI_BOT_OPS_PORT", "0"));
        assertThat(sockets.poll(30, TimeUnit.SECONDS)).as("Socket Mode connection").isNotNull();
        // Running and connected, yet nothing listens where the listener would be.
        assertThat(bot.isAlive()).isTrue();
        try (var client = new java.net.Socket("127.0.0.1", 8081)) {
            // Another process may own 8081 on this machine; it must not be us, so ask it for our endpoint.
            assertThat(get(8081, "/readyz").body()).doesNotContain("\"slack\"");
        } catch (IOException nothingThere) {
            // expected: no listener
        }
    }

    // ---- the fake Slack ------------------------------------------------------------------------------

    private void startSlack() throws IOException {
        startSlack(0);
    }

    private void startSlack(int port) throws IOException {
        slack.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/socket")) {
                    return new MockResponse.Builder().webSocketUpgrade(new SocketEnd()).build();
                }
                String method = path.replace("/api/", "");
                calls.add(method);
                String body = switch (method) {
                    case "auth.test" -> "{\"ok\":true,\"team\":\"Team One\",\"team_id\":\"T1\",\"user\":\"gemini\","
                            + "\"user_id\":\"UBOT\",\"bot_id\":\"B1\"}";
                    case "apps.connections.open" -> refuseSockets.get()
                            ? "{\"ok\":false,\"error\":\"internal_error\"}"
                            : "{\"ok\":true,\"url\":\"" + slack.url("/socket").toString().replace("http://", "ws://") + "\"}";
                    case "chat.update" -> {
                        if (form(request).getOrDefault("blocks", "").equals("[]")
                                && updateRateLimits.getAndDecrement() > 0) {
                            yield null;
                        }
                        yield "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000001.000100\"}";
                    }
                    default -> "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000001.000100\"}";
                };
                if (body == null) {
                    return new MockResponse.Builder().code(429).addHeader("Retry-After", "1")
                            .addHeader("Content-Type", "application/json").body("{\"ok\":false,\"error\":\"ratelimited\"}")
                            .build();
                }
                return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
            }
        });
        slack.start(java.net.InetAddress.getByName("127.0.0.1"), port);
    }

    /** /readyz as seen from the socket's side, just before Slack says hello. */
    private final List<Integer> readyzSeen = new CopyOnWriteArrayList<>();

    private final class SocketEnd extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            if (opened.isEmpty()) {
                try {
                    readyzSeen.add(get("/readyz").statusCode());
                } catch (RuntimeException noListener) {
                    readyzSeen.add(-1);
                }
            }
            webSocket.send("{\"type\":\"hello\",\"num_connections\":1,\"connection_info\":{\"app_id\":\"A1\"},"
                    + "\"debug_info\":{\"host\":\"fake\"}}");
            opened.add(webSocket);
            sockets.add(webSocket);
        }
    }

    private void startBot(Map<String, String> extra) throws IOException {
        if (opsPort == 0) {
            opsPort = freePort();
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "GEMINI_API_KEY", FakeGemini.API_KEY,
                "GEMINI_BASE_URL", gemini.baseUrl().toString(),
                "SLACK_BOT_TOKEN", BOT_TOKEN,
                "SLACK_APP_TOKEN", APP_TOKEN,
                "GEMINI_BOT_SLACK_API_BASE_URL", slack.getStarted() ? slack.url("/api/").toString() : "",
                "GEMINI_BOT_OPS_HOST", "127.0.0.1",
                "GEMINI_BOT_OPS_PORT", Integer.toString(opsPort)));
        env.putAll(extra);
        bot = Thread.ofPlatform().start(() -> Main.execute(env, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(err), "run"));
    }

    static String mention(String eventId, String question) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"%s",
                 "event_time":1700000000,"event":{"type":"app_mention","user":"U1","text":"<@UBOT> %s",
                 "ts":"1700000000.000100","channel":"C1","event_ts":"1700000000.000100"}}""".formatted(eventId, question);
    }

    private static String envelope(String id, String payload) {
        return "{\"envelope_id\":\"" + id + "\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
                + "\"retry_attempt\":0,\"retry_reason\":\"\",\"payload\":" + payload + "}";
    }

    // ---- reading the endpoints ------------------------------------------------------------------------

    private HttpResponse<String> get(String path) {
        return get(opsPort, path);
    }

    private HttpResponse<String> get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String awaitMetric(String name, Map<String, String> labels, double expected) throws InterruptedException {
        String[] last = {""};
        await(name + " " + labels + " = " + expected, () -> {
            last[0] = get("/metrics").body();
            Double value = value(last[0], name, labels);
            return value != null && value == expected;
        });
        return last[0];
    }

    /** The value of the series {@code name} whose labels include {@code labels}, from the Prometheus text. */
    static Double value(String metrics, String name, Map<String, String> labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        while (m.find()) {
            String labelText = m.group(2) == null ? "" : m.group(2);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                return Double.parseDouble(m.group(3));
            }
        }
        return null;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the listener may not be up yet
            }
            assertThat(bot.isAlive()).as("run exited early: %s", err).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + err);
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
