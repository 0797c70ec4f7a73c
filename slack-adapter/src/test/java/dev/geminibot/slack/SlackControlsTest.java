package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.state.sqlite.SqliteStateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /model}, {@code /system}, {@code /search}, the controls on finished answers and the assistant panel,
 * with the real Bolt app in HTTP mode fed signed requests, the Web API at {@link FakeSlack} and the real
 * Gemini client at {@link FakeGemini}.
 */
class SlackControlsTest {
    private static final String SECRET = "test-signing-secret";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private static final List<String> ALLOWED = List.of("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash-lite");
    private static final String DEFAULT_PROMPT = "You are Gemini in a test workspace.";

    private final OkHttpClient http = new OkHttpClient();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private FakeSlack slack;
    private FakeGemini gemini;
    private ChatEngine engine;
    private SlackBot bot;
    private int events;

    @BeforeEach
    void setUp() throws IOException {
        slack = new FakeSlack();
        gemini = FakeGemini.start();
    }

    @AfterEach
    void tearDown() {
        stopBot();
        gemini.close();
        slack.close();
    }

    private void start(List<String> adminUsers, StateStore state) {
        SlackConfig slackConfig = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", true, true, List.of(), List.of(), adminUsers, List.of("Summarize this channel", "Explain a term"));
        GeminiConfig geminiConfig = gemini.config().withSystemPrompt(DEFAULT_PROMPT).withAllowedModels(ALLOWED);
        BotConfig defaults = BotConfig.defaults();
        BotConfig config = new BotConfig(geminiConfig, defaults.streaming(), defaults.context(), defaults.limits(),
                defaults.discord(), slackConfig, defaults.ops(), defaults.state());
        engine = new ChatEngine(ChatModels.fromConfig(geminiConfig), config, Scheduler.system(), state);
        bot = SlackBot.start(config, engine, new Feedback(registry));
    }

    private void start(List<String> adminUsers) {
        start(adminUsers, new MemoryStateStore());
    }

    private void stopBot() {
        if (engine != null) {
            engine.close();
            bot.close();
            engine = null;
        }
    }

    // ---- settings ---------------------------------------------------------------------------------

