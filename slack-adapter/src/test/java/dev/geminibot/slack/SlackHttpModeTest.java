package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.config.StreamingConfig;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.HistoryLoader;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.engine.Trigger;
import dev.geminibot.core.model.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real Bolt app in HTTP mode, fed signed requests, writing to a fake Slack Web API. */
class SlackHttpModeTest {

    private static final String SECRET = "test-signing-secret";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final OkHttpClient http = new OkHttpClient();
    private FakeSlack slack;
    private ScriptedAnswers answers;
    private SlackBot bot;
    private final AtomicReference<HistoryLoader> history = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        answers = new ScriptedAnswers();
        bot = start(List.of(), List.of(), true);
    }

    private SlackBot start(List<String> channels, List<String> users, boolean replyInThread) {
        SlackConfig config = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", replyInThread, true, channels, users);
        return SlackBot.start(config, StreamingConfig.defaults(), answers, history::set);
    }

    @AfterEach
    void stop() {
        bot.close();
        slack.close();
    }

    @Test
    void mentionIsAnsweredInAThreadUnderTheQuestionWithAStopButtonWhileLive() throws Exception {
        assertThat(postEvent(mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> what is a monad?")).code())
                .isEqualTo(200);

        FakeSlack.Call last = slack.awaitFinal();
        List<FakeSlack.Call> calls = slack.calls();
        assertThat(calls).extracting(FakeSlack.Call::method)
                .containsExactly("chat.postMessage", "chat.update", "chat.update", "chat.update");
        FakeSlack.Call post = calls.get(0);
        assertThat(post.get("channel")).isEqualTo("C1");
        assertThat(post.get("thread_ts")).isEqualTo("1700000000.000100");
        assertThat(post.get("text")).isEqualTo("Thinking…▌");
        assertThat(post.get("blocks")).contains("\"action_id\":\"gemini_stop\"")
                .contains("\"value\":\"1700000000.000100\"").contains("Thinking…▌");
        assertThat(calls.get(1).get("text")).isEqualTo("Hello▌");
        assertThat(calls.get(2).get("text")).isEqualTo("Hello *world*▌");
        assertThat(calls.get(2).get("blocks")).contains("gemini_stop");
        assertThat(last.get("text")).isEqualTo("Hello *world*");
        assertThat(last.get("ts")).isEqualTo("1700000100.000001");

        assertThat(answers.received).singleElement().satisfies(in -> {
            assertThat(in.text()).isEqualTo("what is a monad?");
            assertThat(in.trigger()).isEqualTo(Trigger.MENTION);
            assertThat(in.conversation()).isEqualTo(new ConversationKey("slack", "T1", "C1", "1700000000.000100"));
            assertThat(in.userId()).isEqualTo("U1");
        });
    }

    @Test
    void withReplyInThreadOffAMentionIsAnsweredInTheChannel() throws Exception {
        bot.close();
        bot = start(List.of(), List.of(), false);
        postEvent(mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> hi"));

        slack.awaitFinal();
        assertThat(slack.calls("chat.postMessage").getFirst().form()).doesNotContainKey("thread_ts");
        assertThat(answers.received.getFirst().conversation()).isEqualTo(ConversationKey.channel("slack", "T1", "C1"));
    }

    @Test
    void retriedEventIsAnsweredOnce() throws Exception {
        String event = mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> hi");
        postEvent(event);
        Response retry = postSigned(event, JSON, now(), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout");
        assertThat(retry.code()).isEqualTo(200);
        // The same message again under a new event_id (app_mention and message both carry it).
        postEvent(mention("Ev2", "C1", "1700000000.000100", null, "<@UBOT> hi"));

        slack.awaitFinal();
        assertThat(answers.received).hasSize(1);
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void threadFollowUpInAKnownThreadContinuesWithoutAMention() throws Exception {
        ConversationKey thread = new ConversationKey("slack", "T1", "C1", "1700000000.000100");
        answers.known.add(thread);

        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", "1700000000.000100", "and in Java?"));

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(slack.calls("chat.postMessage").getFirst().get("thread_ts")).isEqualTo("1700000000.000100");
        assertThat(last.get("text")).isEqualTo("Hello *world*");
        assertThat(answers.received).singleElement().satisfies(in -> {
            assertThat(in.trigger()).isEqualTo(Trigger.THREAD_FOLLOW_UP);
            assertThat(in.text()).isEqualTo("and in Java?");
            assertThat(in.conversation()).isEqualTo(thread);
        });
        assertThat(slack.calls("conversations.replies")).isEmpty();
    }

    @Test
    void afterARestartAThreadTheBotAnsweredInIsFoundAndRebuiltWithConversationsReplies() throws Exception {
        slack.repliesAre("""
                [{"type":"message","user":"U1","text":"<@UBOT> what is a monad?","ts":"1700000000.000100"},
                 {"type":"message","user":"UBOT","bot_id":"BBOT","text":"A monoid in the category of endofunctors.","ts":"1700000000.000200"},
                 {"type":"message","user":"U1","text":"and in Java?","ts":"1700000000.000300"}]""");

        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", "1700000000.000100", "and in Java?"));
        slack.awaitFinal();
        assertThat(answers.received).singleElement().extracting(in -> in.trigger()).isEqualTo(Trigger.THREAD_FOLLOW_UP);

        List<Turn> turns = history.get().load(new ConversationKey("slack", "T1", "C1", "1700000000.000100"), 10_000);
        assertThat(turns).extracting(Turn::role, Turn::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Role.USER, "what is a monad?"),
                org.assertj.core.groups.Tuple.tuple(Role.MODEL, "A monoid in the category of endofunctors."));
        assertThat(slack.calls("conversations.replies").getLast().get("channel")).isEqualTo("C1");
        assertThat(slack.calls("conversations.replies").getLast().get("ts")).isEqualTo("1700000000.000100");
    }

    @Test
    void messageInAThreadTheBotIsNotPartOfIsIgnored() throws Exception {
        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", "1700000000.000100", "chatting"));
        slack.await(c -> c.method().equals("conversations.replies"));
        postEvent(message("Ev4", "C1", "channel", "1700000000.000400", null, "top-level chatter"));
        // A DM after it proves both earlier events were handled (handled in order of arrival).
        postEvent(message("Ev5", "D1", "im", "1700000000.000500", null, "ping"));
        slack.awaitFinal();
        assertThat(answers.received).extracting(in -> in.text()).containsExactly("ping");
    }

    @Test
    void directMessageIsATurnInTheDmChannel() throws Exception {
        postEvent(message("Ev5", "D1", "im", "1700000000.000500", null, "hello there"));

        slack.awaitFinal();
        assertThat(slack.calls("chat.postMessage").getFirst().get("channel")).isEqualTo("D1");
        assertThat(slack.calls("chat.postMessage").getFirst().form()).doesNotContainKey("thread_ts");
        assertThat(answers.received).singleElement().satisfies(in -> {
            assertThat(in.trigger()).isEqualTo(Trigger.DIRECT_MESSAGE);
            assertThat(in.conversation()).isEqualTo(ConversationKey.channel("slack", "T1", "D1"));
        });
    }

    @Test
    void botsOwnMessagesAndEditsAreAckedAndIgnored() throws Exception {
        String own = """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev7","event_time":1700000000,
                 "event":{"type":"message","channel":"D1","channel_type":"im","user":"UBOT","bot_id":"BBOT","text":"Hello","ts":"1700000000.000700"}}""";
        String edited = """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev8","event_time":1700000000,
                 "event":{"type":"message","subtype":"message_changed","channel":"D1","channel_type":"im","hidden":true,"ts":"1700000000.000800",
                  "message":{"type":"message","user":"UBOT","bot_id":"BBOT","text":"Hello world","ts":"1700000000.000700"}}}""";
        String otherBot = """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev9","event_time":1700000000,
                 "event":{"type":"message","channel":"D1","channel_type":"im","user":"U9","bot_id":"B9","text":"beep","ts":"1700000000.000900"}}""";
        assertThat(postEvent(own).code()).isEqualTo(200);
        assertThat(postEvent(edited).code()).isEqualTo(200);
        assertThat(postEvent(otherBot).code()).isEqualTo(200);
        postEvent(message("Ev10", "D1", "im", "1700000000.001000", null, "human"));
        slack.awaitFinal();
        assertThat(answers.received).extracting(in -> in.text()).containsExactly("human");
    }

    @Test
    void allowlistsKeepOtherChannelsAndUsersOut() throws Exception {
        bot.close();
        bot = start(List.of("C1"), List.of("U1"), true);
        postEvent(mention("Ev1", "C2", "1700000000.000100", null, "<@UBOT> wrong channel"));
        postEvent(mentionBy("Ev2", "U2", "C1", "1700000000.000200", "<@UBOT> wrong user"));
        postEvent(mention("Ev3", "C1", "1700000000.000300", null, "<@UBOT> welcome"));
        slack.awaitFinal();
        assertThat(answers.received).extracting(in -> in.text()).containsExactly("welcome");
    }

    @Test
    void badSignatureAndStaleTimestampAreRejectedWith401() throws Exception {
        String event = mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> hi");
        Request forged = new Request.Builder().url(endpoint()).post(RequestBody.create(event, JSON))
                .header("X-Slack-Request-Timestamp", now())
                .header("X-Slack-Signature", "v0=" + "0".repeat(64)).build();
        try (Response response = http.newCall(forged).execute()) {
            assertThat(response.code()).isEqualTo(401);
        }
        String stale = Long.toString(System.currentTimeMillis() / 1000 - 600);
        try (Response response = postSigned(event, JSON, stale)) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(answers.received).isEmpty();
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void askIsAckedAtOnceThenStreamedIntoTheChannel() throws Exception {
        try (Response ack = postCommand("/ask", "what is 2+2?", "C1")) {
            assertThat(ack.code()).isEqualTo(200);
            assertThat(ack.body().string()).isEmpty();
        }
        FakeSlack.Call last = slack.awaitFinal();
        assertThat(slack.calls()).extracting(FakeSlack.Call::method)
                .containsExactly("chat.postMessage", "chat.update", "chat.update", "chat.update");
        assertThat(slack.calls().getFirst().get("channel")).isEqualTo("C1");
        assertThat(slack.calls().getFirst().form()).doesNotContainKey("thread_ts");
        assertThat(last.get("text")).isEqualTo("Hello *world*");
        assertThat(answers.received).singleElement().satisfies(in -> {
            assertThat(in.trigger()).isEqualTo(Trigger.SLASH_COMMAND);
            assertThat(in.text()).isEqualTo("what is 2+2?");
            assertThat(in.conversation()).isEqualTo(ConversationKey.channel("slack", "T1", "C1"));
        });
    }

    @Test
    void askWhereTheBotIsNotInvitedExplainsHowToInviteIt() throws Exception {
        slack.errorNext("chat.postMessage", "not_in_channel");
        postCommand("/ask", "hello?", "C9").close();

        FakeSlack.Call respond = slack.await(c -> c.method().startsWith("/respond/"));
        assertThat(respond.body()).contains("/invite @gemini").doesNotContain("in_channel");
        assertThat(slack.calls("chat.update")).isEmpty();
    }

    @Test
    void resetForgetsTheChannelConversation() throws Exception {
        try (Response ack = postCommand("/reset", "", "C1")) {
            assertThat(ack.body().string()).contains("forgot");
        }
        assertThat(answers.resets).containsExactly(ConversationKey.channel("slack", "T1", "C1"));
    }

    @Test
    void stopCommandStopsTheAnswerBeingWritten() throws Exception {
        answers.holdAfterFirstDelta = true;
        postCommand("/ask", "long story", "C1").close();
        slack.await(c -> c.method().equals("chat.update"));

        try (Response ack = postCommand("/stop", "", "C1")) {
            assertThat(ack.body().string()).contains("Stopped");
        }
        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("Hello\n\n⏹ stopped");
        try (Response again = postCommand("/stop", "", "C1")) {
            assertThat(again.body().string()).contains("Nothing");
        }
    }

    @Test
    void stopButtonStopsTheAnswerOnlyForTheAsker() throws Exception {
        answers.holdAfterFirstDelta = true;
        postEvent(mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> long story"));
        slack.await(c -> c.method().equals("chat.update"));

        assertThat(postAction("U2", "C1", "1700000000.000100").code()).isEqualTo(200);
        assertThat(answers.writing).isNotEmpty();
        assertThat(postAction("U1", "C1", "1700000000.000100").code()).isEqualTo(200);

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("Hello\n\n⏹ stopped");
        assertThat(last.get("blocks")).isEqualTo("[]");
    }

    @Test
    void assistantThreadStreamsNatively() throws Exception {
        answers.deltas = List.of("Hello ", "**world**", " <!channel>");
        postEvent(message("Ev11", "D1", "im", "1700000000.001100", "1700000000.001000", "stream please"));

        FakeSlack.Call stop = slack.await(c -> c.method().equals("chat.stopStream"));
        assertThat(slack.calls()).extracting(FakeSlack.Call::method).containsExactly(
                "assistant.threads.setStatus", "chat.startStream", "chat.appendStream", "chat.appendStream",
                "chat.stopStream");
        List<FakeSlack.Call> calls = slack.calls();
        assertThat(calls.get(0).get("status")).isEqualTo("Thinking…");
        assertThat(calls.get(0).get("channel_id")).isEqualTo("D1");
        assertThat(calls.get(0).get("thread_ts")).isEqualTo("1700000000.001000");
        assertThat(calls.get(1).get("markdown_text")).isEqualTo("Hello");
        assertThat(calls.get(1).get("thread_ts")).isEqualTo("1700000000.001000");
        assertThat(calls.get(1).get("recipient_user_id")).isEqualTo("U1");
        assertThat(calls.get(2).get("markdown_text")).isEqualTo(" **world**");
        assertThat(calls.get(3).get("markdown_text")).isEqualTo(" &lt;!channel&gt;");
        assertThat(calls.get(2).get("ts")).isEqualTo(calls.get(3).get("ts")).isEqualTo(stop.get("ts"));
        assertThat(stop.form()).doesNotContainKey("markdown_text");
    }

    // --- wire helpers ---

    private String endpoint() {
        return "http://127.0.0.1:" + bot.httpPort() + "/slack/events";
    }

    private static String now() {
        return Long.toString(System.currentTimeMillis() / 1000);
    }

    private Response postEvent(String json) throws IOException {
        try (Response response = postSigned(json, JSON, now())) {
            return response;
        }
    }

    private Response postCommand(String command, String text, String channel) throws IOException {
        String form = "token=x&team_id=T1&team_domain=t&channel_id=" + channel + "&channel_name=general"
                + "&user_id=U1&user_name=alice&command=" + enc(command) + "&text=" + enc(text)
                + "&api_app_id=A1&response_url=" + enc(slack.url("/respond/1")) + "&trigger_id=1.2.3";
        return postSigned(form, FORM, now());
    }

    private Response postAction(String user, String channel, String value) throws IOException {
        String payload = """
                {"type":"block_actions","team":{"id":"T1","domain":"t"},"user":{"id":"%s","name":"x"},
                 "api_app_id":"A1","token":"x","trigger_id":"1.2.3","channel":{"id":"%s","name":"general"},
                 "container":{"type":"message","message_ts":"1700000100.000001","channel_id":"%s","is_ephemeral":false},
                 "response_url":"%s",
                 "actions":[{"type":"button","action_id":"gemini_stop","block_id":"b1","value":"%s",
                   "text":{"type":"plain_text","text":"Stop"},"action_ts":"1700000200.000001"}]}"""
                .formatted(user, channel, channel, slack.url("/respond/2"), value);
        try (Response response = postSigned("payload=" + enc(payload), FORM, now())) {
            return response;
        }
    }

    private Response postSigned(String body, MediaType type, String timestamp, String... headers) throws IOException {
        Request.Builder request = new Request.Builder().url(endpoint()).post(RequestBody.create(body, type))
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

    static String mention(String eventId, String channel, String ts, String threadTs, String text) {
        return mentionBy(eventId, "U1", channel, ts, text, threadTs);
    }

    static String mentionBy(String eventId, String user, String channel, String ts, String text) {
        return mentionBy(eventId, user, channel, ts, text, null);
    }

    static String mentionBy(String eventId, String user, String channel, String ts, String text, String threadTs) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"%s","event_time":1700000000,
                 "authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],
                 "event":{"type":"app_mention","user":"%s","text":"%s","ts":"%s","channel":"%s","event_ts":"%s"%s}}"""
                .formatted(eventId, user, text, ts, channel, ts,
                        threadTs == null ? "" : ",\"thread_ts\":\"" + threadTs + "\"");
    }

    static String message(String eventId, String channel, String channelType, String ts, String threadTs, String text) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"%s","event_time":1700000000,
                 "event":{"type":"message","user":"U1","text":"%s","ts":"%s","channel":"%s","channel_type":"%s",
                  "client_msg_id":"m-%s","event_ts":"%s"%s}}"""
                .formatted(eventId, text, ts, channel, channelType, ts, ts,
                        threadTs == null ? "" : ",\"thread_ts\":\"" + threadTs + "\"");
    }
}
