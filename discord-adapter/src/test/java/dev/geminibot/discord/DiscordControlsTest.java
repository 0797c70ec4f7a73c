package dev.geminibot.discord;

import static dev.geminibot.discord.FakeDiscord.ALICE;
import static dev.geminibot.discord.FakeDiscord.BOB;
import static dev.geminibot.discord.FakeDiscord.BOT_ID;
import static dev.geminibot.discord.FakeDiscord.CAROL;
import static dev.geminibot.discord.FakeDiscord.CHANNEL_ID;
import static dev.geminibot.discord.FakeDiscord.GUILD_ID;
import static dev.geminibot.discord.FakeDiscord.option;
import static dev.geminibot.discord.FakeDiscord.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.GeminiConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.geminibot.state.redis.RedisStateStore;
import dev.geminibot.state.redis.RedisUrl;
import dev.geminibot.state.sqlite.SqliteStateStore;
import dev.geminibot.state.testing.LocalRedis;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import mockwebserver3.RecordedRequest;
import net.dv8tion.jda.api.utils.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /model}, {@code /system}, {@code /search} and the buttons on finished answers, with the real JDA
 * against the fake Discord and the real Gemini client against the fake Gemini: what each person may do,
 * what they are told (ephemerally), and what reaches Gemini next.
 */
class DiscordControlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DISCORD_TOKEN = "MTAwMDAw.Gx7fQk.d1sc0rd-T0KEN-c0ntr0ls";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALLOWED = List.of("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash-lite");
    private static final String DEFAULT_PROMPT = "You are Gemini in a test guild.";

    @RegisterExtension
    final LogCapture logs = new LogCapture(DISCORD_TOKEN, FakeGemini.API_KEY);

    private FakeDiscord discord;
    private FakeGemini gemini;
    private ChatEngine engine;
    private DiscordBot bot;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Feedback feedback = new Feedback(registry);

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        gemini = FakeGemini.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (bot != null) {
            bot.close();
        }
        gemini.close();
        discord.close();
    }

    private GeminiConfig geminiConfig() {
        return gemini.config().withSystemPrompt(DEFAULT_PROMPT).withAllowedModels(ALLOWED);
    }

    private void connect(StateStore state, boolean replyInThread) throws Exception {
        engine = new ChatEngine(ChatModels.fromConfig(geminiConfig()), BotConfig.defaults().withGemini(geminiConfig()),
                Scheduler.system(), state);
        var config = new DiscordConfig(Optional.of(Secret.of(DISCORD_TOKEN)), URI.create(discord.restBaseUrl()),
                Optional.of(URI.create(discord.gatewayUrl())), List.of(GUILD_ID), replyInThread, List.of(), List.of(),
                List.of(), List.of(), 0, Optional.empty());
        bot = DiscordBot.start(config, engine, feedback, Clock.systemUTC(), b -> b.setCompression(Compression.NONE));
        bot.awaitReady(WAIT);
    }

    private void connect() throws Exception {
        connect(new MemoryStateStore(), false);
    }

    // ---- the settings commands -------------------------------------------------------------------

    @Test
    void theCommandsAreRegisteredForEveryoneToSee() throws Exception {
        connect();
        FakeDiscord.await(WAIT, "command registration", () -> !discord.calls(c -> c.method().equals("PUT")).isEmpty());
        JsonNode commands = discord.calls(c -> c.method().equals("PUT")).getFirst().body();
        List<String> names = new ArrayList<>();
        for (JsonNode command : commands) {
            names.add(command.path("name").asText());
            assertThat(command.path("default_member_permissions").isNull()
                    || command.path("default_member_permissions").isMissingNode())
                    .as("%s has no default_member_permissions", command.path("name").asText()).isTrue();
        }
        assertThat(names).contains("model", "system", "search");
        for (JsonNode command : commands) {
            if (List.of("model", "system", "search").contains(command.path("name").asText())) {
                assertThat(command.path("options").get(0).path("required").asBoolean(false)).isFalse();
            }
        }
    }

    @Test
    void anyoneMayReadTheSettingsAndOnlyTheCallerSeesTheReply() throws Exception {
        connect();
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "model", options())))
                .isEqualTo("Model here: `gemini-2.5-flash` (the default). Allowed: `gemini-2.5-flash`, `gemini-2.5-pro`, "
                        + "`gemini-2.0-flash-lite`.");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "system", options())))
                .isEqualTo("System prompt here (the default):\n> " + DEFAULT_PROMPT);
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "search", options())))
                .isEqualTo("Google Search here: off (the default).");
    }

    @Test
    void withoutManageChannelsAChangeIsRefusedAndNothingChanges() throws Exception {
        connect();
        String refusal = reply(discord.slashCommandWith(CHANNEL_ID, BOB, "model", options(option("name", 3, "gemini-2.5-pro"))));
        assertThat(refusal).startsWith("Only members who can manage this channel can change the model here.");
        reply(discord.slashCommandWith(CHANNEL_ID, BOB, "system", options(option("text", 3, "Talk like a pirate."))));
        reply(discord.slashCommandWith(CHANNEL_ID, BOB, "search", options(option("value", 3, "on"))));

        RecordedRequest next = ask("hello");
        assertThat(next.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(systemInstruction(next)).isEqualTo(DEFAULT_PROMPT);
        assertThat(body(next).has("tools")).isFalse();
    }

    @Test
    void theGuildOwnerAndAModeratorChangeTheSettingsAndTheNextAnswerUsesThem() throws Exception {
        connect();
        // Alice owns the guild; Carol's role grants Manage Channels.
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "model", options(option("name", 3, "gemini-2.5-pro")))))
                .contains("`gemini-2.5-pro`");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, CAROL, "system", options(option("text", 3, "Answer in French.")))))
                .contains("Answer in French.");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, CAROL, "search", options(option("value", 5, true)))))
                .endsWith(": on.");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "model", options())))
                .startsWith("Model here: `gemini-2.5-pro` (set for this channel).");

        RecordedRequest next = ask("bonjour");
        assertThat(next.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        assertThat(systemInstruction(next)).isEqualTo("Answer in French.");
        assertThat(body(next).path("tools").toString()).isEqualTo("[{\"google_search\":{}}]");

        // As subcommands: /system reset, /search off.
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, CAROL, "system", options(option("reset", 1, null)))))
                .isEqualTo("System prompt reset to the default:\n> " + DEFAULT_PROMPT);
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, CAROL, "search", options(option("off", 1, null)))))
                .endsWith(": off.");
        RecordedRequest after = ask("again");
        assertThat(systemInstruction(after)).isEqualTo(DEFAULT_PROMPT);
        assertThat(body(after).has("tools")).isFalse();
    }

    @Test
    void channelOverwritesDecideToo() throws Exception {
        connect();
        String readOnly = FakeDiscord.READ_ONLY_CHANNEL_ID;
        // #announcements grants Bob Manage Channels by a member overwrite and denies it to the moderators' role.
        assertThat(reply(discord.slashCommandWith(readOnly, BOB, "search", options(option("value", 3, "on")))))
                .endsWith(": on.");
        assertThat(reply(discord.slashCommandWith(readOnly, CAROL, "search", options(option("value", 3, "off")))))
                .startsWith("Only members who can manage this channel");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "search", options(option("value", 3, "on")))))
                .startsWith("Only members who can manage this channel");
        assertThat(reply(discord.slashCommandWith(readOnly, ALICE, "search", options())))
                .isEqualTo("Google Search here: on (set for this channel).");
        assertThat(reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "search", options())))
                .isEqualTo("Google Search here: off (the default).");
    }

    @Test
    void aModelOutsideTheAllowedListIsRefusedNamingEveryAllowedModel() throws Exception {
        connect();
        String refusal = reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "model", options(option("name", 3, "gpt-4o"))));
        assertThat(refusal).contains("gpt-4o");
        ALLOWED.forEach(model -> assertThat(refusal).contains(model));
        assertThat(ask("hi").getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    }

    @Test
    void aThreadUsesItsChannelsSettings() throws Exception {
        connect(new MemoryStateStore(), true);
        reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "model", options(option("name", 3, "gemini-2.0-flash-lite"))));
        gemini.enqueueStream("Threaded.");
        String threadId = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> start a thread", null);
        FakeDiscord.await(WAIT, "the thread's answer", () -> !discord.botMessageIds(threadId).isEmpty());
        assertThat(gemini.takeRequest().getUrl().encodedPath())
                .isEqualTo("/v1beta/models/gemini-2.0-flash-lite:streamGenerateContent");
        assertThat(reply(discord.slashCommandWith(threadId, BOB, "model", options())))
                .startsWith("Model here: `gemini-2.0-flash-lite` (set for this channel).");
    }

    @Test
    void settingsSurviveARestartInTheSqliteFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        try (StateStore before = SqliteStateStore.open(file, Scheduler.system())) {
            connect(before, false);
            reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "system", options(option("text", 3, "Be terse."))));
            reply(discord.slashCommandWith(CHANNEL_ID, ALICE, "model", options(option("name", 3, "gemini-2.5-pro"))));
            engine.close();
            bot.close();
            engine = null;
            bot = null;
        }

        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            connect(after, false);
            assertThat(reply(discord.slashCommandWith(CHANNEL_ID, BOB, "system", options())))
                    .isEqualTo("System prompt here (set for this channel):\n> Be terse.");
            RecordedRequest next = ask("hi");
            assertThat(systemInstruction(next)).isEqualTo("Be terse.");
            assertThat(next.getUrl().encodedPath()).isEqualTo("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
            engine.close();
            bot.close();
            engine = null;
            bot = null;
        }
    }

    // ---- the buttons -----------------------------------------------------------------------------

    @Test
    void aFinishedAnswerCarriesRegenerateAndFeedbackButNoStopOrContinue() throws Exception {
        connect();
        String answerId = askAndWait("what is a monad?", "A monad is a monoid.");
        List<String> labels = buttonLabels(answerId);
        assertThat(labels).containsExactly("🔄 Regenerate", "👍", "👎");
        assertThat(discord.message(answerId).path("components").toString()).doesNotContain(DiscordMessages.STOP_BUTTON_PREFIX);
        assertThat(discord.content(answerId)).isEqualTo("A monad is a monoid.");
    }

    @Test
    void regeneratePressedBySomeoneElseIsRefusedWithoutAskingGemini() throws Exception {
        connect();
        String answerId = askAndWait("what is a monad?", "A monad is a monoid.");
        int requests = gemini.requestCount();

        String token = discord.buttonClick(CHANNEL_ID, answerId, BOB, buttonId(answerId, "🔄 Regenerate"));
        assertThat(ephemeral(token)).contains("Only the person who asked");
        Thread.sleep(300);
        assertThat(gemini.requestCount()).isEqualTo(requests);
        assertThat(buttonLabels(answerId)).contains("🔄 Regenerate");
    }

    @Test
    void regenerateAnswersTheSameQuestionInANewMessageAndTheConversationKeepsOnlyTheNewAnswer() throws Exception {
        connect();
        String first = askAndWait("what is a monad?", "First answer.");
        gemini.takeRequest();

        gemini.enqueueStream("Second ", "answer.");
        String token = discord.buttonClick(CHANNEL_ID, first, ALICE, buttonId(first, "🔄 Regenerate"));
        FakeDiscord.await(WAIT, "the new answer", () -> discord.botMessageIds(CHANNEL_ID).size() == 2);
        String second = discord.botMessageIds(CHANNEL_ID).getFirst();
        FakeDiscord.await(WAIT, "the new answer's buttons", () -> buttonLabels(second).contains("👍"));
        assertThat(discord.content(second)).isEqualTo("Second answer.");
        assertThat(contents(gemini.takeRequest())).containsExactly("user:[alice] what is a monad?");
        var ack = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        assertThat(ack.path("type").asInt()).as("UPDATE_MESSAGE").isEqualTo(7);
        assertThat(buttonLabels(first)).as("the old answer's buttons are gone").isEmpty();
        assertThat(discord.content(first)).isEqualTo("First answer.");

        gemini.enqueueStream("You're welcome.");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> thanks", null);
        assertThat(contents(gemini.takeRequest())).containsExactly(
                "user:[alice] what is a monad?", "model:Second answer.", "user:[alice] thanks");

        // A moderator may regenerate someone else's answer too.
        String third = awaitButtonsOnNewest(3);
        gemini.enqueueStream("Welcome again.");
        discord.buttonClick(CHANNEL_ID, third, CAROL, buttonId(third, "🔄 Regenerate"));
        FakeDiscord.await(WAIT, "the moderator's regenerated answer", () -> discord.botMessageIds(CHANNEL_ID).size() == 4);
        assertThat(contents(gemini.takeRequest())).containsExactly(
                "user:[alice] what is a monad?", "model:Second answer.", "user:[alice] thanks");
    }

    @Test
    void continueAppearsOnlyAfterMaxTokensAndSendsTheCutAnswerAsAModelTurn() throws Exception {
        connect();
        gemini.enqueueSse(FakeGemini.event(FakeGemini.chunk("The first half, ", false, null, 5, 1))
                + FakeGemini.event(FakeGemini.chunk("cut", false, "MAX_TOKENS", 5, 2)));
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write a lot", null);
        String cut = awaitButtonsOnNewest(1);
        assertThat(buttonLabels(cut)).containsExactly("🔄 Regenerate", "▶ Continue", "👍", "👎");
        gemini.takeRequest();

        gemini.enqueueStream(" and the second half.");
        String continueId = buttonId(cut, "▶ Continue");
        String token = discord.buttonClick(CHANNEL_ID, cut, BOB, continueId);
        String more = awaitButtonsOnNewest(2);
        assertThat(discord.content(more)).isEqualTo("and the second half.");
        List<String> request = contents(gemini.takeRequest());
        assertThat(request).hasSize(3);
        assertThat(request.get(0)).isEqualTo("user:[alice] write a lot");
        assertThat(request.get(1)).isEqualTo("model:The first half, cut");
        assertThat(request.get(2)).startsWith("user:").contains("Continue");
        assertThat(buttonLabels(more)).containsExactly("🔄 Regenerate", "👍", "👎");
        assertThat(buttonLabels(cut)).isEmpty();

        String again = discord.buttonClick(CHANNEL_ID, cut, BOB, continueId);
        assertThat(ephemeral(again)).contains("no longer the latest");
        assertThat(discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body().path("type").asInt())
                .isEqualTo(7);
    }

    @Test
    void votesCountOncePerPersonPerAnswerAndMayChange() throws Exception {
        connect();
        String answerId = askAndWait("rate me", "Rated.");
        String up = buttonId(answerId, "👍");
        String down = buttonId(answerId, "👎");

        assertThat(ephemeral(discord.buttonClick(CHANNEL_ID, answerId, BOB, up))).contains("Thanks");
        assertThat(ephemeral(discord.buttonClick(CHANNEL_ID, answerId, BOB, up))).contains("already");
        assertThat(ephemeral(discord.buttonClick(CHANNEL_ID, answerId, ALICE, down))).contains("Thanks");
        assertThat(count("up")).isEqualTo(1);
        assertThat(count("down")).isEqualTo(1);
        assertThat(ephemeral(discord.buttonClick(CHANNEL_ID, answerId, BOB, down))).contains("Changed");
        assertThat(count("down")).isEqualTo(2);
        assertThat(logs.lines()).anyMatch(line -> line.contains("feedback answer=") && line.contains("vote=up"));
    }

    @Test
    void aNewerAnswerOrAResetTakesTheButtonsOffAndAStalePressIsTurnedAway() throws Exception {
        connect();
        String first = askAndWait("one", "One.");
        String regenerate = buttonId(first, "🔄 Regenerate");
        askAndWait("two", "Two.");
        assertThat(buttonLabels(first)).isEmpty();
        int requests = gemini.requestCount();

        assertThat(ephemeral(discord.buttonClick(CHANNEL_ID, first, ALICE, regenerate))).contains("no longer the latest");
        assertThat(gemini.requestCount()).isEqualTo(requests);

        String second = discord.botMessageIds(CHANNEL_ID).getFirst();
        discord.slashCommandWith(CHANNEL_ID, ALICE, "reset", options());
        FakeDiscord.await(WAIT, "the buttons to go", () -> buttonLabels(second).isEmpty());
    }

    @Test
    void afterARestartANewerAnswerAndAResetStillTakeTheOldButtonsOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gemini-bot.db");
        String first;
        try (StateStore before = SqliteStateStore.open(file, Scheduler.system())) {
            connect(before, false);
            first = askAndWait("one", "One.");
            disconnect();
        }
        String second;
        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            connect(after, false);
            second = askAndWait("two", "Two.");
            FakeDiscord.await(WAIT, "the first answer's buttons to go", () -> buttonLabels(first).isEmpty());
            assertThat(componentEdits(first)).as("one edit removes every component").isNotEmpty();
            assertThat(buttonLabels(second)).contains("👍");
            disconnect();
        }
        try (StateStore again = SqliteStateStore.open(file, Scheduler.system())) {
            connect(again, false);
            discord.slashCommandWith(CHANNEL_ID, ALICE, "reset", options());
            FakeDiscord.await(WAIT, "the second answer's buttons to go", () -> buttonLabels(second).isEmpty());
            disconnect();
        }
    }

    @Test
    void afterARestartAResetInADirectMessageStillTakesTheOldButtonsOff(@TempDir Path dir) throws Exception {
        // A restarted process does not have the DM channel cached; the reset's interaction names it.
        Path file = dir.resolve("gemini-bot.db");
        String answer = answerInADirectMessageThenRestart(file);
        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            connect(after, false);
            String token = discord.slashCommandWith(FakeDiscord.DM_CHANNEL_ID, ALICE, "reset", options());
            assertThat(reply(token)).contains("forgot");
            FakeDiscord.await(WAIT, "the DM answer's buttons to go", () -> buttonLabels(answer).isEmpty());
            assertThat(logs.lines()).noneMatch(line -> line.contains("not known here"));
            disconnect();
        }
    }

    @Test
    void aResetWhoseOldButtonsCannotBeEditedStillResetsAndSaysSo(@TempDir Path dir) throws Exception {
        // JDA refuses, before any request, to edit messages in a DM it sees as between two people.
        Path file = dir.resolve("gemini-bot.db");
        String answer = answerInADirectMessageThenRestart(file);
        discord.friendDmInteractions = true;
        try (StateStore after = SqliteStateStore.open(file, Scheduler.system())) {
            connect(after, false);
            String token = discord.slashCommandWith(FakeDiscord.DM_CHANNEL_ID, ALICE, "reset", options());
            assertThat(reply(token)).contains("forgot");
            assertThat(buttonLabels(answer)).as("left, and the reason logged").contains("👍");
            assertThat(logs.lines()).anyMatch(line -> line.contains("Could not take the buttons off an earlier answer"));
            gemini.enqueueStream("Hi again.");
            discord.userMessage(FakeDiscord.DM_CHANNEL_ID, null, ALICE, "do you remember?", null);
            FakeDiscord.await(WAIT, "the next DM answer", () -> discord.botMessageIds(FakeDiscord.DM_CHANNEL_ID).size() == 2);
            gemini.takeRequest();
            assertThat(contents(gemini.takeRequest())).as("the reset held").containsExactly("user:do you remember?");
            disconnect();
        }
    }

    /** Alice asks in her DM with the bot, the answer gets its buttons, and the process stops; returns the answer. */
    private String answerInADirectMessageThenRestart(Path file) throws Exception {
        String dm = FakeDiscord.DM_CHANNEL_ID;
        try (StateStore before = SqliteStateStore.open(file, Scheduler.system())) {
            connect(before, false);
            gemini.enqueueStream("Hello.");
            discord.userMessage(dm, null, ALICE, "hello", null);
            FakeDiscord.await(WAIT, "the DM answer with its buttons", () -> !discord.botMessageIds(dm).isEmpty()
                    && buttonLabels(discord.botMessageIds(dm).getFirst()).contains("👍"));
            String answer = discord.botMessageIds(dm).getFirst();
            disconnect();
            return answer;
        }
    }

    @Test
    void anotherInstanceOnTheSameRedisTakesTheOldButtonsOff() throws Exception {
        try (LocalRedis redis = LocalRedis.start("buttons-pw")) {
            String first;
            try (StateStore a = new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system())) {
                connect(a, false);
                first = askAndWait("one", "One.");
                disconnect();
            }
            try (StateStore b = new RedisStateStore(RedisUrl.parse(redis.url()), "gemini-bot:", Scheduler.system())) {
                connect(b, false);
                String second = askAndWait("two", "Two.");
                FakeDiscord.await(WAIT, "the first answer's buttons to go", () -> buttonLabels(first).isEmpty());
                assertThat(componentEdits(first)).isNotEmpty();
                assertThat(buttonLabels(second)).contains("👍");
                disconnect();
            }
        }
    }

    private void disconnect() throws Exception {
        engine.close();
        bot.close();
        engine = null;
        bot = null;
    }

    /** The edits of {@code messageId} that set its components to none. */
    private List<FakeDiscord.Call> componentEdits(String messageId) {
        return discord.calls(c -> c.method().equals("PATCH") && c.path().endsWith("/messages/" + messageId)
                && c.body() != null && c.body().path("components").isArray() && c.body().path("components").isEmpty());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Asks in the channel and returns the request Gemini received. */
    private RecordedRequest ask(String question) throws Exception {
        gemini.enqueueStream("Sure.");
        int before = discord.botMessageIds(CHANNEL_ID).size();
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> " + question, null);
        awaitButtonsOnNewest(before + 1);
        return gemini.takeRequest();
    }

    /** Asks and waits until the answer carries its buttons; returns the answer's message id. */
    private String askAndWait(String question, String answer) {
        gemini.enqueueStream(answer);
        int before = discord.botMessageIds(CHANNEL_ID).size();
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> " + question, null);
        return awaitButtonsOnNewest(before + 1);
    }

    /** Waits until the bot has {@code count} messages here and the newest carries buttons; returns its id. */
    private String awaitButtonsOnNewest(int count) {
        FakeDiscord.await(WAIT, count + " answers with buttons", () -> discord.botMessageIds(CHANNEL_ID).size() >= count
                && buttonLabels(discord.botMessageIds(CHANNEL_ID).getFirst()).contains("👍"));
        return discord.botMessageIds(CHANNEL_ID).getFirst();
    }

    private List<String> buttonLabels(String messageId) {
        List<String> labels = new ArrayList<>();
        for (JsonNode row : discord.message(messageId).path("components")) {
            for (JsonNode button : row.path("components")) {
                if (!button.path("disabled").asBoolean(false)) {
                    labels.add(button.path("label").asText());
                }
            }
        }
        return labels;
    }

    /** The custom id of the button labelled {@code label}; with null, the answer id its buttons carry. */
    private String buttonId(String messageId, String label) {
        for (JsonNode row : discord.message(messageId).path("components")) {
            for (JsonNode button : row.path("components")) {
                if (label == null && button.path("custom_id").asText().startsWith(AnswerButtons.VOTE + "up:")) {
                    return button.path("custom_id").asText().substring((AnswerButtons.VOTE + "up:").length());
                }
                if (button.path("label").asText().equals(label)) {
                    return button.path("custom_id").asText();
                }
            }
        }
        throw new AssertionError("no button " + label + " on " + messageId);
    }

    private double count(String vote) {
        var counter = registry.find("gemini.bot.feedback").tag("platform", "discord").tag("vote", vote).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The ephemeral reply to the button press with {@code token}. */
    private String ephemeral(String token) {
        Supplier<List<FakeDiscord.Call>> callbacks = () -> discord.calls(c -> c.path().endsWith(token + "/callback"));
        FakeDiscord.await(WAIT, "the reply to " + token, () -> !callbacks.get().isEmpty());
        JsonNode reply = callbacks.get().getFirst().body();
        assertThat(reply.path("type").asInt()).as("CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(4);
        assertThat(reply.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        return reply.path("data").path("content").asText();
    }

    /**
     * The reply to the settings command with {@code token}: acknowledged at once as an ephemeral deferred reply
     * (only the caller sees it), then filled in by editing the original response.
     */
    private String reply(String token) {
        Supplier<List<FakeDiscord.Call>> callbacks = () -> discord.calls(c -> c.path().endsWith(token + "/callback"));
        FakeDiscord.await(WAIT, "the ack of " + token, () -> !callbacks.get().isEmpty());
        JsonNode ack = callbacks.get().getFirst().body();
        assertThat(ack.path("type").asInt()).as("DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(5);
        assertThat(ack.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        String original = "webhooks/" + FakeDiscord.APP_ID + "/" + token + "/messages/@original";
        Supplier<List<FakeDiscord.Call>> edits = () -> discord.calls(c -> c.method().equals("PATCH")
                && c.path().equals(original) && c.content() != null);
        FakeDiscord.await(WAIT, "the answer to " + token, () -> !edits.get().isEmpty());
        return edits.get().getFirst().content();
    }

    private static JsonNode body(RecordedRequest request) throws Exception {
        return JSON.readTree(request.getBody().utf8());
    }

    private static String systemInstruction(RecordedRequest request) throws Exception {
        return body(request).path("systemInstruction").path("parts").get(0).path("text").asText();
    }

    private static List<String> contents(RecordedRequest request) throws Exception {
        List<String> contents = new ArrayList<>();
        for (JsonNode content : body(request).path("contents")) {
            StringBuilder text = new StringBuilder();
            content.path("parts").forEach(part -> text.append(part.path("text").asText()));
            contents.add(content.path("role").asText() + ":" + text);
        }
        return contents;
    }
}