    @Test
    void anyoneReadsTheSettingsOnlyTheCallerSeesTheReplyAndAChangeByANonAdminIsRefused() throws Exception {
        start(List.of());
        assertThat(command("U1", "/model", "")).isEqualTo("Model here: `gemini-2.5-flash` (the default). "
                + "Allowed: `gemini-2.5-flash`, `gemini-2.5-pro`, `gemini-2.0-flash-lite`.");
        assertThat(command("U1", "/search", "")).isEqualTo("Google Search here: off (the default).");
        // U1 is no workspace admin (users.info says so) and slack.adminUsers is empty.
        assertThat(command("U1", "/model", "gemini-2.5-pro"))
                .startsWith("Only workspace admins can change the model here.");
        assertThat(slack.lookups()).anyMatch(c -> "U1".equals(c.get("user")));

        RecordedRequest next = mention("hello");
        assertThat(next.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(systemInstruction(next)).isEqualTo(DEFAULT_PROMPT);
    }

    @Test
    void aWorkspaceAdminPerUsersInfoChangesTheSettingsAndTheNextAnswerUsesThem() throws Exception {
        start(List.of());
        assertThat(command("UADMIN", "/model", "gemini-2.5-pro")).contains("`gemini-2.5-pro`");
        assertThat(command("UADMIN", "/system", "Answer in French.")).contains("> Answer in French.");
        assertThat(command("UADMIN", "/search", "on")).endsWith(": on.");

        RecordedRequest next = mention("bonjour");
        assertThat(next.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        assertThat(systemInstruction(next)).isEqualTo("Answer in French.");
        assertThat(body(next).path("tools").toString()).isEqualTo("[{\"google_search\":{}}]");

        assertThat(command("UADMIN", "/system", "reset")).isEqualTo("System prompt reset to the default:\n> " + DEFAULT_PROMPT);
        assertThat(command("UADMIN", "/search", "off")).endsWith(": off.");
        RecordedRequest after = mention("again");
        assertThat(systemInstruction(after)).isEqualTo(DEFAULT_PROMPT);
        assertThat(body(after).has("tools")).isFalse();
    }

    @Test
    void adminUsersDecideWhenSetAndAModelOutsideTheListIsRefusedNamingEveryAllowedModel() throws Exception {
        start(List.of("U2"));
        assertThat(command("UADMIN", "/system", "Pirate.")).startsWith("Only the bot's admins (slack.adminUsers) can change");
        String refusal = command("U2", "/model", "gpt-4o");
        assertThat(refusal).contains("gpt-4o");
        ALLOWED.forEach(model -> assertThat(refusal).contains(model));
        assertThat(command("U2", "/model", "gemini-2.0-flash-lite")).contains("`gemini-2.0-flash-lite`");
        assertThat(mention("hi").getUrl().encodedPath())
                .isEqualTo("/v1beta/models/gemini-2.0-flash-lite:streamGenerateContent");
    }

    @Test
    void settingsSurviveARestartInTheSqliteFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        try (StateStore before = SqliteStateStore.open(file, Scheduler.system())) {
            start(List.of("U1"), before);
            command("U1", "/system", "Be terse.");
            command("U1", "/search", "on");
            stopBot();
        }
        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            start(List.of("U1"), after);
            assertThat(command("U2", "/system", "")).isEqualTo("System prompt here (set for this channel):\n> Be terse.");
            RecordedRequest next = mention("hi");
            assertThat(systemInstruction(next)).isEqualTo("Be terse.");
            assertThat(body(next).path("tools").toString()).isEqualTo("[{\"google_search\":{}}]");
            stopBot();
        }
    }

    // ---- the controls on finished answers ----------------------------------------------------------

    @Test
    void aFinishedAnswerGetsRegenerateAndFeedbackButtonsInOneUpdateAfterItsFinalEdit() throws Exception {
        start(List.of());
        gemini.enqueueStream("A monad ", "is a monoid.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> what is a monad?"));
        FakeSlack.Call controls = awaitControls();

