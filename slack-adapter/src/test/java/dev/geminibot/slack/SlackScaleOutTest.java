package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.testing.ScriptedModel;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.testing.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two bot instances in Slack HTTP mode, as two processes behind one Slack app would run: each its own
 * Bolt app and HTTP listener, engine, Caffeine cache, Redis client and model, in one JVM; both share one
 * real redis-server and one fake Slack Web API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlackScaleOutTest {
    private static final String SECRET = "scale-out-signing-secret";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final OkHttpClient http = new OkHttpClient();
    private final List<Instance> instances = new ArrayList<>();
    private FakeSlack slack;
    private LocalRedis redis;

    private record Instance(ChatEngine engine, SlackBot bot, RedisStateStore store, ScriptedModel model) {
        int port() {
            return bot.httpPort();
        }
    }

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        redis = LocalRedis.start("scale-out-pw");
    }

    @AfterEach
    void stop() {
        for (Instance instance : instances) {
            instance.engine().close();
            instance.bot().close();
            instance.store().close();
        }
        slack.close();
        redis.close();
    }

    private Instance instance() {
        SlackConfig slackConfig = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", true, false, List.of(), List.of());
        BotConfig defaults = BotConfig.defaults();
        BotConfig config = new BotConfig(defaults.gemini(), defaults.streaming(), defaults.context(),
                defaults.limits(), defaults.discord(), slackConfig);
        RedisStateStore store = new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system());
        ScriptedModel model = new ScriptedModel();
        ChatEngine engine = new ChatEngine(model, config, Scheduler.system(), store);
        Instance instance = new Instance(engine, SlackBot.start(config, engine), store, model);
        instances.add(instance);
        return instance;
    }

    @Test
    void theSameEventDeliveredToBothInstancesIsAnsweredOnce() throws Exception {
        Instance a = instance();
        Instance b = instance();
        a.model().answer("Only ", "once.");
        b.model().answer("Twice?!");
        String event = SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> hello");

        try (Response first = post(a, event, JSON); Response second = post(b, event, JSON)) {
            assertThat(first.code()).isEqualTo(200);
            assertThat(second.code()).isEqualTo(200);
        }
        slack.awaitFinal();
        // Slack retries once more, to B, with its retry header: still 200, still one answer.
        try (Response retry = post(b, event, JSON, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")) {
            assertThat(retry.code()).isEqualTo(200);
        }
        Thread.sleep(300);
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
        assertThat(a.model().requests().size() + b.model().requests().size()).isEqualTo(1);
    }

    @Test
    void messageOneOfADmToAAndMessageTwoToBGivesBTheWholeConversation() throws Exception {
        Instance a = instance();
        Instance b = instance();
        a.model().answer("Noted: ", "42.");
        b.model().answer("You said 42.");

        post(a, SlackHttpModeTest.message("Ev1", "D1", "im", "1700000000.000100", null, "remember 42"), JSON).close();
        slack.awaitFinal();
        post(b, SlackHttpModeTest.message("Ev2", "D1", "im", "1700000000.000200", null, "what did I say?"), JSON)
                .close();
        slack.awaitAll(calls -> calls.stream().filter(c -> c.ok() && c.method().equals("chat.update")
                && "[]".equals(c.get("blocks"))).count() == 2);

        assertThat(b.model().requests().getFirst().messages()).extracting(ChatMessage::text)
                .containsExactly("remember 42", "Noted: 42.", "what did I say?");

        // Both instances spent one workspace budget: each sees the other's chat.update calls.
        java.time.Instant now = java.time.Instant.now();
        java.util.List<java.time.Instant> seenByA = a.store().callsInWindow("pacer:T1", Duration.ofSeconds(60), now);
        java.util.List<java.time.Instant> seenByB = b.store().callsInWindow("pacer:T1", Duration.ofSeconds(60), now);
        assertThat(seenByA).isEqualTo(seenByB);
        assertThat(seenByA.size()).isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(slack.calls("chat.update").size());
    }

    @Test
    void anAnswerOnBTakesTheControlsOffTheAnswerAGaveBefore() throws Exception {
        Instance a = instance();
        Instance b = instance();
        a.model().answer("Noted: ", "42.");
        b.model().answer("You said 42.");

        post(a, SlackHttpModeTest.message("Ev1", "D1", "im", "1700000000.000100", null, "remember 42"), JSON).close();
        Controls first = controls(null);
        post(b, SlackHttpModeTest.message("Ev2", "D1", "im", "1700000000.000200", null, "what did I say?"), JSON)
                .close();
        Controls second = controls(first.ts());
        FakeSlack.Call stripped = slack.await(c -> c.ok() && c.method().equals("chat.update")
                && first.ts().equals(c.get("ts")) && c.atNanos() > first.call().atNanos());
        assertThat(stripped.get("channel")).isEqualTo("D1");
        assertThat(stripped.get("blocks")).doesNotContain("gemini_").contains("Noted: 42.");
        assertThat(second.ts()).isNotEqualTo(first.ts());
        assertThat(a.store().takeButtons(new ConversationKey(SlackRouter.PLATFORM, "T1", "D1", "")))
                .as("the store names the message that has the controls now").hasValueSatisfying(
                        where -> assertThat(where).startsWith("D1|" + second.ts() + "|"));
    }

    /** A chat.update that put the answer controls on a message other than {@code notTs}. */
    private record Controls(FakeSlack.Call call, String ts) {
    }

    private Controls controls(String notTs) throws InterruptedException {
        FakeSlack.Call call = slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_regenerate") && !c.get("ts").equals(notTs));
        return new Controls(call, call.get("ts"));
    }

    @Test
    void aStopDeliveredToBStopsTheAnswerStreamingOnAWithinASecond() throws Exception {
        Instance a = instance();
        Instance b = instance();
        aLongStoryStreamingOn(a);
        slack.await(c -> c.method().equals("chat.postMessage"));

        long sent = System.nanoTime();
        try (Response ack = post(b, command("/stop", "C1"), FORM)) {
            assertThat(ack.body().string()).contains("another instance");
        }
        FakeSlack.Call last = slack.awaitFinal();
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(last.get("text")).isEqualTo("Once upon\n\n⏹ stopped");
        assertThat(a.model().cancelled()).containsExactly(true);
        assertThat(tookMillis).as("stop to final edit, ms").isLessThan(1000);
    }

    @Test
    void theStopButtonPressedThroughBStopsTheAnswerStreamingOnAForTheAskerOnly() throws Exception {
        Instance a = instance();
        Instance b = instance();
        aLongStoryStreamingOn(a);
        FakeSlack.Call live = slack.await(c -> c.ok() && c.get("blocks") != null && c.get("blocks").contains("gemini_stop"));
        String thread = stopButtonValue(live.get("blocks"));

        try (Response someoneElse = post(b, stopPress("U2", "C1", thread), FORM)) {
            assertThat(someoneElse.code()).isEqualTo(200);
        }
        Thread.sleep(300);
        assertThat(a.model().cancelled()).as("only the asker stops it").containsExactly(false);

        long sent = System.nanoTime();
        try (Response asker = post(b, stopPress("U1", "C1", thread), FORM)) {
            assertThat(asker.code()).isEqualTo(200);
        }
        FakeSlack.Call last = slack.awaitFinal();
        long tookMillis = (System.nanoTime() - sent) / 1_000_000;
        assertThat(last.get("text")).isEqualTo("Once upon\n\n⏹ stopped");
        assertThat(a.model().cancelled()).containsExactly(true);
        assertThat(tookMillis).as("press to final edit, ms").isLessThan(1000);
    }

    /** Both instances listen for stops; {@code a} answers a mention in C1 and holds after "Once upon ". */
    private void aLongStoryStreamingOn(Instance a) throws Exception {
        redis.awaitSubscribers("gemini-bot:stop", 2);
        a.model().hold(List.of("Once ", "upon "), List.of("a time."));
        post(a, SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> long story"), JSON)
                .close();
        a.model().awaitStarted(1);
    }

    /** The value the Stop button in {@code blocks} (Block Kit JSON) carries: the answer's thread. */
    private static String stopButtonValue(String blocks) throws IOException {
        for (com.fasterxml.jackson.databind.JsonNode element
                : new com.fasterxml.jackson.databind.ObjectMapper().readTree(blocks).findParents("action_id")) {
            if (element.path("action_id").asText().equals("gemini_stop")) {
                return element.path("value").asText();
            }
        }
        throw new AssertionError("no Stop button in " + blocks);
    }

    /** {@code user} presses the Stop button (its value: the answer's thread) on a message in {@code channel}. */
    private String stopPress(String user, String channel, String value) {
        return "payload=" + enc(SlackHttpModeTest.stopPress(user, channel, value, slack.url("/respond/2")));
    }

    private String command(String command, String channel) {
        return "token=x&team_id=T1&team_domain=t&channel_id=" + channel + "&channel_name=general"
                + "&user_id=U1&user_name=alice&command=" + enc(command) + "&text="
                + "&api_app_id=A1&response_url=" + enc(slack.url("/respond/1")) + "&trigger_id=1.2.3";
    }

    private Response post(Instance instance, String body, MediaType type, String... headers) throws IOException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Request.Builder request = new Request.Builder().url("http://127.0.0.1:" + instance.port() + "/slack/events")
                .post(RequestBody.create(body, type))
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SECRET).generate(timestamp, body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        Response response = http.newCall(request.build()).execute();
        response.peekBody(1 << 20);
        return response;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
