package dev.geminibot.discord;

import static dev.geminibot.discord.FakeDiscord.ALICE;
import static dev.geminibot.discord.FakeDiscord.BOB;
import static dev.geminibot.discord.FakeDiscord.BOT_ID;
import static dev.geminibot.discord.FakeDiscord.CHANNEL_ID;
import static dev.geminibot.discord.FakeDiscord.GUILD_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.StreamingConfig;
import dev.geminibot.config.StreamingMode;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModel;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.LogCapture;
import dev.geminibot.core.testing.ScriptedModel;
import dev.geminibot.core.testing.Stall;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.utils.Compression;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The real JDA against a local fake Discord, answering through the real {@link ChatEngine}: the model is
 * the real Gemini client against a local fake Gemini, or a {@link ScriptedModel} where an answer must stay
 * open while the test acts. What users do, and exactly what Discord and Gemini receive.
 */
class DiscordBotTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Distinctive, so that the log check below would find it anywhere. */
    private static final String DISCORD_TOKEN = "MTAwMDAw.Gx7fQk.d1sc0rd-T0KEN-n3ver-1n-l0gs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ANSWER_LOG =
            Pattern.compile("answer id=\\S+ conv=(\\S+) trigger=(\\S+) model=\\S+ outcome=(\\S+) ");

    /** Fails any test that logged the Discord token or the Gemini key. */
    @RegisterExtension
    final LogCapture logs = new LogCapture(DISCORD_TOKEN, FakeGemini.API_KEY);

    private FakeDiscord discord;
    private FakeGemini gemini;
    private ChatEngine engine;
    private DiscordBot bot;

    /** One finished answer as the engine logs it. */
    record Answered(String conversation, String trigger, String outcome) {
    }

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        gemini = FakeGemini.start();
    }

    @AfterEach
    void stop() throws Exception {
        // The engine first: its open answers make their final edits while JDA can still send them.
        if (engine != null) {
            engine.close();
        }
        if (bot != null) {
            bot.close();
        }
        gemini.close();
        discord.close();
    }

    // ---- connecting -----------------------------------------------------------------------------------

    /** The bot with the real Gemini client against the fake Gemini. */
    private void connect(boolean replyInThread, List<String> guildIds) throws Exception {
        connect(replyInThread, guildIds, List.of());
    }

    private void connect(boolean replyInThread, List<String> guildIds, List<String> allowedUsers) throws Exception {
        connect(ChatModels.fromConfig(gemini.config()), BotConfig.defaults().withGemini(gemini.config()),
                replyInThread, guildIds, allowedUsers);
    }

    /** The bot answering with {@code model}, edits at the platform's default interval. */
    private void connect(ChatModel model) throws Exception {
        connect(model, BotConfig.defaults(), false, List.of(), List.of());
    }

    private void connect(ChatModel model, BotConfig botConfig, boolean replyInThread, List<String> guildIds,
                         List<String> allowedUsers) throws Exception {
        engine = new ChatEngine(model, botConfig);
        startBot(replyInThread, guildIds, allowedUsers);
    }

    private void startBot(boolean replyInThread, List<String> guildIds, List<String> allowedUsers) throws Exception {
        var config = new DiscordConfig(Optional.of(Secret.of(DISCORD_TOKEN)), URI.create(discord.restBaseUrl()),
                Optional.of(URI.create(discord.gatewayUrl())), guildIds, replyInThread, List.of(), List.of(),
                List.of(), allowedUsers, 0, Optional.empty());
        bot = DiscordBot.start(config, engine, clock, builder -> builder.setCompression(Compression.NONE));
        bot.awaitReady(WAIT);
    }

    /** Stops bot and engine (forgetting every conversation) and starts both afresh against the same Discord. */
    private void restart(boolean replyInThread) throws Exception {
        engine.close();
        bot.close();
        engine = new ChatEngine(ChatModels.fromConfig(gemini.config()), BotConfig.defaults().withGemini(gemini.config()));
        startBot(replyInThread, List.of(), List.of());
    }

    // ---- what the model says ----------------------------------------------------------------------------

    /** The answer pieces the fake Gemini streams for {@code question}: with pings that must not ping. */
    private static String[] deltas(String question) {
        return new String[] {"Answer to ", "\"" + question + "\"", ": @everyone ", "<@" + ALICE + "> done."};
    }

    /** What Discord shows for the model's {@code text}: {@code @everyone} and {@code @here} defused. */
    private static String shown(String text) {
        return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere");
    }

    /** Queues the answer to {@code question} at the fake Gemini; returns its whole text. */
    private String enqueueAnswer(String question) {
        gemini.enqueueStream(deltas(question));
        return String.join("", deltas(question));
    }

    /** Queues a stream that writes {@code deltas}, then stays open until released (heartbeats every 50 ms). */
    private Stall enqueueHeld(String... deltas) {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < deltas.length; i++) {
            first.append(FakeGemini.event(FakeGemini.chunk(deltas[i], false, null, 5, i + 1)));
        }
        return gemini.enqueueStall(first.toString(), Duration.ofMillis(50));
    }

    /** The contents of the next request the fake Gemini received, each as {@code role:text}. */
    private List<String> nextGeminiContents() throws Exception {
        JsonNode body = JSON.readTree(gemini.takeRequest().getBody().utf8());
        List<String> contents = new ArrayList<>();
        for (JsonNode content : body.path("contents")) {
            StringBuilder text = new StringBuilder();
            content.path("parts").forEach(part -> text.append(part.path("text").asText()));
            contents.add(content.path("role").asText() + ":" + text);
        }
        return contents;
    }

    // ---- the stories ------------------------------------------------------------------------------------

    @Test
    void mentionIsAnsweredAsAReplyThatGrowsAndEndsWithTheModelsText() throws Exception {
        connect(false, List.of());
        String expected = enqueueAnswer("what is a monad?");
        String question = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> what is a monad?", null);

        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "MENTION", "COMPLETED"));
        assertThat(nextGeminiContents()).containsExactly("user:[alice] what is a monad?");

        var posts = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        assertThat(posts).hasSize(1);
        assertThat(posts.getFirst().content()).as("the first words at once, no Thinking…").isEqualTo("Answer to▌");
        assertThat(posts.getFirst().body().path("message_reference").path("message_id").asText()).isEqualTo(question);
        assertThat(posts.getFirst().hasStopButton()).isTrue();
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();

        var edits = edits(answerId);
        assertThat(edits).as("the rest of a fast answer lands in the final edit").hasSize(1);
        assertThat(edits.getLast().hasStopButton()).isFalse();
        assertThat(edits.getLast().content()).isEqualTo(shown(expected));
        assertThat(discord.content(answerId)).isEqualTo(shown(expected));
        assertThat(discord.calls(c -> c.path().equals("channels/" + CHANNEL_ID + "/typing"))).isNotEmpty();
        assertNoPings();
        assertThat(discord.gatewayFrames()).filteredOn(f -> f.path("op").asInt() == 2)
                .extracting(f -> f.path("d").path("token").asText())
                .as("the token the log check looks for is the one in use").containsExactly(DISCORD_TOKEN);
    }

    @Test
    void otherPeoplesMentionsReachTheModelAsNames() throws Exception {
        connect(false, List.of());
        enqueueAnswer("q");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> what did <@" + BOB + "> mean?", null);
        awaitAnswers(1);

        assertThat(nextGeminiContents()).containsExactly("user:[alice] what did @bob mean?");
        assertNoPings();
    }

    @Test
    void replyToTheBotWithoutPingContinuesTheConversation() throws Exception {
        connect(false, List.of());
        String first = enqueueAnswer("first");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> first", null);
        awaitAnswers(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();

        String expected = enqueueAnswer("why?");
        String reply = discord.userMessage(CHANNEL_ID, GUILD_ID, BOB, "why?", answerId);
        awaitAnswers(2);

        assertThat(answers().get(1)).isEqualTo(new Answered(channelKey().toString(), "REPLY", "COMPLETED"));
        nextGeminiContents();
        assertThat(nextGeminiContents()).containsExactly("user:[alice] first", "model:" + first, "user:[bob] why?");
        String second = discord.botMessageIds(CHANNEL_ID).getFirst();
        assertThat(second).isNotEqualTo(answerId);
        var post = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")).get(1);
        assertThat(post.body().path("message_reference").path("message_id").asText()).isEqualTo(reply);
        assertThat(discord.content(second)).isEqualTo(shown(expected));
        assertNoPings();
    }

    @Test
    void aMessageThatNeitherMentionsNorRepliesIsIgnored() throws Exception {
        connect(false, List.of());
        enqueueAnswer("now you");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "just chatting, @everyone", null);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> now you", null);
        awaitAnswers(1);
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(nextGeminiContents()).containsExactly("user:[alice] now you");
    }

    @Test
    void withReplyInThreadAMentionStartsAThreadAndFollowUpsThereNeedNoMention() throws Exception {
        connect(true, List.of());
        String first = enqueueAnswer("explain monads\nplease");
        String question = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> explain monads\nplease", null);
        awaitAnswers(1);

        var threadCalls = discord.calls(c -> c.method().equals("POST")
                && c.path().equals("channels/" + CHANNEL_ID + "/messages/" + question + "/threads"));
        assertThat(threadCalls).hasSize(1);
        assertThat(threadCalls.getFirst().body().path("name").asText()).isEqualTo("explain monads");
        String threadId = question; // a thread started from a message takes the message's id
        var threadKey = new ConversationKey("discord", GUILD_ID, threadId, threadId);
        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")))
                .as("nothing is posted in the channel itself").isEmpty();
        String answerId = discord.botMessageIds(threadId).getFirst();
        assertThat(discord.content(answerId)).isEqualTo(shown(first));
        assertThat(answers()).containsExactly(new Answered(threadKey.toString(), "MENTION", "COMPLETED"));

        String expected = enqueueAnswer("and functors?");
        discord.userMessage(threadId, GUILD_ID, ALICE, "and functors?", null);
        awaitAnswers(2);
        assertThat(answers().get(1)).isEqualTo(new Answered(threadKey.toString(), "THREAD_FOLLOW_UP", "COMPLETED"));
        assertThat(nextGeminiContents()).containsExactly("user:[alice] explain monads\nplease");
        assertThat(nextGeminiContents()).containsExactly(
                "user:[alice] explain monads\nplease", "model:" + first, "user:[alice] and functors?");
        String second = discord.botMessageIds(threadId).getFirst();
        assertThat(discord.content(second)).isEqualTo(shown(expected));
        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + threadId + "/messages")))
                .allMatch(c -> c.body().path("message_reference").isMissingNode());
        assertNoPings();
    }

    @Test
    void afterARestartAThreadIsRebuiltFromDiscord() throws Exception {
        connect(true, List.of());
        String first = enqueueAnswer("what is 2+2?");
        String threadId = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> what is 2+2?", null);
        awaitAnswers(1);
        String second = enqueueAnswer("are you sure?");
        discord.userMessage(threadId, GUILD_ID, BOB, "are you sure?", null);
        awaitAnswers(2);
        nextGeminiContents();
        nextGeminiContents();

        restart(true);
        String third = enqueueAnswer("and 3+3?");
        discord.userMessage(threadId, GUILD_ID, ALICE, "and 3+3?", null);
        awaitAnswers(3);

        var threadKey = new ConversationKey("discord", GUILD_ID, threadId, threadId);
        assertThat(answers().get(2)).isEqualTo(new Answered(threadKey.toString(), "THREAD_FOLLOW_UP", "COMPLETED"));
        assertThat(nextGeminiContents()).as("the thread's starter, the bot's answers and everyone's turns, read back")
                .containsExactly(
                        "user:[alice] what is 2+2?", "model:" + first,
                        "user:[bob] are you sure?", "model:" + second,
                        "user:[alice] and 3+3?");
        assertThat(discord.content(discord.botMessageIds(threadId).getFirst())).isEqualTo(shown(third));
        assertNoPings();
    }

    @Test
    void aResetInAThreadHoldsAcrossARestartThoughDiscordStillShowsTheThread() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("state").resolve("gemini-bot.db");
        var stateBefore = dev.geminibot.state.sqlite.SqliteStateStore.open(file, dev.geminibot.core.reply.Scheduler.system());
        engine = new ChatEngine(ChatModels.fromConfig(gemini.config()), BotConfig.defaults().withGemini(gemini.config()),
                dev.geminibot.core.reply.Scheduler.system(), stateBefore);
        startBot(true, List.of(), List.of());
        enqueueAnswer("the secret plan is X");
        String threadId = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> the secret plan is X", null);
        awaitAnswers(1);
        nextGeminiContents();

        String token = discord.slashCommand(threadId, ALICE, "reset", null);
        FakeDiscord.await(WAIT, "the reset confirmation", () -> discord.originalMessageId(token) != null
                && discord.content(discord.originalMessageId(token)).contains("forgot"));
        assertThat(discord.content(discord.originalMessageId(token))).contains("this thread's conversation (2 messages)");

        // A restart on the same state file: the engine remembers nothing in memory, Discord shows the
        // whole thread, and the reset marker still wins over reading it back.
        engine.close();
        bot.close();
        stateBefore.close();
        var stateAfter = dev.geminibot.state.sqlite.SqliteStateStore.open(file, dev.geminibot.core.reply.Scheduler.system());
        engine = new ChatEngine(ChatModels.fromConfig(gemini.config()), BotConfig.defaults().withGemini(gemini.config()),
                dev.geminibot.core.reply.Scheduler.system(), stateAfter);
        startBot(true, List.of(), List.of());
        try {
            enqueueAnswer("what was the plan?");
            discord.userMessage(threadId, GUILD_ID, ALICE, "what was the plan?", null);
            awaitAnswers(2);
            assertThat(nextGeminiContents()).as("nothing from before the reset")
                    .containsExactly("user:[alice] what was the plan?");
        } finally {
            engine.close();
            engine = null;
            stateAfter.close();
        }
    }

    @Test
    void everyDirectMessageIsATurnOfTheDmConversation() throws Exception {
        connect(false, List.of());
        String expected = enqueueAnswer("hello there");
        discord.userMessage(FakeDiscord.DM_CHANNEL_ID, null, ALICE, "hello there", null);
        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(
                ConversationKey.channel("discord", "dm", FakeDiscord.DM_CHANNEL_ID).toString(), "DIRECT_MESSAGE", "COMPLETED"));
        assertThat(nextGeminiContents()).as("one person: no names").containsExactly("user:hello there");
        String answerId = discord.botMessageIds(FakeDiscord.DM_CHANNEL_ID).getFirst();
        assertThat(discord.content(answerId)).isEqualTo(shown(expected));
        assertNoPings();
    }

    @Test
    void askDefersAtOnceShowsThinkingWhileTheModelIsSilentAndStreamsIntoTheOriginalResponse() throws Exception {
        connect(false, List.of(GUILD_ID));
        FakeDiscord.await(WAIT, "guild command registration", () -> !discord.calls(c -> c.method().equals("PUT")
                && c.path().equals("applications/" + FakeDiscord.APP_ID + "/guilds/" + GUILD_ID + "/commands")).isEmpty());
        var registered = discord.calls(c -> c.method().equals("PUT")).getFirst().body();
        assertThat(registered.findValuesAsText("name")).contains("ask", "reset", "stop", "prompt");
        assertThat(discord.calls(c -> c.method().equals("PUT") && c.path().equals("applications/" + FakeDiscord.APP_ID + "/commands")))
                .as("no global registration when guildIds are set").isEmpty();

        Stall silent = gemini.enqueueStall(": thinking\n\n", Duration.ofMillis(50));
        String token = discord.slashCommand(CHANNEL_ID, ALICE, "ask", "what is a monad?");
        String hookPath = "webhooks/" + FakeDiscord.APP_ID + "/" + token + "/messages/@original";
        FakeDiscord.await(WAIT, "the Thinking… placeholder", () -> !discord.calls(c -> c.path().equals(hookPath)).isEmpty());
        silent.release(FakeGemini.streamOf(deltas("what is a monad?")));
        String expected = String.join("", deltas("what is a monad?"));
        awaitAnswers(1);

        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "SLASH_COMMAND", "COMPLETED"));
        assertThat(nextGeminiContents()).containsExactly("user:[alice] what is a monad?");
        var callbacks = discord.calls(c -> c.path().endsWith(token + "/callback"));
        assertThat(callbacks).hasSize(1);
        assertThat(callbacks.getFirst().body().path("type").asInt()).as("DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(5);
        var hookEdits = discord.calls(c -> c.method().equals("PATCH") && c.path().equals(hookPath) && c.content() != null);
        // Thinking…, then (when the words do not all arrive at once) live text, then the final text.
        assertThat(hookEdits.getFirst().content()).isEqualTo("Thinking…");
        assertThat(hookEdits.getLast().content()).isEqualTo(shown(expected));
        assertThat(hookEdits.getLast().hasStopButton()).isFalse();
        assertThat(hookEdits.subList(0, hookEdits.size() - 1)).allSatisfy(live -> {
            assertThat(live.hasStopButton()).isTrue();
            assertThat(live.content()).satisfiesAnyOf(c -> assertThat(c).isEqualTo("Thinking…"),
                    c -> assertThat(c).endsWith("▌").satisfies(
                            text -> assertThat(shown(expected)).startsWith(text.substring(0, text.length() - 1))));
        });
        assertThat(discord.content(discord.originalMessageId(token))).isEqualTo(shown(expected));
        assertThat(discord.calls(c -> c.path().startsWith("channels/") && !c.path().endsWith("/typing"))).isEmpty();
        assertNoPings();
    }

    @Test
    void resetForgetsThisChannelAndConfirmsOnlyToTheUser() throws Exception {
        connect(false, List.of());
        enqueueAnswer("remember me");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> remember me", null);
        awaitAnswers(1);
        assertThat(engine.knows(channelKey())).isTrue();

        String token = discord.slashCommand(CHANNEL_ID, ALICE, "reset", null);
        FakeDiscord.await(WAIT, "the reset reply", () -> !discord.calls(c -> c.path().endsWith(token + "/callback")).isEmpty());
        var reply = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        // Deferred at once (the store may be slow), confirmed once the reset is written.
        assertThat(reply.path("type").asInt()).isEqualTo(5);
        assertThat(reply.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        FakeDiscord.await(WAIT, "the reset confirmation", () -> discord.originalMessageId(token) != null
                && discord.content(discord.originalMessageId(token)).contains("forgot"));
        assertThat(discord.content(discord.originalMessageId(token)))
                .isEqualTo("Done: I forgot our conversation here (2 messages); the next message starts fresh, "
                        + "and I won't read back what came before.");

        enqueueAnswer("again");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> again", null);
        awaitAnswers(2);
        nextGeminiContents();
        assertThat(nextGeminiContents()).as("a fresh start").containsExactly("user:[alice] again");
    }

    @Test
    void stopCommandStopsTheAnswerBeingWrittenHere() throws Exception {
        var model = new ScriptedModel();
        model.hold(List.of("Answer to "), List.of("the rest"));
        connect(model);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write an essay", null);
        String answerId = awaitFirstPost(CHANNEL_ID);

        String token = discord.slashCommand(CHANNEL_ID, BOB, "stop", null);
        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "MENTION", "STOPPED"));
        assertThat(model.cancelled()).as("the model call was cancelled").containsExactly(true);
        FakeDiscord.await(WAIT, "the stop reply", () -> !discord.calls(c -> c.path().endsWith(token + "/callback")).isEmpty());
        var reply = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        assertThat(reply.path("data").path("content").asText()).isEqualTo("Stopped.");
        assertThat(reply.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(discord.content(answerId)).isEqualTo("Answer to \n\n⏹ stopped");
        assertThat(edits(answerId)).hasSize(1);
        assertThat(edits(answerId).getLast().hasStopButton()).isFalse();

        String again = discord.slashCommand(CHANNEL_ID, BOB, "stop", null);
        FakeDiscord.await(WAIT, "the second stop reply", () -> !discord.calls(c -> c.path().endsWith(again + "/callback")).isEmpty());
        assertThat(discord.calls(c -> c.path().endsWith(again + "/callback")).getFirst().body()
                .path("data").path("content").asText()).isEqualTo("Nothing is being written here.");
        assertNoPings();
    }

    @Test
    void stopInAChannelAlsoStopsAnswersInThreadsStartedFromItAndInAThreadStopsThatThread() throws Exception {
        var model = new ScriptedModel();
        model.hold(List.of("Thread answer "), List.of("never"));
        ScriptedModel.Gate dmGate = model.hold(List.of("DM answer "), List.of("goes on."));
        model.hold(List.of("Follow-up "), List.of("never"));
        connect(model, BotConfig.defaults(), true, List.of(), List.of());
        String threadId = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write an essay", null);
        var threadKey = new ConversationKey("discord", GUILD_ID, threadId, threadId);
        String threadAnswer = awaitFirstPost(threadId);
        discord.userMessage(FakeDiscord.DM_CHANNEL_ID, null, BOB, "and one for me", null);
        String dmAnswer = awaitFirstPost(FakeDiscord.DM_CHANNEL_ID);

        String token = discord.slashCommand(CHANNEL_ID, BOB, "stop", null);
        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(threadKey.toString(), "MENTION", "STOPPED"));
        assertThat(stopReply(token)).isEqualTo("Stopped.");
        assertThat(discord.content(threadAnswer)).isEqualTo("Thread answer \n\n⏹ stopped");
        assertThat(engine.current(ConversationKey.channel("discord", "dm", FakeDiscord.DM_CHANNEL_ID)))
                .as("an answer elsewhere goes on").isPresent();
        dmGate.open();
        awaitAnswers(2);
        assertThat(discord.content(dmAnswer)).isEqualTo("DM answer goes on.");

        discord.userMessage(threadId, GUILD_ID, ALICE, "shorter, please", null);
        FakeDiscord.await(WAIT, "the follow-up's answer", () -> discord.botMessageIds(threadId).size() == 2);
        String inThread = discord.slashCommand(threadId, ALICE, "stop", null);
        awaitAnswers(3);
        assertThat(answers().get(2)).isEqualTo(new Answered(threadKey.toString(), "THREAD_FOLLOW_UP", "STOPPED"));
        assertThat(stopReply(inThread)).isEqualTo("Stopped.");
        assertThat(model.cancelled()).containsExactly(true, false, true);

        String again = discord.slashCommand(CHANNEL_ID, BOB, "stop", null);
        assertThat(stopReply(again)).isEqualTo("Nothing is being written here.");
        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")))
                .as("nothing is posted in the channel itself").isEmpty();
        assertNoPings();
    }

    @Test
    void stopButtonWorksForTheAskerButNotForOthersAndNeverStopsTheNextAnswer() throws Exception {
        var model = new ScriptedModel();
        model.hold(List.of("Answer to "), List.of("the rest"));
        ScriptedModel.Gate bobsGate = model.hold(List.of("Bob's "), List.of("answer."));
        connect(model);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write an essay", null);
        String answerId = awaitFirstPost(CHANNEL_ID);
        discord.userMessage(CHANNEL_ID, GUILD_ID, BOB, "<@" + BOT_ID + "> me next", null); // waits its turn
        String customId = discord.message(answerId).path("components").get(0).path("components").get(0)
                .path("custom_id").asText();
        assertThat(customId).isEqualTo(DiscordMessages.STOP_BUTTON_PREFIX + ALICE);

        String bobsClick = discord.buttonClick(CHANNEL_ID, answerId, BOB, customId);
        FakeDiscord.await(WAIT, "the refusal", () -> !discord.calls(c -> c.path().endsWith(bobsClick + "/callback")).isEmpty());
        var refusal = discord.calls(c -> c.path().endsWith(bobsClick + "/callback")).getFirst().body();
        assertThat(refusal.path("data").path("flags").asInt() & 64).isEqualTo(64);
        assertThat(engine.current(channelKey())).as("still being written").isPresent();
        assertThat(answers()).isEmpty();

        String alicesClick = discord.buttonClick(CHANNEL_ID, answerId, ALICE, customId);
        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "MENTION", "STOPPED"));
        var ack = discord.calls(c -> c.path().endsWith(alicesClick + "/callback")).getFirst().body();
        assertThat(ack.path("type").asInt()).as("DEFERRED_UPDATE_MESSAGE").isEqualTo(6);
        assertThat(discord.content(answerId)).isEqualTo("Answer to \n\n⏹ stopped");
        assertThat(discord.message(answerId).path("components")).isEmpty();

        // Bob's answer is written now. Alice's button, had it lingered on her answer, must not stop it.
        FakeDiscord.await(WAIT, "Bob's answer", () -> discord.botMessageIds(CHANNEL_ID).size() == 2);
        String lateClick = discord.buttonClick(CHANNEL_ID, answerId, ALICE, customId);
        FakeDiscord.await(WAIT, "the late reply", () -> !discord.calls(c -> c.path().endsWith(lateClick + "/callback")).isEmpty());
        var late = discord.calls(c -> c.path().endsWith(lateClick + "/callback")).getFirst().body();
        assertThat(late.path("type").asInt()).isEqualTo(4);
        assertThat(late.path("data").path("content").asText()).contains("already finished");
        assertThat(engine.current(channelKey())).map(answer -> answer.incoming().userId()).contains(BOB);

        bobsGate.open();
        awaitAnswers(2);
        assertThat(answers()).extracting(Answered::outcome).containsExactly("STOPPED", "COMPLETED");
        assertThat(model.cancelled()).containsExactly(true, false);
        assertThat(discord.content(discord.botMessageIds(CHANNEL_ID).getFirst())).isEqualTo("Bob's answer.");
        assertNoPings();
    }

    @Test
    void aLongStreamGrowsInEditsAtLeastTheIntervalApartAndEndsExact() throws Exception {
        connect(false, List.of());
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            words.add("word" + i + " ");
        }
        String body = FakeGemini.streamOf(words.toArray(String[]::new));
        // About 3.5 s of streaming: long enough for several intermediate edits at Discord's 1 s interval.
        gemini.enqueueThrottled(body, Math.max(1, body.length() / 70), Duration.ofMillis(50));
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> count", null);

        awaitAnswers(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        List<FakeDiscord.Call> edits = edits(answerId);
        assertThat(edits.size()).as("intermediate edits while it streamed").isGreaterThanOrEqualTo(2);
        var post = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        long previous = post.getFirst().receivedNanos();
        for (FakeDiscord.Call edit : edits.subList(0, edits.size() - 1)) {
            // Started >= 1 s apart by the bot; arrival may jitter by a few ms on loopback.
            assertThat(Duration.ofNanos(edit.receivedNanos() - previous)).isGreaterThan(Duration.ofMillis(900));
            assertThat(edit.content()).endsWith("▌");
            previous = edit.receivedNanos();
        }
        // Each edit shows more than the one before it and never a half word.
        for (int i = 1; i < edits.size(); i++) {
            String before = edits.get(i - 1).content().replace("▌", "");
            assertThat(edits.get(i).content().replace("▌", "")).startsWith(before);
        }
        // Discord (and JDA) drop trailing whitespace from message content.
        assertThat(discord.content(answerId)).isEqualTo(String.join("", words).strip());
        assertNoPings();
    }

    @Test
    void a429OnAnEditIsWaitedOutAndTheFinalTextStillLands() throws Exception {
        connect(false, List.of());
        discord.failNext("PATCH", "channels/\\d+/messages/\\d+", 429,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":false}",
                Headers.of("Retry-After", "1", "Via", "1.1 google", "X-RateLimit-Scope", "user"));
        String expected = enqueueAnswer("hi");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        awaitAnswers(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        var edits = edits(answerId);
        assertThat(edits).as("the rate-limited final edit, then the same edit again").hasSize(2);
        assertThat(edits).extracting(FakeDiscord.Call::content).containsExactly(shown(expected), shown(expected));
        assertThat(edits).noneMatch(FakeDiscord.Call::hasStopButton);
        assertThat(discord.content(answerId)).isEqualTo(shown(expected));
        assertThat(answers()).extracting(Answered::outcome).containsExactly("COMPLETED");
        assertNoPings();
    }

    @Test
    void aDeletedAnswerEndsQuietlyAndCancelsTheModelCall() throws Exception {
        connect(false, List.of());
        Stall held = enqueueHeld("Answer ", "to you ");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        String answerId = awaitFirstPost(CHANNEL_ID);
        // The second piece waits for the edit interval; the message is gone before that edit is made.
        discord.deleteMessage(answerId);
        int before = discord.calls().size();

        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "MENTION", "GONE"));
        assertThat(held.awaitClientGone(WAIT)).as("the Gemini call was cancelled").isTrue();
        var after = discord.calls().subList(before, discord.calls().size());
        assertThat(after).extracting(c -> c.method() + " " + c.path())
                .containsExactly("PATCH channels/" + CHANNEL_ID + "/messages/" + answerId);
        assertThat(after.getFirst().content()).isEqualTo("Answer to you▌");
    }

    @Test
    void aGatewayReconnectMidAnswerResumesAndTheAnswerCompletes() throws Exception {
        connect(false, List.of());
        Stall held = enqueueHeld("Answer ", "to you ");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        String answerId = awaitFirstPost(CHANNEL_ID);
        FakeDiscord.await(WAIT, "the first edit", () -> !edits(answerId).isEmpty());

        discord.dropGateway();
        FakeDiscord.await(WAIT, "a RESUME", () -> discord.gatewayFrames().stream().anyMatch(f -> f.path("op").asInt() == 6));
        var resume = discord.gatewayFrames().stream().filter(f -> f.path("op").asInt() == 6).findFirst().orElseThrow();
        assertThat(resume.path("d").path("session_id").asText()).isEqualTo("session-1");
        assertThat(discord.gatewayPaths).containsExactly("/gateway", "/gateway-resume");

        held.release(FakeGemini.streamOf("and ", "the rest."));
        awaitAnswers(1);
        assertThat(discord.content(answerId)).isEqualTo("Answer to you and the rest.");
        var edits = edits(answerId);
        assertThat(edits.getFirst().content()).isEqualTo("Answer to you▌");
        assertThat(edits.subList(0, edits.size() - 1)).allMatch(FakeDiscord.Call::hasStopButton);
        assertThat(edits.getLast().hasStopButton()).isFalse();
        assertThat(edits.getLast().content()).isEqualTo("Answer to you and the rest.");

        String expected = enqueueAnswer("still there?");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> still there?", null);
        awaitAnswers(2);
        assertThat(discord.content(discord.botMessageIds(CHANNEL_ID).getFirst())).isEqualTo(shown(expected));
        assertThat(answers()).extracting(Answered::outcome).containsExactly("COMPLETED", "COMPLETED");
        assertNoPings();
    }

    @Test
    void aLongAnswerSplitsWithoutTheAnswerOnScreenEverShrinking() throws Exception {
        // 24 parts of ~190 characters arrive one by one while the answer streams: about 4,500 characters,
        // three messages, split while live.
        String[] parts = new String[24];
        StringBuilder answer = new StringBuilder();
        int word = 0;
        for (int p = 0; p < parts.length; p++) {
            StringBuilder part = new StringBuilder();
            while (part.length() < 180) {
                part.append("word").append(word++).append(' ');
            }
            parts[p] = part.toString();
            answer.append(part);
        }
        var model = new ScriptedModel();
        List<ScriptedModel.Gate> gates = model.gated(parts);
        var defaults = BotConfig.defaults();
        var fast = new StreamingConfig(Optional.of(Duration.ofMillis(20)), "▌", "Thinking…");
        connect(model, new BotConfig(defaults.gemini(), fast, defaults.context(), defaults.limits(),
                defaults.discord(), defaults.slack()), false, List.of(), List.of());
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> count for me", null);
        for (ScriptedModel.Gate gate : gates) {
            Thread.sleep(60); // let an edit or two go out between parts
            gate.open();
        }
        awaitAnswers(1);

        List<String> messages = discord.botMessageIds(CHANNEL_ID).reversed(); // oldest first
        assertThat(messages).hasSize(3);
        String shown = messages.stream().map(discord::content).reduce("", (a, b) -> a + " " + b);
        assertThat(shown.strip().split("\\s+")).containsExactly(answer.toString().strip().split("\\s+"));
        // A full message gets its final, shorter text only after the message continuing it exists.
        List<FakeDiscord.Call> calls = discord.calls(c -> c.path().startsWith("channels/" + CHANNEL_ID + "/messages"));
        for (int m = 0; m < messages.size() - 1; m++) {
            String next = messages.get(m + 1);
            int created = -1;
            for (int i = 0; i < calls.size() && created < 0; i++) {
                if (calls.get(i).method().equals("POST") && discord.content(next) != null
                        && calls.get(i).content() != null && firstWord(calls.get(i).content()).equals(
                                firstWord(discord.content(next)))) {
                    created = i;
                }
            }
            assertThat(created).as("message %s was created", m + 2).isNotNegative();
            for (int i = 0; i < calls.size(); i++) {
                FakeDiscord.Call call = calls.get(i);
                if (call.method().equals("PATCH") && call.path().endsWith("/" + messages.get(m))
                        && !call.hasStopButton()) {
                    assertThat(i).as("message %s is sealed after message %s exists", m + 1, m + 2)
                            .isGreaterThan(created);
                }
            }
        }
        assertNoPings();
    }

    private static String firstWord(String text) {
        return text.strip().split("\\s+")[0];
    }

    @Test
    void finalModeShowsTypingThenPostsEachPartOnceWithItsWholeText() throws Exception {
        StringBuilder answer = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            deltas.add("word" + i + " ");
            answer.append("word").append(i).append(' ');
        }
        var model = new ScriptedModel().answer(deltas.toArray(String[]::new));
        var defaults = BotConfig.defaults();
        var finalMode = new StreamingConfig(Optional.empty(), "▌", "Thinking…", StreamingMode.FINAL);
        connect(model, new BotConfig(defaults.gemini(), finalMode, defaults.context(), defaults.limits(),
                defaults.discord(), defaults.slack()), false, List.of(), List.of());

        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> count for me", null);
        awaitAnswers(1);

        var calls = discord.calls(c -> c.path().startsWith("channels/" + CHANNEL_ID + "/"));
        assertThat(calls.getFirst().path()).as("typing first").isEqualTo("channels/" + CHANNEL_ID + "/typing");
        var posts = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        assertThat(posts).as("about 3,900 characters: two messages").hasSize(2);
        assertThat(posts).noneMatch(FakeDiscord.Call::hasStopButton);
        // The one edit that adds the answer buttons changes only components (no content): that is allowed.
        assertThat(discord.calls(c -> c.method().equals("PATCH") && c.content() != null)).as("no partial edits").isEmpty();
        // Discord trims a message's edges, so compare the words: every one, once, in order.
        String shown = posts.stream().map(FakeDiscord.Call::content).reduce("", (a, b) -> a + " " + b);
        assertThat(shown.strip().split("\\s+")).containsExactly(answer.toString().strip().split("\\s+"));
        assertThat(posts).allSatisfy(p -> assertThat(p.content()).doesNotContain("▌"));
        assertNoPings();
    }

    @Test
    void nearTheInteractionTokensExpiryEditsMoveToTheChannelEndpoint() throws Exception {
        var model = new ScriptedModel();
        ScriptedModel.Gate gate = model.hold(List.of("Answer to "), List.of("the long one."));
        // A long interval: no intermediate edit, so the calls are exactly the first text and the final edit.
        var slowEdits = new StreamingConfig(Optional.of(Duration.ofMinutes(10)), "▌", "Thinking…");
        var defaults = BotConfig.defaults();
        connect(model, new BotConfig(defaults.gemini(), slowEdits, defaults.context(), defaults.limits(),
                defaults.discord(), defaults.slack()), false, List.of(), List.of());
        String token = discord.slashCommand(CHANNEL_ID, ALICE, "ask", "long one");
        String hookPath = "webhooks/" + FakeDiscord.APP_ID + "/" + token + "/messages/@original";
        FakeDiscord.await(WAIT, "the first text", () -> discord.originalMessageId(token) != null);
        now.set(now.get().plus(Duration.ofMinutes(14).plusSeconds(30)));

        gate.open();
        awaitAnswers(1);
        String original = discord.originalMessageId(token);
        assertThat(discord.calls(c -> c.method().equals("PATCH") && c.path().contains(token) && c.content() != null))
                .extracting(FakeDiscord.Call::path, FakeDiscord.Call::content)
                .containsExactly(tuple(hookPath, "Answer to▌"));
        var channelEdits = edits(original);
        assertThat(channelEdits).extracting(FakeDiscord.Call::path)
                .containsExactly("channels/" + CHANNEL_ID + "/messages/" + original);
        assertThat(channelEdits.getLast().hasStopButton()).isFalse();
        assertThat(discord.content(original)).isEqualTo("Answer to the long one.");
        assertNoPings();
    }

    @Test
    void nearTheTokensExpiryFollowUpsAreFinishedAndContinuedThroughTheChannel() throws Exception {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 640; i++) {
            words.add("word" + i + " ");
        }
        var model = new ScriptedModel();
        ScriptedModel.Gate gate = model.hold(words.subList(0, 450), words.subList(450, words.size()));
        connect(model);
        String token = discord.slashCommand(CHANNEL_ID, ALICE, "ask", "count for me");
        FakeDiscord.await(WAIT, "part 2", () -> !discord.followUpIds(token).isEmpty());
        String part2 = discord.followUpIds(token).getFirst();
        now.set(now.get().plus(Duration.ofMinutes(14).plusSeconds(30)));
        gate.open();
        awaitAnswers(1);

        String hook = "webhooks/" + FakeDiscord.APP_ID + "/" + token;
        assertThat(discord.followUpIds(token)).as("part 3 is no follow-up").containsExactly(part2);
        assertThat(discord.calls(c -> c.path().equals(hook + "/messages/" + part2))).isEmpty();
        assertThat(edits(part2)).isNotEmpty();
        assertThat(edits(part2).getLast().hasStopButton()).isFalse();
        var channelPosts = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        assertThat(channelPosts).as("part 3").hasSize(1);
        String part3 = discord.botMessageIds(CHANNEL_ID).getFirst();
        List<String> parts = List.of(discord.content(discord.originalMessageId(token)), discord.content(part2),
                discord.content(part3));
        assertThat(String.join(" ", parts.stream().map(String::strip).toList())).isEqualTo(String.join("", words).strip());
        assertThat(discord.message(part3).path("components").toString()).doesNotContain(DiscordMessages.STOP_BUTTON_PREFIX);
        assertNoPings();
    }

    @Test
    void withoutSendMessagesTheBotStaysOutOfTheChannelWarnsOnceAndTellsTheAskerInADm() throws Exception {
        discord.botIsNoAdministrator();
        connect(false, List.of());
        String readOnly = FakeDiscord.READ_ONLY_CHANNEL_ID;
        discord.userMessage(readOnly, GUILD_ID, ALICE, "<@" + BOT_ID + "> are you there?", null);
        discord.userMessage(readOnly, GUILD_ID, ALICE, "<@" + BOT_ID + "> hello?", null);
        FakeDiscord.await(WAIT, "the DM", () -> !discord.botMessageIds(FakeDiscord.DM_CHANNEL_ID).isEmpty());

        // Events arrive in order: once this is answered, both mentions above have been handled.
        String expected = enqueueAnswer("and here?");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> and here?", null);
        awaitAnswers(1);
        assertThat(answers()).containsExactly(new Answered(channelKey().toString(), "MENTION", "COMPLETED"));
        assertThat(discord.content(discord.botMessageIds(CHANNEL_ID).getFirst())).isEqualTo(shown(expected));
        assertThat(gemini.requestCount()).as("only the answerable question reached Gemini").isEqualTo(1);
        assertThat(nextGeminiContents()).containsExactly("user:[alice] and here?");

        assertThat(discord.calls(c -> c.path().startsWith("channels/" + readOnly + "/")))
                .as("nothing posted, typed or threaded in the read-only channel").isEmpty();
        assertThat(logs.warnings()).filteredOn(line -> line.contains(readOnly))
                .singleElement().asString()
                .startsWith("WARN " + PermissionWarnings.class.getName() + " ")
                .contains("#announcements", "MESSAGE_SEND", "Send Messages");
        assertThat(logs.warnings()).as("no other warning, nothing crashed").hasSize(1);
        assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR"));

        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("users/@me/channels")))
                .extracting(c -> c.body().path("recipient_id").asText()).containsExactly(ALICE);
        var dms = discord.calls(c -> c.method().equals("POST")
                && c.path().equals("channels/" + FakeDiscord.DM_CHANNEL_ID + "/messages"));
        assertThat(dms).as("one DM for both mentions").extracting(FakeDiscord.Call::content).containsExactly(
                "I can't answer you in <#" + readOnly + ">: I am missing the permission Send Messages there."
                        + " A server admin can grant it to me.");
        assertNoPings();
    }

    @Test
    void aLongAskAnswerContinuesInFollowUpsWhereTheBotMayNotPost() throws Exception {
        discord.botIsNoAdministrator();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 640; i++) {
            words.add("word" + i + " ");
        }
        String expected = String.join("", words);
        assertThat(expected.length()).as("three messages' worth").isBetween(4001, 6000);
        var model = new ScriptedModel();
        // Held after ~3,000 characters: part 2 is then posted live (with the Stop button) and stays open.
        ScriptedModel.Gate gate = model.hold(words.subList(0, 450), words.subList(450, words.size()));
        connect(model);
        String readOnly = FakeDiscord.READ_ONLY_CHANNEL_ID;
        String token = discord.slashCommand(readOnly, ALICE, "ask", "count for me");
        FakeDiscord.await(WAIT, "part 2", () -> !discord.followUpIds(token).isEmpty());
        gate.open();
        awaitAnswers(1);
        assertThat(answers()).extracting(Answered::outcome).containsExactly("COMPLETED");

        String hook = "webhooks/" + FakeDiscord.APP_ID + "/" + token;
        List<String> parts = new ArrayList<>();
        parts.add(discord.content(discord.originalMessageId(token)));
        List<String> followUps = discord.followUpIds(token);
        assertThat(followUps).as("parts 2 and 3").hasSize(2);
        followUps.forEach(id -> parts.add(discord.content(id)));
        assertThat(parts).allSatisfy(part -> assertThat(part).isNotBlank().hasSizeLessThanOrEqualTo(ChannelSink.MAX_LENGTH));
        // Split between words; Discord drops the whitespace at a message's end.
        assertThat(String.join(" ", parts.stream().map(String::strip).toList())).isEqualTo(expected.strip());
        assertThat(parts).allSatisfy(part -> assertThat(part).doesNotContain("▌"));

        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals(hook)))
                .as("one follow-up per later part").hasSize(2);
        for (String id : List.of(discord.originalMessageId(token), followUps.get(0), followUps.get(1))) {
            assertThat(discord.message(id).path("components").toString()).as("no Stop button left on %s", id)
                    .doesNotContain(DiscordMessages.STOP_BUTTON_PREFIX);
        }
        var posts = discord.calls(c -> c.method().equals("POST") && c.path().equals(hook));
        assertThat(posts.getFirst().hasStopButton()).as("part 2 starts while the model still writes").isTrue();
        var part2Edits = discord.calls(c -> c.method().equals("PATCH")
                && c.path().equals(hook + "/messages/" + followUps.getFirst()));
        assertThat(part2Edits).as("part 2 is finished through the webhook").isNotEmpty();
        assertThat(part2Edits.getLast().hasStopButton()).isFalse();
        assertThat(part2Edits.getLast().content()).isEqualTo(parts.get(1));
        assertThat(discord.calls(c -> c.path().startsWith("channels/" + readOnly + "/")))
                .as("nothing through the channel the bot may not post in").isEmpty();
        assertThat(logs.warnings()).as("nothing refused").isEmpty();
        assertNoPings();
    }

    @Test
    void whenDiscordRefusesTheAnswerTheAskerIsToldOnceInADm() throws Exception {
        connect(false, List.of());
        // An overwrite JDA's cache did not reflect: Discord itself answers 403 Missing Permissions.
        for (int i = 0; i < 2; i++) {
            discord.failNext("POST", "channels/" + CHANNEL_ID + "/messages", 403,
                    "{\"message\":\"Missing Permissions\",\"code\":50013}", Headers.of());
        }
        enqueueAnswer("hi");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        awaitAnswers(1);

        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")))
                .as("the first text, then the one final attempt").hasSize(2);
        assertThat(discord.botMessageIds(CHANNEL_ID)).isEmpty();
        FakeDiscord.await(WAIT, "the DM", () -> !discord.botMessageIds(FakeDiscord.DM_CHANNEL_ID).isEmpty());
        var dms = discord.calls(c -> c.method().equals("POST")
                && c.path().equals("channels/" + FakeDiscord.DM_CHANNEL_ID + "/messages"));
        assertThat(dms).extracting(FakeDiscord.Call::content).containsExactly("I can't answer you in <#" + CHANNEL_ID
                + ">: Discord refused my message there. A server admin can check my permissions in that channel.");
        assertThat(logs.warnings()).filteredOn(line -> line.startsWith("WARN " + PermissionWarnings.class.getName()))
                .singleElement().asString().contains("#general", CHANNEL_ID, "Missing Permissions");
        assertNoPings();
    }

    @Test
    void usersOutsideTheAllowlistAreIgnored() throws Exception {
        connect(false, List.of(), List.of(ALICE));
        enqueueAnswer("only me");
        discord.userMessage(CHANNEL_ID, GUILD_ID, BOB, "<@" + BOT_ID + "> me too", null);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> only me", null);
        awaitAnswers(1);
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(nextGeminiContents()).containsExactly("user:[alice] only me");
    }

    @Test
    void refusesToStartWhereJdaWouldLogTheTokenAtTrace() {
        var frames = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(DiscordBot.GATEWAY_FRAME_LOGGER);
        frames.setLevel(Level.TRACE);
        try {
            assertThatThrownBy(() -> connect(false, List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(DiscordBot.GATEWAY_FRAME_LOGGER).hasMessageContaining("DISCORD_BOT_TOKEN")
                    .hasMessageNotContaining(DISCORD_TOKEN);
        } finally {
            frames.setLevel(null);
        }
        assertThat(discord.calls()).as("nothing was sent to Discord").isEmpty();
        assertThat(discord.gatewayConnections()).isZero();
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static ConversationKey channelKey() {
        return ConversationKey.channel("discord", GUILD_ID, CHANNEL_ID);
    }

    /** The answers the engine finished (final edit landed or given up), in order, from its log line. */
    private List<Answered> answers() {
        List<Answered> answered = new ArrayList<>();
        for (String line : logs.lines()) {
            Matcher m = ANSWER_LOG.matcher(line);
            if (line.startsWith("INFO " + ChatEngine.class.getName() + " ") && m.find()) {
                answered.add(new Answered(m.group(1), m.group(2), m.group(3)));
            }
        }
        return answered;
    }

    /** The ephemeral reply to the slash command with {@code token}, once it arrives. */
    private String stopReply(String token) {
        FakeDiscord.await(WAIT, "the reply to " + token,
                () -> !discord.calls(c -> c.path().endsWith(token + "/callback")).isEmpty());
        JsonNode reply = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        assertThat(reply.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        return reply.path("data").path("content").asText();
    }

    private void awaitAnswers(int n) {
        FakeDiscord.await(WAIT, n + " finished answers", () -> answers().size() >= n);
    }

    /** Waits for the bot's first message in {@code channelId}; returns its id. */
    private String awaitFirstPost(String channelId) {
        FakeDiscord.await(WAIT, "the answer's first message", () -> !discord.botMessageIds(channelId).isEmpty());
        return discord.botMessageIds(channelId).getFirst();
    }

    /** The edits of the message's text (the answer buttons' edit, which changes only components, is not one). */
    private List<FakeDiscord.Call> edits(String messageId) {
        return discord.calls(c -> c.method().equals("PATCH") && c.path().startsWith("channels/")
                && c.path().endsWith("/messages/" + messageId) && c.content() != null);
    }

    /** Every message body the bot sent carries allowed mentions that notify nobody. */
    private void assertNoPings() {
        var sent = discord.calls(c -> (c.method().equals("POST") || c.method().equals("PATCH"))
                && c.body() != null && c.body().has("content"));
        assertThat(sent).isNotEmpty();
        for (var call : sent) {
            JsonNode allowed = call.body().path("allowed_mentions");
            assertThat(allowed.path("parse").isArray()).as("allowed_mentions.parse of %s %s", call.method(), call.path())
                    .isTrue();
            assertThat(allowed.path("parse")).as("parse of %s", call.path()).isEmpty();
            assertThat(allowed.path("replied_user").asBoolean(true)).isFalse();
            assertThat(allowed.has("users")).isFalse();
            assertThat(allowed.has("roles")).isFalse();
            assertThat(call.body().path("content").asText()).as("content of %s", call.path())
                    .doesNotContain("@everyone", "@here");
        }
    }

    // ---- operations: readiness and metrics --------------------------------------------------------------

    @Test
    void readinessFollowsTheGatewayDownWhileItRefusesAndUpAfterReconnecting() throws Exception {
        connect(false, List.of());
        assertThat(bot.health().isUp()).as("%s", bot.health()).isTrue();
        assertThat(bot.health().detail()).isEqualTo("1 shard(s) connected");

        discord.refuseGateway = true;
        discord.dropGateway();
        FakeDiscord.await(WAIT, "readiness DOWN", () -> !bot.health().isUp());
        assertThat(bot.health().detail()).startsWith("shard 0: ");

        discord.refuseGateway = false;
        FakeDiscord.await(Duration.ofSeconds(60), "readiness UP again", () -> bot.health().isUp());
    }

    @Test
    void everyRestCallIsCountedByRouteAndStatusAndA429OnAnEditShowsAs429() throws Exception {
        connect(false, List.of());
        discord.failNext("PATCH", "channels/\\d+/messages/\\d+", 429,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":false}",
                Headers.of("Retry-After", "1", "Via", "1.1 google", "X-RateLimit-Scope", "user"));
        enqueueAnswer("hi");
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        awaitAnswers(1);

        var meters = engine.meterRegistry();
        String edit = "PATCH /channels/{channel}/messages/{message}";
        assertThat(meters.get("gemini.bot.platform.requests").tags("platform", "discord", "method", edit, "status", "429")
                .counter().count()).isEqualTo(1.0);
        // The final edit, then the one edit that puts the answer buttons on the finished answer.
        FakeDiscord.await(WAIT, "the final edit and the buttons' edit counted", () -> meters.find("gemini.bot.platform.requests")
                .tags("platform", "discord", "method", edit, "status", "200").counter() != null
                && meters.get("gemini.bot.platform.requests").tags("platform", "discord", "method", edit, "status", "200")
                        .counter().count() == 2.0);
        assertThat(meters.get("gemini.bot.platform.requests")
                .tags("platform", "discord", "method", "POST /channels/{channel}/messages", "status", "200")
                .counter().count()).isEqualTo(1.0);
        assertThat(meters.get("gemini.bot.answers").tags("platform", "discord", "outcome", "completed")
                .counter().count()).isEqualTo(1.0);
        // No label value carries an id: every route is built from fixed words and placeholders.
        assertThat(meters.find("gemini.bot.platform.requests").counters())
                .allSatisfy(c -> assertThat(c.getId().getTag("method")).doesNotContainPattern("\\d{5,}"));
    }

    @Test
    void routesHideIdsAndInteractionTokens() {
        RequestMeter meter = new RequestMeter(new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), "/api/v10/");
        assertThat(meter.route("PATCH", "/api/v10/channels/123/messages/456"))
                .isEqualTo("PATCH /channels/{channel}/messages/{message}");
        assertThat(meter.route("POST", "/api/v10/interactions/123/aW50ZXJhY3Rpb24tdG9rZW4/callback"))
                .isEqualTo("POST /interactions/{interaction}/{token}/callback");
        assertThat(meter.route("PATCH", "/api/v10/webhooks/111/aW50ZXJhY3Rpb24/messages/@original"))
                .isEqualTo("PATCH /webhooks/{webhook}/{token}/messages/@original");
        assertThat(meter.route("GET", "/api/v10/users/@me")).isEqualTo("GET /users/@me");
        assertThat(meter.route("PUT", "/api/v10/channels/1/messages/2/reactions/%E2%9D%8C/@me"))
                .isEqualTo("PUT /channels/{channel}/messages/{message}/reactions/{emoji}/@me");
    }

    @Test
    void inviteUrlCarriesThePermissionsTheBotUses() {
        assertThat(InviteLog.inviteUrl(1000000000000000001L, false)).isEqualTo(
                "https://discord.com/oauth2/authorize?client_id=1000000000000000001"
                        + "&scope=bot+applications.commands&permissions=274877975552");
        assertThat(InviteLog.permissions(true) - InviteLog.permissions(false)).isEqualTo(1L << 35);
    }
}