        List<FakeSlack.Call> updates = slack.calls("chat.update");
        assertThat(updates.getLast()).isSameAs(controls);
        FakeSlack.Call finalEdit = updates.get(updates.size() - 2);
        assertThat(finalEdit.get("blocks")).isEqualTo("[]");
        assertThat(controls.get("ts")).isEqualTo(finalEdit.get("ts"));
        assertThat(controls.get("text")).isEqualTo("A monad is a monoid.");
        JsonNode blocks = Json.MAPPER.readTree(controls.get("blocks"));
        assertThat(blocks.toString()).contains("\"action_id\":\"gemini_regenerate\"").contains("🔄 Regenerate")
                .doesNotContain("gemini_stop").doesNotContain("gemini_continue");
        JsonNode feedback = blocks.get(blocks.size() - 1);
        assertThat(feedback.path("type").asText()).isEqualTo("context_actions");
        assertThat(feedback.path("elements").get(0).path("type").asText()).isEqualTo("feedback_buttons");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("A monad is a monoid.");
    }

    @Test
    void whereSlackRefusesContextActionsTheFeedbackIsTwoButtons() throws Exception {
        start(List.of());
        slack.refuseContextActions();
        gemini.enqueueStream("Fine.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> hi"));
        FakeSlack.Call plain = slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_vote_up"));
        assertThat(plain.get("blocks")).contains("\"text\":\"👍\"").contains("\"text\":\"👎\"")
                .contains("gemini_regenerate").doesNotContain("context_actions");
        assertThat(slack.calls("chat.update")).filteredOn(c -> !c.ok()).hasSize(1);
    }

    @Test
    void regenerateByAnyoneButTheAskerIsRefusedWithoutAskingGemini() throws Exception {
        start(List.of());
        gemini.enqueueStream("First.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> what is a monad?"));
        FakeSlack.Call controls = awaitControls();
        gemini.takeRequest();

        press("U2", controls, AnswerBlocks.REGENERATE);
        assertThat(ephemeral()).isEqualTo("Only the person who asked can regenerate this answer.");
        Thread.sleep(300);
        assertThat(gemini.requestCount()).isEqualTo(1);
    }

    @Test
    void regenerateAnswersAgainInTheThreadAndTheConversationKeepsTheQuestionOnceAndOnlyTheNewAnswer() throws Exception {
        start(List.of());
        gemini.enqueueStream("First answer.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> what is a monad?"));
        FakeSlack.Call first = awaitControls();
        gemini.takeRequest();

        gemini.enqueueStream("Second answer.");
        press("U1", first, AnswerBlocks.REGENERATE);
        FakeSlack.Call second = slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_regenerate") && !c.get("ts").equals(first.get("ts")));
        assertThat(second.get("text")).isEqualTo("Second answer.");
        assertThat(userTexts(gemini.takeRequest())).containsExactly("user: [Alice] what is a monad?");
        assertThat(slack.calls("chat.update")).anyMatch(c -> c.get("ts").equals(first.get("ts"))
                && !c.get("blocks").contains("gemini_") && "First answer.".equals(c.get("text"))
                && c.atNanos() > first.atNanos());
        assertThat(slack.calls("chat.postMessage").getLast().get("thread_ts")).isEqualTo("1700000000.000100");

        gemini.enqueueStream("You're welcome.");
        postEvent(threadMessage("U1", "1700000000.000300", "1700000000.000100", "thanks"));
        assertThat(userTexts(gemini.takeRequest())).containsExactly(
                "user: [Alice] what is a monad?", "model: Second answer.", "user: [Alice] thanks");
    }

    @Test
    void continueAppearsOnlyAfterMaxTokensAndItsRequestHoldsTheCutAnswerAsAModelTurn() throws Exception {
        start(List.of());
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("The first half, ", false, null, 5, 1))
                + FakeGemini.event(FakeGemini.chunk("cut", false, "MAX_TOKENS", 5, 2)));
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> write a lot"));
        FakeSlack.Call cut = awaitControls();
        assertThat(cut.get("blocks")).contains("gemini_continue").contains("▶ Continue");
        gemini.takeRequest();

        gemini.enqueueStream(" and the second half.");
        press("U2", cut, AnswerBlocks.CONTINUE);
        FakeSlack.Call more = slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_regenerate") && !c.get("ts").equals(cut.get("ts")));
        assertThat(more.get("text")).isEqualTo("and the second half.");
        assertThat(more.get("blocks")).doesNotContain("gemini_continue");
        List<String> request = userTexts(gemini.takeRequest());
        assertThat(request).hasSize(3);
        assertThat(request.get(0)).isEqualTo("user: [Alice] write a lot");
        assertThat(request.get(1)).isEqualTo("model: The first half, cut");
        assertThat(request.get(2)).startsWith("user: ").contains("Continue");

        press("U2", cut, AnswerBlocks.CONTINUE);
        assertThat(ephemeral()).contains("no longer the latest");
    }

    @Test
    void votesCountOncePerPersonPerAnswerAndMayChange() throws Exception {
        start(List.of());
        gemini.enqueueStream("Rated.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> rate me"));
        FakeSlack.Call controls = awaitControls();
        String answerId = Json.MAPPER.readTree(controls.get("blocks")).findValue("positive_button").path("value").asText()
                .substring(3);

        vote("U2", controls, "up|" + answerId);
        vote("U2", controls, "up|" + answerId);
        vote("U1", controls, "down|" + answerId);
        slack.awaitAll(calls -> calls.stream().filter(c -> c.method().startsWith("/respond/")).count() == 3);
        assertThat(count("up")).isEqualTo(1);
        assertThat(count("down")).isEqualTo(1);
        vote("U2", controls, "down|" + answerId);
        slack.awaitAll(calls -> calls.stream().filter(c -> c.method().startsWith("/respond/")).count() == 4);
        assertThat(count("down")).isEqualTo(2);
    }

    @Test
    void aNewerAnswerTakesTheControlsOffAndAStalePressIsTurnedAway() throws Exception {
        start(List.of());
        gemini.enqueueStream("One.");
        postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> one"));
        FakeSlack.Call first = awaitControls();
        gemini.enqueueStream("Two.");
        postEvent(threadMessage("U1", "1700000000.000200", "1700000000.000100", "two"));
        slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_regenerate") && !c.get("ts").equals(first.get("ts")));
        FakeSlack.Call stripped = slack.await(c -> c.method().equals("chat.update") && c.get("ts").equals(first.get("ts"))
                && c.atNanos() > first.atNanos());
        assertThat(stripped.get("blocks")).doesNotContain("gemini_").contains("One.");
        int requests = gemini.requestCount();

        press("U1", first, AnswerBlocks.REGENERATE);
        assertThat(ephemeral()).contains("no longer the latest");
        assertThat(gemini.requestCount()).isEqualTo(requests);
    }

    @Test
    void afterARestartANewerAnswerAndAThreadResetStillTakeTheOldControlsOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        FakeSlack.Call first;
        try (StateStore before = SqliteStateStore.open(file, Scheduler.system())) {
            start(List.of(), before);
            gemini.enqueueStream("One.");
            postEvent(mentionEvent("U1", "1700000000.000100", "<@UBOT> one"));
            first = awaitControls();
            stopBot();
        }
        FakeSlack.Call second;
        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            start(List.of(), after);
            gemini.enqueueStream("Two.");
            postEvent(threadMessage("U1", "1700000000.000200", "1700000000.000100", "two"));
            second = slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                    && c.get("blocks").contains("gemini_regenerate") && !c.get("ts").equals(first.get("ts")));
            FakeSlack.Call stripped = slack.await(c -> c.method().equals("chat.update")
                    && c.get("ts").equals(first.get("ts")) && c.atNanos() > first.atNanos());
            assertThat(stripped.get("channel")).isEqualTo("C1");
            assertThat(stripped.get("blocks")).doesNotContain("gemini_").contains("One.");
            stopBot();
        }
        try (StateStore again = SqliteStateStore.open(file, Scheduler.system())) {
            start(List.of(), again);
            resetThread("1700000000.000200", "1700000000.000100");
            FakeSlack.Call stripped = slack.await(c -> c.method().equals("chat.update")
                    && c.get("ts").equals(second.get("ts")) && c.atNanos() > second.atNanos());
            assertThat(stripped.get("blocks")).doesNotContain("gemini_").contains("Two.");
            stopBot();
        }
    }

    // ---- the assistant panel -------------------------------------------------------------------------

    @Test
    void theAssistantPanelSuggestsPromptsNamesTheThreadKeepsTheStatusAndTellsTheModelWhereTheUserLooks()
            throws Exception {
        start(List.of());
        postEvent(assistantEvent("assistant_thread_started", "C1"));
        FakeSlack.Call prompts = slack.await(c -> c.method().equals("assistant.threads.setSuggestedPrompts"));
        assertThat(prompts.get("channel_id")).isEqualTo("D1");
        assertThat(prompts.get("thread_ts")).isEqualTo("1700000000.005000");
        assertThat(prompts.get("prompts")).contains("Summarize this channel").contains("Explain a term");

        postEvent(assistantEvent("assistant_thread_context_changed", "C7"));
        gemini.enqueueStream("Here is a summary.");
        postEvent(SlackHttpModeTest.message("Ev-dm-1", "D1", "im", "1700000000.005100", "1700000000.005000",
                "what is this channel about?\nand more"));
        FakeSlack.Call title = slack.await(c -> c.method().equals("assistant.threads.setTitle"));
        assertThat(title.get("title")).isEqualTo("what is this channel about?");
        FakeSlack.Call status = slack.await(c -> c.method().equals("assistant.threads.setStatus"));
        assertThat(status.get("status")).isEqualTo("Thinking…");
        assertThat(status.atNanos()).isLessThan(slack.await(c -> c.method().equals("chat.startStream")
                || c.method().equals("chat.postMessage")).atNanos());
        List<String> request = userTexts(gemini.takeRequest());
        assertThat(request.getLast()).contains("#general").contains("what is this channel about?");
        assertThat(slack.calls("conversations.info").getFirst().get("channel")).isEqualTo("C7");

        // A second question keeps the title.
        gemini.enqueueStream("More.");
        postEvent(SlackHttpModeTest.message("Ev-dm-2", "D1", "im", "1700000000.005200", "1700000000.005000", "more"));
        gemini.takeRequest();
        assertThat(slack.calls("assistant.threads.setTitle")).hasSize(1);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Runs a slash command and returns what its response_url received (the caller alone sees it). */
    private String command(String user, String command, String text) throws Exception {
        int before = responses().size();
        String form = "token=x&team_id=T1&team_domain=t&channel_id=C1&channel_name=general&user_id=" + user
                + "&user_name=" + user + "&command=" + enc(command) + "&text=" + enc(text)
                + "&api_app_id=A1&response_url=" + enc(slack.url("/respond/1")) + "&trigger_id=1.2.3";
        try (Response ack = postSigned(form, FORM)) {
            assertThat(ack.code()).isEqualTo(200);
            assertThat(ack.peekBody(1 << 20).string()).as("acked at once, nothing in the channel").isEmpty();
        }
        slack.awaitAll(calls -> responses().size() > before);
        JsonNode reply = Json.MAPPER.readTree(responses().get(before).body());
        assertThat(reply.path("response_type").asText()).isEqualTo("ephemeral");
        return reply.path("text").asText();
    }

    private List<FakeSlack.Call> responses() {
        return slack.calls().stream().filter(c -> c.method().startsWith("/respond/")).toList();
    }

    /** The text of the latest ephemeral reply, once one more than before has arrived. */
    private String ephemeral() throws Exception {
        slack.awaitAll(calls -> calls.stream().anyMatch(c -> c.method().equals("/respond/2")));
        List<FakeSlack.Call> replies = slack.calls("/respond/2");
        JsonNode reply = Json.MAPPER.readTree(replies.getLast().body());
        assertThat(reply.path("response_type").asText()).isEqualTo("ephemeral");
        return reply.path("text").asText();
    }

    /** Mentions the bot in a new thread and returns the request Gemini received, after the answer's controls. */
    private RecordedRequest mention(String question) throws Exception {
        gemini.enqueueStream("Sure.");
        int before = slack.calls("chat.postMessage").size();
        String ts = "1700000001." + String.format("%06d", ++events);
        postEvent(mentionEvent("U1", ts, "<@UBOT> " + question));
        slack.awaitAll(calls -> slack.calls("chat.postMessage").size() > before);
        return gemini.takeRequest();
    }

    private FakeSlack.Call awaitControls() throws Exception {
        return slack.await(c -> c.ok() && c.method().equals("chat.update") && c.get("blocks") != null
                && c.get("blocks").contains("gemini_regenerate"));
    }

    private void press(String user, FakeSlack.Call controls, String actionId) throws Exception {
        JsonNode blocks = Json.MAPPER.readTree(controls.get("blocks"));
        String value = null;
        for (JsonNode element : blocks.findValues("elements").stream().flatMap(e -> {
            List<JsonNode> list = new ArrayList<>();
            e.forEach(list::add);
            return list.stream();
        }).toList()) {
            if (actionId.equals(element.path("action_id").asText())) {
                value = element.path("value").asText();
            }
        }
        action(user, controls, actionId, "button", value);
    }

    /** The "Reset this thread" shortcut on a message of the thread {@code threadTs}. */
    private void resetThread(String messageTs, String threadTs) throws Exception {
        String payload = """
                {"type":"message_action","team":{"id":"T1","domain":"t"},"user":{"id":"U1","name":"alice"},
                 "api_app_id":"A1","token":"x","trigger_id":"1.2.3","callback_id":"%s","action_ts":"1700000300.000001",
                 "channel":{"id":"C1","name":"general"},"message_ts":"%s","response_url":"%s",
                 "message":{"type":"message","user":"U1","text":"hi","ts":"%s","thread_ts":"%s"}}"""
                .formatted(SlackRouter.RESET_THREAD_SHORTCUT, messageTs, slack.url("/respond/3"), messageTs, threadTs);
        try (Response response = postSigned("payload=" + enc(payload), FORM)) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    private void vote(String user, FakeSlack.Call controls, String value) throws Exception {
        action(user, controls, AnswerBlocks.FEEDBACK, "feedback_buttons", value);
    }

    private void action(String user, FakeSlack.Call message, String actionId, String type, String value) throws Exception {
        String payload = """
                {"type":"block_actions","team":{"id":"T1","domain":"t"},"user":{"id":"%s","name":"%s"},
                 "api_app_id":"A1","token":"x","trigger_id":"1.2.3","channel":{"id":"C1","name":"general"},
                 "container":{"type":"message","message_ts":"%s","channel_id":"C1","is_ephemeral":false},
                 "message":{"type":"message","ts":"%s","text":%s},
                 "response_url":"%s",
                 "actions":[{"type":"%s","action_id":"%s","block_id":"b1","value":"%s","action_ts":"1700000200.000001"}]}"""
                .formatted(user, user, message.get("ts"), message.get("ts"),
                        Json.MAPPER.writeValueAsString(message.get("text")), slack.url("/respond/2"), type, actionId, value);
        try (Response response = postSigned("payload=" + enc(payload), FORM)) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    private double count(String vote) {
        var counter = registry.find("gemini.bot.feedback").tag("platform", "slack").tag("vote", vote).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String mentionEvent(String user, String ts, String text) {
        return SlackHttpModeTest.mentionBy("Ev-" + ts, user, "C1", ts, text);
    }

    private static String threadMessage(String user, String ts, String threadTs, String text) {
        return SlackHttpModeTest.message("Ev-" + ts, "C1", "channel", ts, threadTs, text);
    }

    private static String assistantEvent(String type, String lookingAt) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"Ev-%s-%s","event_time":1700000000,
                 "event":{"type":"%s","event_ts":"1700000000.005001","assistant_thread":{"user_id":"U1","channel_id":"D1",
                  "thread_ts":"1700000000.005000","context":{"channel_id":"%s","team_id":"T1"}}}}"""
                .formatted(type, lookingAt, type, lookingAt);
    }

    private static JsonNode body(RecordedRequest request) throws Exception {
        return Json.MAPPER.readTree(request.getBody().utf8());
    }

    private static String systemInstruction(RecordedRequest request) throws Exception {
        return body(request).path("systemInstruction").path("parts").get(0).path("text").asText();
    }

    private static List<String> userTexts(RecordedRequest request) throws Exception {
        List<String> lines = new ArrayList<>();
        for (JsonNode content : body(request).path("contents")) {
            StringBuilder text = new StringBuilder();
            content.path("parts").forEach(part -> text.append(part.path("text").asText()));
            lines.add(content.path("role").asText() + ": " + text);
        }
        return lines;
    }

    private void postEvent(String json) throws IOException {
        try (Response response = postSigned(json, JSON)) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    private Response postSigned(String body, MediaType type) throws IOException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Request request = new Request.Builder().url("http://127.0.0.1:" + bot.httpPort() + "/slack/events")
                .post(RequestBody.create(body, type))
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SECRET).generate(timestamp, body))
                .build();
        return http.newCall(request).execute();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
