package dev.geminibot.slack;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.WebSocketListener;

/**
 * A fake Slack Web API on MockWebServer: answers every method the adapter calls with Slack's JSON, records
 * each call with its form fields, and lets a test script failures (a 429, an error code) per method.
 * Paths under {@code /respond/} stand for slash commands' {@code response_url}s; {@code /socket} upgrades to
 * the WebSocket a test supplies (Socket Mode).
 */
final class FakeSlack implements AutoCloseable {

    static final String BOT_USER = "UBOT";
    static final String BOT_ID = "BBOT";
    static final String TEAM = "T1";
    /** Slack answers {@code msg_too_long} above this many characters of text. */
    static final int SLACK_TEXT_LIMIT = 4000;

    /**
     * One Web API call as the fake received it.
     *
     * @param ok         whether the fake answered it with success (HTTP 200 and {@code "ok":true})
     * @param atNanos    {@link System#nanoTime()} when it arrived
     */
    record Call(String method, Map<String, String> form, String body, boolean ok, long atNanos) {
        String get(String field) {
            return form.get(field);
        }
    }

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<MockResponse>> scripted = new ConcurrentHashMap<>();
    private final AtomicLong ts = new AtomicLong(1_700_000_100_000_001L);
    private volatile String repliesJson = "{\"ok\":true,\"messages\":[]}";
    private volatile WebSocketListener socket;

