package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.testing.ScriptedModel;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bolt in HTTP mode, the real {@link ChatEngine} and streaming reply, a scripted model, the fake Web API. */
class SlackEngineEndToEndTest {

    private static final String SECRET = "test-signing-secret";
    private final OkHttpClient http = new OkHttpClient();
    private final ScriptedModel model = new ScriptedModel();
    private FakeSlack slack;
    private ChatEngine engine;
    private SlackBot bot;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        SlackConfig slackConfig = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", true, true, List.of(), List.of());
        BotConfig config = new BotConfig(BotConfig.defaults().gemini(), BotConfig.defaults().streaming(),
                BotConfig.defaults().context(), BotConfig.defaults().limits(), BotConfig.defaults().discord(),
                slackConfig);
        engine = new ChatEngine(model, config);
        bot = SlackBot.start(config, engine);
    }

    @AfterEach
    void stop() {
        bot.close();
        engine.close();
        slack.close();
    }

    @Test
    void mentionStreamsThroughTheEngineAndEndsWithoutCursorOrStopButton() throws Exception {
        model.answer("A **monad** ", "is a <!channel> ", "monoid.");
        postEvent(SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> what is a monad?"));

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("A *monad* is a &lt;!channel&gt; monoid.");
        List<FakeSlack.Call> posts = slack.calls("chat.postMessage");
        assertThat(posts).hasSize(1);
        assertThat(posts.getFirst().get("thread_ts")).isEqualTo("1700000000.000100");
        assertThat(posts.getFirst().get("blocks")).contains("gemini_stop");
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.body()).doesNotContain("%3C%21channel%3E"));
    }

    @Test
    void aLongAnswerContinuesInFurtherThreadRepliesNeverOverSlacksLimit() throws Exception {
        String paragraph = "word ".repeat(199) + "end.\n\n";
        model.answer(paragraph.repeat(10));
        postEvent(SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> essay"));

        // Every part is final once posted without blocks or updated with its blocks removed.
        slack.awaitAll(calls -> calls.stream()
                .filter(c -> c.get("text") != null && (c.get("blocks") == null || c.get("blocks").equals("[]")))
                .mapToInt(c -> c.get("text").split("end\\.", -1).length - 1).sum() == 10);
        List<FakeSlack.Call> posts = slack.calls("chat.postMessage");
        assertThat(posts).hasSizeGreaterThan(2)
                .allSatisfy(p -> assertThat(p.get("thread_ts")).isEqualTo("1700000000.000100"));
        assertThat(slack.calls()).filteredOn(c -> c.get("text") != null)
                .allSatisfy(c -> assertThat(c.get("text").length()).isLessThanOrEqualTo(ChatUpdateSink.MAX_LENGTH));
    }

    @Test
    void a429OnChatUpdateDelaysTheEditButTheFinalTextLands() throws Exception {
        slack.failNext("chat.update", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", "Retry-After", "1");
        model.answer("one ", "two ", "three");
        postEvent(SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> count"));

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("one two three");
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }

    private void postEvent(String json) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Request request = new Request.Builder().url("http://127.0.0.1:" + bot.httpPort() + "/slack/events")
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SECRET).generate(timestamp, json)).build();
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
    }
}
