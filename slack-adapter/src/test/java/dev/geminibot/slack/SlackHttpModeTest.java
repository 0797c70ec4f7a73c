package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.StreamingMode;
import dev.geminibot.config.StreamingConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.engine.Incoming;
import dev.geminibot.core.engine.Trigger;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.ScriptedModel;
import dev.geminibot.core.testing.Stall;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Bolt app in HTTP mode, fed signed requests, answering through the real {@link ChatEngine} and
 * streaming reply into a fake Slack Web API. The model is the real Gemini client talking to
 * {@link FakeGemini}, or a {@link ScriptedModel} where an answer must stay open (Stop).
 */
class SlackHttpModeTest {

    private static final String SECRET = "test-signing-secret";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private static final String THREAD = "1700000000.000100";
    private static final ConversationKey THREAD_KEY = new ConversationKey("slack", "T1", "C1", THREAD);
    private static final ConversationKey CHANNEL_KEY = ConversationKey.channel("slack", "T1", "C1");

    private final OkHttpClient http = new OkHttpClient();
    private FakeSlack slack;
    private FakeGemini gemini;
    private ChatEngine engine;
    private SlackBot bot;
    private boolean nativeInChannels;

    @BeforeEach
    void start() throws IOException {
        slack = new FakeSlack();
        gemini = FakeGemini.start();
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), true);
    }

    /** (Re)starts engine and bot; a restart forgets every conversation, as a real one does. */
    private void start(ChatModel model, List<String> channels, List<String> users, boolean replyInThread) {
        start(model, channels, users, replyInThread, BotConfig.defaults().streaming());
    }

    private void start(ChatModel model, List<String> channels, List<String> users, boolean replyInThread,
                       StreamingConfig streaming) {
        stopBot();
        SlackConfig slackConfig = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", replyInThread, true, channels, users)
                .withNativeStreamingInChannels(nativeInChannels); // slack.nativeStreamingInChannels
        BotConfig defaults = BotConfig.defaults();
        BotConfig config = new BotConfig(gemini.config(), streaming, defaults.context(), defaults.limits(),
                defaults.discord(), slackConfig);
        engine = new ChatEngine(model, config);
        bot = SlackBot.start(config, engine); // as the app does: the router reads the key from config
    }

    private ScriptedModel startScripted() {
        ScriptedModel model = new ScriptedModel();
        start(model, List.of(), List.of(), true);
        return model;
    }

    @AfterEach
    void stop() {
        stopBot();
        gemini.close();
        slack.close();
    }

    private void stopBot() {
        // As the app does: the engine finalises open answers while the adapter can still carry the edits.
        if (engine != null) {
            engine.close();
            bot.close();
        }
    }

    @Test
    void mentionIsAnsweredInAThreadUnderTheQuestionWithAStopButtonWhileLive() throws Exception {
        gemini.enqueueStream("A **monad** ", "is a <!channel> ", "monoid.");
        assertThat(postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> what is a monad?")).code()).isEqualTo(200);

        FakeSlack.Call last = slack.awaitFinal();
        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls).extracting(FakeSlack.Call::method).containsExactly("chat.postMessage", "chat.update");
        FakeSlack.Call post = calls.get(0);
        assertThat(post.get("channel")).isEqualTo("C1");
        assertThat(post.get("thread_ts")).isEqualTo(THREAD);
        // The first words go out at once, without a "Thinking…" placeholder.
        assertThat(post.get("text")).isEqualTo("A *monad*▌");
        assertThat(post.get("blocks")).contains("\"action_id\":\"gemini_stop\"")
                .contains("\"value\":\"" + THREAD + "\"").contains("A *monad*▌");
        assertThat(last).isSameAs(calls.get(1));
        assertThat(last.get("text")).isEqualTo("A *monad* is a &lt;!channel&gt; monoid.")
                .isEqualTo(MrkdwnRenderer.INSTANCE.render("A **monad** is a <!channel> monoid."));
        assertThat(last.get("ts")).isEqualTo("1700000100.000001");
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.body()).doesNotContain("%3C%21channel%3E"));

        assertThat(userTexts(gemini.takeRequest())).containsExactly("[Alice] what is a monad?");
    }

    @Test
    void aMentionBecomesAnIncomingOfTheThreadItStartsIdentifiedByItsTs() throws Exception {
        ScriptedModel model = startScripted();
        ScriptedModel.Gate gate = model.hold(List.of("Hello "), List.of("world"));
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> what is a monad?"));
        slack.await(c -> c.method().equals("chat.postMessage"));

        Incoming incoming = engine.current(THREAD_KEY).orElseThrow().incoming();
        assertThat(incoming.text()).isEqualTo("what is a monad?");
        assertThat(incoming.trigger()).isEqualTo(Trigger.MENTION);
        assertThat(incoming.userId()).isEqualTo("U1");
        // The message is the thread's root: the engine can tell there is no history to rebuild.
        assertThat(incoming.messageId()).isEqualTo(THREAD).isEqualTo(incoming.conversation().thread());
        gate.open();
        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hello world");
    }

    @Test
    void aMentionWhileTheModelThinksShowsThinkingUntilTheFirstWords() throws Exception {
        Stall stall = gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Let me see.", true, null, 5, 0)), null);
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> hard one"));

        FakeSlack.Call placeholder = slack.await(c -> c.method().equals("chat.postMessage"));
        assertThat(placeholder.get("text")).isEqualTo("Thinking…");
        assertThat(placeholder.get("blocks")).contains("gemini_stop");
        stall.release(FakeGemini.streamOf("Hello ", "**world**"));

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("Hello *world*");
        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls.getFirst()).isSameAs(placeholder);
        assertThat(calls.getLast()).isSameAs(last);
        // Between them at most live edits of the same message (how many depends on when the words arrive).
        assertThat(calls.subList(1, calls.size() - 1)).allSatisfy(c -> {
            assertThat(c.method()).isEqualTo("chat.update");
            assertThat(c.get("blocks")).contains("gemini_stop");
        });
        assertThat(calls.subList(1, calls.size())).allSatisfy(c -> assertThat(c.get("ts")).isEqualTo("1700000100.000001"));
    }

    @Test
    void withReplyInThreadOffAMentionIsAnsweredInTheChannel() throws Exception {
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), false);
        gemini.enqueueStream("Hi ", "there.");
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> hi"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hi there.");
        assertThat(slack.calls("chat.postMessage").getFirst().form()).doesNotContainKey("thread_ts");
        awaitRemembered(CHANNEL_KEY);
        assertThat(engine.knows(THREAD_KEY)).isFalse();
    }

    @Test
    void retriedEventIsAnsweredOnce() throws Exception {
        gemini.enqueueStream("Hi.");
        String event = mention("Ev1", "C1", THREAD, null, "<@UBOT> hi");
        postEvent(event);
        Response retry = postSigned(event, JSON, now(), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout");
        assertThat(retry.code()).isEqualTo(200);
        // The same message again under a new event_id (app_mention and message both carry it).
        postEvent(mention("Ev2", "C1", THREAD, null, "<@UBOT> hi"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hi.");
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }

    @Test
    void threadFollowUpInAKnownThreadContinuesWithoutAMention() throws Exception {
        gemini.enqueueStream("A monoid ", "of endofunctors.");
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> what is a monad?"));
        slack.awaitFinal();
        gemini.takeRequest();
        int lookups = slack.calls("conversations.replies").size();

        gemini.enqueueStream("Like ", "**Optional**.");
        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", THREAD, "and in Java?"));

        List<FakeSlack.Call> finals = slack.awaitAll(calls -> finals(calls).size() == 2);
        FakeSlack.Call last = finals(finals).getLast();
        assertThat(last.get("text")).isEqualTo("Like *Optional*.");
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.get("thread_ts")).containsExactly(THREAD, THREAD);
        // The engine remembers the thread: no lookup to decide the bot is addressed, none to rebuild it.
        assertThat(slack.calls("conversations.replies")).hasSize(lookups);
        assertThat(contents(gemini.takeRequest())).containsExactly(
                "user: [Alice] what is a monad?", "model: A monoid of endofunctors.", "user: [Alice] and in Java?");
    }

    @Test
    void afterARestartAThreadTheBotAnsweredInIsFoundAndRebuiltWithConversationsReplies() throws Exception {
        slack.repliesAre("""
                [{"type":"message","user":"U1","text":"<@UBOT> what is a monad?","ts":"1700000000.000100"},
                 {"type":"message","user":"UBOT","bot_id":"BBOT","text":"A monoid in the category of endofunctors.","ts":"1700000000.000200"},
                 {"type":"message","user":"U1","text":"and in Java?","ts":"1700000000.000300"}]""");
        gemini.enqueueStream("Think ", "`Optional`.");

        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", THREAD, "and in Java?"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Think `Optional`.");
        assertThat(slack.calls("chat.postMessage").getFirst().get("thread_ts")).isEqualTo(THREAD);
        // The thread's history, up to (not including) the message being answered, reaches the model.
        assertThat(contents(gemini.takeRequest())).containsExactly(
                "user: [Alice] what is a monad?", "model: A monoid in the category of endofunctors.",
                "user: [Alice] and in Java?");
        assertThat(slack.calls("conversations.replies")).isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("channel")).isEqualTo("C1");
            assertThat(c.get("ts")).isEqualTo(THREAD);
        });
    }

    @Test
    void messageInAThreadTheBotIsNotPartOfIsIgnored() throws Exception {
        gemini.enqueueStream("Pong.");
        postEvent(message("Ev3", "C1", "channel", "1700000000.000300", THREAD, "chatting"));
        slack.await(c -> c.method().equals("conversations.replies"));
        postEvent(message("Ev4", "C1", "channel", "1700000000.000400", null, "top-level chatter"));
        // A DM after it proves both earlier events were handled (handled in order of arrival).
        postEvent(message("Ev5", "D1", "im", "1700000000.000500", null, "ping"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Pong.");
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(userTexts(gemini.takeRequest())).containsExactly("ping");
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.get("channel")).containsExactly("D1");
    }

    @Test
    void directMessageIsATurnInTheDmChannel() throws Exception {
        gemini.enqueueStream("Hello ", "**you**.");
        postEvent(message("Ev5", "D1", "im", "1700000000.000500", null, "hello there"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hello *you*.");
        assertThat(answerCalls()).extracting(FakeSlack.Call::method).containsExactly("chat.postMessage", "chat.update");
        assertThat(slack.calls("chat.postMessage").getFirst().get("channel")).isEqualTo("D1");
        assertThat(slack.calls("chat.postMessage").getFirst().form()).doesNotContainKey("thread_ts");
        // One person in a DM: the question goes to the model without a name.
        assertThat(userTexts(gemini.takeRequest())).containsExactly("hello there");
        awaitRemembered(ConversationKey.channel("slack", "T1", "D1"));
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
        gemini.enqueueStream("Hi, human.");
        assertThat(postEvent(own).code()).isEqualTo(200);
        assertThat(postEvent(edited).code()).isEqualTo(200);
        assertThat(postEvent(otherBot).code()).isEqualTo(200);
        postEvent(message("Ev10", "D1", "im", "1700000000.001000", null, "human"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hi, human.");
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(userTexts(gemini.takeRequest())).containsExactly("human");
    }

    @Test
    void allowlistsKeepOtherChannelsAndUsersOut() throws Exception {
        start(ChatModels.fromConfig(gemini.config()), List.of("C1"), List.of("U1"), true);
        gemini.enqueueStream("Welcome.");
        postEvent(mention("Ev1", "C2", "1700000000.000100", null, "<@UBOT> wrong channel"));
        postEvent(mentionBy("Ev2", "U2", "C1", "1700000000.000200", "<@UBOT> wrong user"));
        postEvent(mention("Ev3", "C1", "1700000000.000300", null, "<@UBOT> welcome"));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Welcome.");
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(userTexts(gemini.takeRequest())).containsExactly("[Alice] welcome");
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.get("thread_ts"))
                .containsExactly("1700000000.000300");
    }

    @Test
    void answersSlacksUrlVerificationChallengeWhenTheRequestUrlIsSaved() throws Exception {
        String challenge = "{\"token\":\"x\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\","
                + "\"type\":\"url_verification\"}";
        try (Response response = postSigned(challenge, JSON, now())) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        }
        try (Response wrongPath = http.newCall(new Request.Builder().url(endpoint().replace("/slack/events", "/other"))
                .post(RequestBody.create(challenge, JSON)).build()).execute()) {
            assertThat(wrongPath.code()).isEqualTo(404);
        }
    }

    @Test
    void badSignatureAndStaleTimestampAreRejectedWith401() throws Exception {
        String event = mention("Ev1", "C1", THREAD, null, "<@UBOT> hi");
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
        assertThat(gemini.requestCount()).isZero();
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void askIsAckedAtOnceThenStreamedIntoTheChannel() throws Exception {
        gemini.enqueueStream("Two ", "plus two ", "is **4**.");
        try (Response ack = postCommand("/ask", "what is 2+2?", "C1")) {
            assertThat(ack.code()).isEqualTo(200);
            assertThat(ack.body().string()).isEmpty();
        }
        FakeSlack.Call last = slack.awaitFinal();
        // A channel conversation has no thread to rebuild: these are all the calls.
        assertThat(answerCalls()).extracting(FakeSlack.Call::method).containsExactly("chat.postMessage", "chat.update");
        assertThat(answerCalls().getFirst().get("channel")).isEqualTo("C1");
        assertThat(answerCalls().getFirst().get("text")).isEqualTo("Two▌");
        assertThat(answerCalls().getFirst().form()).doesNotContainKey("thread_ts");
        assertThat(last.get("text")).isEqualTo("Two plus two is *4*.");
        assertThat(userTexts(gemini.takeRequest())).containsExactly("[alice] what is 2+2?");
        awaitRemembered(CHANNEL_KEY);
    }

    @Test
    void askWhereTheBotIsNotInvitedExplainsHowToInviteItOnce() throws Exception {
        gemini.enqueueStream("Hello.");
        slack.errorNext("chat.postMessage", "not_in_channel");
        slack.errorNext("chat.postMessage", "not_in_channel");
        postCommand("/ask", "hello?", "C9").close();

        FakeSlack.Call respond = slack.await(c -> c.method().startsWith("/respond/"));
        assertThat(respond.body()).contains("/invite @gemini").doesNotContain("in_channel");
        // The first post and the final attempt both fail; the user is told once.
        slack.awaitAll(calls -> calls.stream().filter(c -> c.method().equals("chat.postMessage")).count() == 2);
        eventually(() -> engine.current(ConversationKey.channel("slack", "T1", "C9")).isEmpty());
        assertThat(answerCalls()).extracting(FakeSlack.Call::method)
                .containsExactlyInAnyOrder("chat.postMessage", "chat.postMessage", "/respond/1");
    }

    @Test
    void resetForgetsTheChannelConversation() throws Exception {
        gemini.enqueueStream("Noted.");
        postCommand("/ask", "remember 42", "C1").close();
        slack.awaitFinal();
        awaitRemembered(CHANNEL_KEY);

        try (Response ack = postCommand("/reset", "", "C1")) {
            assertThat(ack.code()).isEqualTo(200);
        }
        FakeSlack.Call confirmation = slack.await(c -> c.method().equals("/respond/1"));
        assertThat(responseText(confirmation)).contains("I forgot this channel's conversation (2 messages)")
                .contains("Reset this thread");
        gemini.enqueueStream("I don't know.");
        postCommand("/ask", "what did I say?", "C1").close();
        slack.awaitAll(calls -> finals(calls).size() == 2);
        gemini.takeRequest();
        assertThat(contents(gemini.takeRequest())).containsExactly("user: [alice] what did I say?");
    }

    @Test
    void resetThreadShortcutForgetsTheThreadAndARebuildSkipsWhatCameBefore() throws Exception {
        gemini.enqueueStream("Noted: the plan is X.");
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> the secret plan is X"));
        slack.awaitFinal();
        awaitRemembered(THREAD_KEY);

        postShortcut(SlackRouter.RESET_THREAD_SHORTCUT, "C1", "1700000000.000200", THREAD).close();
        FakeSlack.Call confirmation = slack.await(c -> c.method().equals("/respond/3"));
        assertThat(responseText(confirmation)).contains("I forgot this thread's conversation (2 messages)");

        // Slack still shows the whole thread; the reset marker in the store wins over reading it back.
        slack.repliesAre("""
                [{"type":"message","user":"U1","text":"<@UBOT> the secret plan is X","ts":"%s"},
                 {"type":"message","bot_id":"B1","user":"UBOT","text":"Noted: the plan is X.","ts":"1700000100.000001","thread_ts":"%s"}]"""
                .formatted(THREAD, THREAD));
        gemini.enqueueStream("I don't know of a plan.");
        postEvent(message("Ev2", "C1", "channel", "1700000000.000300", THREAD, "what was the plan?"));
        slack.awaitAll(calls -> finals(calls).size() == 2);
        gemini.takeRequest();
        assertThat(contents(gemini.takeRequest())).containsExactly("user: [Alice] what was the plan?");
    }

    @Test
    void stopCommandStopsTheAnswerBeingWritten() throws Exception {
        ScriptedModel model = startScripted();
        model.hold(List.of("Once ", "upon "), List.of("a time."));
        postCommand("/ask", "long story", "C1").close();
        slack.await(c -> c.method().equals("chat.postMessage"));

        try (Response ack = postCommand("/stop", "", "C1")) {
            assertThat(ack.body().string()).contains("Stopped");
        }
        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("Once upon\n\n⏹ stopped");
        assertThat(model.cancelled()).containsExactly(true);
        eventually(() -> engine.current(CHANNEL_KEY).isEmpty());
        try (Response again = postCommand("/stop", "", "C1")) {
            assertThat(again.body().string()).contains("Nothing");
        }
    }

    @Test
    void stopCommandInTheChannelStopsTheAnswerStreamingInAThreadUnderIt() throws Exception {
        ScriptedModel model = startScripted();
        model.hold(List.of("Once ", "upon "), List.of("a time."));
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> long story"));
        slack.await(c -> c.method().equals("chat.postMessage"));

        try (Response ack = postCommand("/stop", "", "C1")) {
            assertThat(ack.body().string()).contains("Stopped");
        }
        assertThat(slack.awaitFinal().get("text")).isEqualTo("Once upon\n\n⏹ stopped");
        assertThat(model.cancelled()).containsExactly(true);
    }

    @Test
    void theModelKnowsPeopleByTheirDisplayNamesLookedUpOncePerUser() throws Exception {
        gemini.enqueueStream("One.");
        gemini.enqueueStream("Two.");
        gemini.enqueueStream("Three.");
        postEvent(mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> first"));
        slack.awaitAll(calls -> finals(calls).size() == 1);
        postEvent(mention("Ev2", "C1", "1700000000.000200", null, "<@UBOT> second"));
        slack.awaitAll(calls -> finals(calls).size() == 2);
        postEvent(mentionBy("Ev3", "U9", "C1", "1700000000.000300", "<@UBOT> third"));
        slack.awaitAll(calls -> finals(calls).size() == 3);

        assertThat(userTexts(gemini.takeRequest())).containsExactly("[Alice] first");
        assertThat(userTexts(gemini.takeRequest())).containsExactly("[Alice] second");
        // No users.info answer for U9 (e.g. the app lacks users:read): the id stands in.
        assertThat(userTexts(gemini.takeRequest())).containsExactly("[U9] third");
        assertThat(slack.lookups()).extracting(c -> c.get("user")).containsExactly("U1", "U9");
    }

    @Test
    void stopButtonStopsTheAnswerOnlyForTheAsker() throws Exception {
        ScriptedModel model = startScripted();
        model.hold(List.of("Hello ", "**world** "), List.of("never shown"));
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> long story"));
        // A live edit after the interval still carries the Stop button.
        FakeSlack.Call live = slack.await(c -> c.method().equals("chat.update"));
        assertThat(live.get("text")).isEqualTo("Hello *world*▌");
        assertThat(live.get("blocks")).contains("gemini_stop").contains("\"value\":\"" + THREAD + "\"");

        assertThat(postAction("U2", "C1", THREAD).code()).isEqualTo(200);
        assertThat(engine.current(THREAD_KEY)).isPresent();
        assertThat(model.cancelled()).containsExactly(false);
        assertThat(postAction("U1", "C1", THREAD).code()).isEqualTo(200);

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("Hello *world*\n\n⏹ stopped");
        assertThat(last.get("blocks")).isEqualTo("[]");
        assertThat(model.cancelled()).containsExactly(true);
    }

    @Test
    void anAnswerStreamingWhenTheBotIsClosedStillGetsItsFinalEdit() throws Exception {
        ScriptedModel model = startScripted();
        ScriptedModel.Gate gate = model.hold(List.of("Almost "), List.of("done."));
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> slow one"));
        slack.await(c -> c.method().equals("chat.postMessage"));

        bot.close();
        gate.open();
        assertThat(slack.awaitFinal().get("text")).isEqualTo("Almost done.");
    }

    @Test
    void aLongAnswerContinuesInFurtherThreadRepliesNeverOverSlacksLimit() throws Exception {
        String paragraph = "word ".repeat(199) + "end.\n\n";
        List<String> deltas = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            deltas.add(paragraph);
        }
        gemini.enqueueStream(deltas.toArray(String[]::new));
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> essay"));

        // Every part is final once posted without blocks or updated with its blocks removed.
        slack.awaitAll(calls -> calls.stream()
                .filter(c -> c.ok() && c.get("text") != null && (c.get("blocks") == null || c.get("blocks").equals("[]")))
                .mapToInt(c -> c.get("text").split("end\\.", -1).length - 1).sum() == 10);
        List<FakeSlack.Call> posts = slack.calls("chat.postMessage");
        assertThat(posts).hasSizeGreaterThan(2).allSatisfy(p -> assertThat(p.get("thread_ts")).isEqualTo(THREAD));
        assertThat(slack.calls()).filteredOn(c -> c.get("text") != null).allSatisfy(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.get("text").length()).isLessThanOrEqualTo(ChatUpdateSink.MAX_LENGTH);
        });
    }

    @Test
    void a429OnChatUpdateDelaysTheFinalEditByRetryAfterAndItLands() throws Exception {
        slack.failNext("chat.update", 429, "{\"ok\":false,\"error\":\"ratelimited\"}", "Retry-After", "1");
        gemini.enqueueStream("one ", "two ", "three");
        postEvent(mention("Ev1", "C1", THREAD, null, "<@UBOT> count"));

        FakeSlack.Call last = slack.awaitFinal();
        assertThat(last.get("text")).isEqualTo("one two three");
        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls).extracting(FakeSlack.Call::method, FakeSlack.Call::ok).containsExactly(
                org.assertj.core.groups.Tuple.tuple("chat.postMessage", true),
                org.assertj.core.groups.Tuple.tuple("chat.update", false),
                org.assertj.core.groups.Tuple.tuple("chat.update", true));
        assertThat(calls.get(1).get("text")).isEqualTo("one two three");
        // Slack's Retry-After (whole seconds, at least 1) is waited out before the same edit goes again.
        assertThat(Duration.ofNanos(last.atNanos() - calls.get(1).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void assistantThreadStreamsNatively() throws Exception {
        Stall stall = gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Hello ", false, null, 5, 1))
                + FakeGemini.event(FakeGemini.chunk("**world** ", false, null, 5, 2)), null);
        postEvent(message("Ev11", "D1", "im", "1700000000.001100", "1700000000.001000", "stream please"));

        // The first words start the stream; what follows within the interval is appended after it.
        FakeSlack.Call append = slack.await(c -> c.method().equals("chat.appendStream"));
        stall.release(FakeGemini.event(FakeGemini.chunk("<!channel>", false, "STOP", 5, 3)));
        FakeSlack.Call stop = slack.await(c -> c.method().equals("chat.stopStream"));

        // The assistant panel's status line and title (SlackControlsTest) aside, the answer is one native stream.
        List<FakeSlack.Call> calls = answerCalls().stream().filter(c -> !c.method().startsWith("assistant.threads."))
                .toList();
        assertThat(calls).extracting(FakeSlack.Call::method).containsExactly(
                "conversations.replies", "chat.startStream", "chat.appendStream", "chat.stopStream");
        FakeSlack.Call start = calls.get(1);
        assertThat(start.get("markdown_text")).isEqualTo("Hello");
        assertThat(start.get("channel")).isEqualTo("D1");
        assertThat(start.get("thread_ts")).isEqualTo("1700000000.001000");
        assertThat(start.get("recipient_user_id")).isEqualTo("U1");
        assertThat(append.get("markdown_text")).isEqualTo(" **world**");
        assertThat(stop.get("markdown_text")).isEqualTo(" &lt;!channel&gt;");
        assertThat(append.get("ts")).isEqualTo(stop.get("ts")).isEqualTo("1700000100.000001");
        // What Slack shows is exactly the model's Markdown, escaped.
        assertThat(start.get("markdown_text") + append.get("markdown_text") + stop.get("markdown_text"))
                .isEqualTo(MrkdwnRenderer.escape("Hello **world** <!channel>"));
    }

    @Test
    void finalModePostsTheWholeAnswerOnceWithNoEditsInAChannelThread() throws Exception {
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), true,
                new StreamingConfig(Optional.empty(), "▌", "Thinking…", StreamingMode.FINAL));
        gemini.enqueueStream("A **monad** ", "is a ", "monoid.");
        postEvent(mention("Ev31", "C1", THREAD, null, "<@UBOT> what is a monad?"));

        awaitRemembered(new ConversationKey("slack", "T1", "C1", THREAD));
        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls).extracting(FakeSlack.Call::method).containsExactly("chat.postMessage");
        assertThat(calls.get(0).get("text")).isEqualTo("A *monad* is a monoid.");
        assertThat(calls.get(0).get("blocks")).as("no Stop button on a finished answer").isNull();
    }

    @Test
    void finalModeInAnAssistantThreadShowsThinkingAsStatusThenPostsOnce() throws Exception {
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), true,
                new StreamingConfig(Optional.empty(), "▌", "Thinking…", StreamingMode.FINAL));
        gemini.enqueueStream("Hello ", "**world**");
        postEvent(message("Ev32", "D1", "im", "1700000000.002100", "1700000000.002000", "hi"));

        FakeSlack.Call post = slack.await(c -> c.method().equals("chat.postMessage"));
        // The assistant panel (SlackControlsTest) shows the status the moment the question arrives and names
        // the thread; then the reply's own status while the answer is written, and the one post.
        List<FakeSlack.Call> calls = answerCalls().stream()
                .filter(c -> !c.method().equals("assistant.threads.setTitle")).toList();
        assertThat(calls).extracting(FakeSlack.Call::method).containsExactly("assistant.threads.setStatus",
                "conversations.replies", "assistant.threads.setStatus", "chat.postMessage");
        assertThat(calls.get(2).get("status")).isEqualTo("Thinking…");
        assertThat(post.get("markdown_text")).isEqualTo("Hello **world**");
    }

    @Test
    void aChannelThreadStreamsNativelyToTheAskerWhenAskedTo() throws Exception {
        nativeInChannels = true;
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), true);
        Stall stall = gemini.enqueueStall(FakeGemini.event(FakeGemini.chunk("Hello ", false, null, 5, 1))
                + FakeGemini.event(FakeGemini.chunk("**world** ", false, null, 5, 2)), null);
        postEvent(mention("Ev41", "C1", THREAD, null, "<@UBOT> stream please"));

        FakeSlack.Call append = slack.await(c -> c.method().equals("chat.appendStream"));
        stall.release(FakeGemini.event(FakeGemini.chunk("<!channel>", false, "STOP", 5, 3)));
        FakeSlack.Call stop = slack.await(c -> c.method().equals("chat.stopStream"));

        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls).extracting(FakeSlack.Call::method)
                .containsExactly("chat.startStream", "chat.appendStream", "chat.stopStream");
        FakeSlack.Call start = calls.get(0);
        assertThat(start.get("channel")).isEqualTo("C1");
        assertThat(start.get("thread_ts")).isEqualTo(THREAD);
        assertThat(start.get("recipient_user_id")).isEqualTo("U1");
        assertThat(start.get("recipient_team_id")).isEqualTo("T1");
        // Appends carry everything new since the last call, never one call per delta.
        assertThat(start.get("markdown_text") + append.get("markdown_text") + stop.get("markdown_text"))
                .isEqualTo(MrkdwnRenderer.escape("Hello **world** <!channel>"));
    }

    @Test
    void whereSlackRefusesToStreamTheAnswerIsPostedAndUpdatedLosingNothing() throws Exception {
        nativeInChannels = true;
        start(ChatModels.fromConfig(gemini.config()), List.of(), List.of(), true);
        slack.errorNext("chat.startStream", "channel_type_not_supported");
        gemini.enqueueStream("One ", "two ", "three.");
        postEvent(mention("Ev42", "C1", THREAD, null, "<@UBOT> count"));

        awaitRemembered(new ConversationKey("slack", "T1", "C1", THREAD));
        List<FakeSlack.Call> calls = answerCalls();
        assertThat(calls).extracting(FakeSlack.Call::method).containsExactly(
                "chat.startStream", "chat.postMessage", "chat.update");
        assertThat(calls.get(1).get("markdown_text")).isEqualTo(calls.get(0).get("markdown_text"));
        assertThat(calls.get(2).get("markdown_text")).isEqualTo("One two three.");
    }

    @Test
    void stopCommandStopsANativeStreamInAChannelThreadWithThePartialAnswer() throws Exception {
        nativeInChannels = true;
        ScriptedModel model = new ScriptedModel();
        start(model, List.of(), List.of(), true);
        model.hold(List.of("Once ", "upon "), List.of("a time."));
        postEvent(mention("Ev43", "C1", THREAD, null, "<@UBOT> long story"));
        slack.await(c -> c.method().equals("chat.startStream"));

        try (Response ack = postCommand("/stop", "", "C1")) {
            assertThat(ack.body().string()).contains("Stopped");
        }
        FakeSlack.Call stop = slack.await(c -> c.method().equals("chat.stopStream"));
        String shown = slack.calls().stream().filter(c -> c.method().startsWith("chat."))
                .map(c -> c.get("markdown_text") == null ? "" : c.get("markdown_text")).reduce("", String::concat);
        assertThat(shown).isEqualTo("Once upon \n\n⏹ stopped"); // the partial answer exactly, then the footer
        assertThat(stop.get("markdown_text")).endsWith("⏹ stopped");
        assertThat(model.cancelled()).containsExactly(true);
    }

    // --- helpers ---

    /**
     * The calls that write answers: without the one update that adds the controls to a finished answer
     * (SlackControlsTest), which lands just after the final edit.
     */
    private List<FakeSlack.Call> answerCalls() {
        return slack.calls().stream().filter(c -> !(c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_answer_controls"))).toList();
    }

    private static List<FakeSlack.Call> finals(List<FakeSlack.Call> calls) {
        return calls.stream().filter(c -> c.ok() && c.method().equals("chat.update") && "[]".equals(c.get("blocks")))
                .toList();
    }

    /** The conversation a Gemini request carried, as "role: text" lines. */
    private static List<String> contents(RecordedRequest request) throws IOException {
        JsonNode body = Json.MAPPER.readTree(request.getBody().utf8());
        List<String> lines = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            StringBuilder text = new StringBuilder();
            content.path("parts").forEach(part -> text.append(part.path("text").asText()));
            lines.add(content.path("role").asText() + ": " + text);
        }
        return lines;
    }

    private static List<String> userTexts(RecordedRequest request) throws IOException {
        return contents(request).stream().filter(l -> l.startsWith("user: ")).map(l -> l.substring(6)).toList();
    }

    /** Waits until the answer in {@code key} is over and the engine remembers the exchange. */
    private void awaitRemembered(ConversationKey key) throws InterruptedException {
        eventually(() -> engine.current(key).isEmpty() && engine.knows(key));
    }

    /** Waits up to 10 s for what the engine does after the final edit (remembering, releasing the answer). */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }

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
        String payload = stopPress(user, channel, value, slack.url("/respond/2"));
        try (Response response = postSigned("payload=" + enc(payload), FORM, now())) {
            return response;
        }
    }

    /** The {@code block_actions} payload of {@code user} pressing the Stop button whose value is {@code value}. */
    static String stopPress(String user, String channel, String value, String responseUrl) {
        return """
                {"type":"block_actions","team":{"id":"T1","domain":"t"},"user":{"id":"%s","name":"x"},
                 "api_app_id":"A1","token":"x","trigger_id":"1.2.3","channel":{"id":"%s","name":"general"},
                 "container":{"type":"message","message_ts":"1700000100.000001","channel_id":"%s","is_ephemeral":false},
                 "response_url":"%s",
                 "actions":[{"type":"button","action_id":"gemini_stop","block_id":"b1","value":"%s",
                   "text":{"type":"plain_text","text":"Stop"},"action_ts":"1700000200.000001"}]}"""
                .formatted(user, channel, channel, responseUrl, value);
    }

    /** The text of a message sent to a response_url (JSON). */
    static String responseText(FakeSlack.Call call) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.body()).path("text").asText();
    }

    private Response postShortcut(String callbackId, String channel, String messageTs, String threadTs)
            throws IOException {
        String payload = """
                {"type":"message_action","team":{"id":"T1","domain":"t"},"user":{"id":"U1","name":"alice"},
                 "api_app_id":"A1","token":"x","trigger_id":"1.2.3","callback_id":"%s","action_ts":"1700000300.000001",
                 "channel":{"id":"%s","name":"general"},"message_ts":"%s","response_url":"%s",
                 "message":{"type":"message","user":"U1","text":"hi","ts":"%s","thread_ts":"%s"}}"""
                .formatted(callbackId, channel, messageTs, slack.url("/respond/3"), messageTs, threadTs);
        return postSigned("payload=" + enc(payload), FORM, now());
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