    FakeSlack() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeSlack.this.dispatch(request);
            }
        });
        server.start();
    }

    /** The Web API base ({@code slack.apiBaseUrl}). */
    String apiBase() {
        return server.url("/api/").toString();
    }

    String url(String path) {
        return server.url(path).toString();
    }

    /** The next call of {@code method} gets {@code response} instead of success. */
    void failNext(String method, int code, String json, String... headers) {
        MockResponse.Builder builder = new MockResponse.Builder().code(code).body(json)
                .addHeader("Content-Type", "application/json; charset=utf-8");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.addHeader(headers[i], headers[i + 1]);
        }
        scripted.computeIfAbsent(method, m -> new ArrayDeque<>()).add(builder.build());
    }

    void errorNext(String method, String error) {
        failNext(method, 200, "{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    void repliesAre(String messagesJsonArray) {
        repliesJson = "{\"ok\":true,\"has_more\":false,\"messages\":" + messagesJsonArray + "}";
    }

    void socketListener(WebSocketListener listener) {
        this.socket = listener;
    }

    /**
     * Every call so far except the look-ups around the answers ({@code auth.test} at start, {@code users.info}
     * for display names; see {@link #lookups}), oldest first.
     */
    List<Call> calls() {
        synchronized (calls) {
            return calls.stream().filter(c -> !LOOKUPS.contains(c.method())).toList();
        }
    }

    /** The {@code users.info} calls so far. */
    List<Call> lookups() {
        synchronized (calls) {
            return calls.stream().filter(c -> c.method().equals("users.info")).toList();
        }
    }

    List<Call> calls(String method) {
        return calls().stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Waits until a call matches, for up to 10 s; the call. */
    Call await(Predicate<Call> condition) throws InterruptedException {
        return awaitAll(calls -> calls.stream().anyMatch(condition))
                .stream().filter(condition).findFirst().orElseThrow();
    }

    /** Waits until the calls so far (without auth.test) satisfy {@code condition}, for up to 10 s. */
    List<Call> awaitAll(Predicate<List<Call>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (calls) {
            while (true) {
                if (condition.test(calls())) {
                    return calls();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching Slack call; calls were: " + calls);
                }
                calls.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Waits for the final edit of an answer to land: a {@code chat.update} that removes the blocks and
     * that the fake answered with success (a 429'd attempt does not count).
     */
    Call awaitFinal() throws InterruptedException {
        return await(c -> c.ok() && c.method().equals("chat.update") && "[]".equals(c.get("blocks")));
    }

    private MockResponse dispatch(RecordedRequest request) {
        long at = System.nanoTime();
        String path = request.getUrl().encodedPath();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        if (path.equals("/socket") && socket != null) {
            return new MockResponse.Builder().webSocketUpgrade(socket).build();
        }
        String method = path.startsWith("/api/") ? path.substring(5) : path;
        Map<String, String> form = parseForm(body);
        Deque<MockResponse> queue = scripted.get(method);
        MockResponse failure = queue == null ? null : queue.poll();
        MockResponse response = failure != null ? failure : answer(path, method, form);
        // Recorded after the answer is chosen, so a test waiting for a call sees whether it succeeded.
        record(new Call(method, form, body, failure == null && !isError(method, form), at));
        return response;
    }

    private volatile boolean refuseContextActions;

    /** From now on, answers {@code invalid_blocks} to any message whose blocks hold a {@code context_actions} block. */
    void refuseContextActions() {
        refuseContextActions = true;
    }

    private boolean refusesBlocks(String method, Map<String, String> form) {
        String blocks = form.get("blocks");
        return refuseContextActions && blocks != null && blocks.contains("\"context_actions\"")
                && (method.equals("chat.postMessage") || method.equals("chat.update"));
    }

    private boolean isError(String method, Map<String, String> form) {
        if (refusesBlocks(method, form)) {
            return true;
        }
        String text = form.get("text");
        return text != null && text.length() > SLACK_TEXT_LIMIT
                && (method.equals("chat.postMessage") || method.equals("chat.update"));
    }

    private MockResponse answer(String path, String method, Map<String, String> form) {
        if (path.startsWith("/respond/")) {
            return json("ok");
        }
        if (refusesBlocks(method, form)) {
            return json("{\"ok\":false,\"error\":\"invalid_blocks\"}");
        }
        if (isError(method, form)) {
            return json("{\"ok\":false,\"error\":\"msg_too_long\"}");
        }
        return switch (method) {
            case "auth.test" -> json("{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"T\",\"user\":\"gemini\","
                    + "\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER + "\",\"bot_id\":\"" + BOT_ID + "\"}");
            case "chat.postMessage", "chat.startStream" -> json("{\"ok\":true,\"channel\":\"" + form.get("channel")
                    + "\",\"ts\":\"" + nextTs() + "\"}");
            case "chat.update", "chat.appendStream", "chat.stopStream" -> json("{\"ok\":true,\"channel\":\""
                    + form.get("channel") + "\",\"ts\":\"" + form.get("ts") + "\"}");
            case "conversations.replies" -> json(repliesJson);
            case "conversations.info" -> json("{\"ok\":true,\"channel\":{\"id\":\"" + form.get("channel")
                    + "\",\"name\":\"general\",\"is_channel\":true}}");
            case "users.info" -> "UADMIN".equals(form.get("user"))
                    ? json("{\"ok\":true,\"user\":{\"id\":\"UADMIN\",\"name\":\"ada\",\"is_admin\":true,"
                            + "\"profile\":{\"display_name\":\"Ada\"}}}")
                    : "U1".equals(form.get("user"))
                    ? json("{\"ok\":true,\"user\":{\"id\":\"U1\",\"name\":\"alice.l\",\"real_name\":\"Alice Liddell\","
                            + "\"profile\":{\"display_name\":\"Alice\",\"real_name\":\"Alice Liddell\"}}}")
                    : json("{\"ok\":false,\"error\":\"user_not_found\"}");
            case "apps.connections.open" -> json("{\"ok\":true,\"url\":\"" + server.url("/socket").toString()
                    .replace("http://", "ws://") + "\"}");
            default -> json("{\"ok\":true}");
        };
    }

    private void record(Call call) {
        synchronized (calls) {
            calls.add(call);
            calls.notifyAll();
        }
    }

    private String nextTs() {
        String digits = Long.toString(ts.getAndIncrement());
        return digits.substring(0, 10) + "." + digits.substring(10);
    }

    private static final java.util.Set<String> LOOKUPS = java.util.Set.of("auth.test", "users.info");

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty() || body.startsWith("{")) {
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(name, value);
        }
        return form;
    }

    @Override
    public void close() {
        server.close();
    }
}
