package dev.geminibot.discord;

import static dev.geminibot.discord.FakeDiscord.ALICE;
import static dev.geminibot.discord.FakeDiscord.BOB;
import static dev.geminibot.discord.FakeDiscord.BOT_ID;
import static dev.geminibot.discord.FakeDiscord.CHANNEL_ID;
import static dev.geminibot.discord.FakeDiscord.GUILD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.core.engine.Trigger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import net.dv8tion.jda.api.utils.Compression;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real JDA against a local fake Discord: what users do, and exactly what Discord receives. */
class DiscordBotTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeDiscord discord;
    private ScriptedAnswerer answerer;
    private DiscordBot bot;

    @BeforeEach
    void start() throws Exception {
        discord = new FakeDiscord();
        answerer = new ScriptedAnswerer(question -> List.of("Answer to ", "\"" + question + "\"", ": @everyone ",
                "<@" + ALICE + "> done."));
    }

    private final java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
            new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now.get();
        }
    };

    private void connect(boolean replyInThread, List<String> guildIds) throws Exception {
        connect(replyInThread, guildIds, List.of());
    }

    private void connect(boolean replyInThread, List<String> guildIds, List<String> allowedUsers) throws Exception {
        var config = new DiscordConfig(Optional.of(Secret.of("test-token")), URI.create(discord.restBaseUrl()),
                Optional.of(URI.create(discord.gatewayUrl())), guildIds, replyInThread, List.of(), List.of(),
                List.of(), allowedUsers, 0, Optional.empty());
        bot = DiscordBot.start(config, answerer, clock,
                builder -> builder.setCompression(Compression.NONE));
        bot.awaitReady(WAIT);
    }

    @AfterEach
    void stop() throws Exception {
        if (bot != null) {
            bot.close();
        }
        discord.close();
    }

    @Test
    void mentionIsAnsweredAsAReplyThatGrowsAndEndsWithTheModelsText() throws Exception {
        connect(false, List.of());
        String question = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> what is a monad?", null);

        awaitOutcomes(1);
        var incoming = answerer.received.getFirst();
        assertThat(incoming.text()).isEqualTo("what is a monad?");
        assertThat(incoming.trigger()).isEqualTo(Trigger.MENTION);
        assertThat(incoming.userId()).isEqualTo(ALICE);
        assertThat(incoming.conversation().channel()).isEqualTo(CHANNEL_ID);

        var posts = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        assertThat(posts).hasSize(1);
        assertThat(posts.getFirst().content()).isEqualTo("Thinking…");
        assertThat(posts.getFirst().body().path("message_reference").path("message_id").asText()).isEqualTo(question);
        assertThat(posts.getFirst().hasStopButton()).isTrue();
        String answerId = answerIdOf(posts.getFirst());

        var edits = edits(answerId);
        assertThat(edits).hasSize(5);
        assertThat(edits.subList(0, 4)).allMatch(FakeDiscord.Call::hasStopButton);
        assertThat(edits.getLast().hasStopButton()).isFalse();
        String expected = answerer.answerTo("what is a monad?");
        assertThat(edits.getLast().content()).isEqualTo(expected);
        assertThat(discord.content(answerId)).isEqualTo(expected);
        assertThat(discord.calls(c -> c.path().equals("channels/" + CHANNEL_ID + "/typing"))).isNotEmpty();
        assertNoPings();
    }


    @Test
    void replyToTheBotWithoutPingContinuesTheConversation() throws Exception {
        connect(false, List.of());
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> first", null);
        awaitOutcomes(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();

        String reply = discord.userMessage(CHANNEL_ID, GUILD_ID, BOB, "why?", answerId);
        awaitOutcomes(2);

        var incoming = answerer.received.get(1);
        assertThat(incoming.trigger()).isEqualTo(Trigger.REPLY);
        assertThat(incoming.text()).isEqualTo("why?");
        assertThat(incoming.userId()).isEqualTo(BOB);
        String second = discord.botMessageIds(CHANNEL_ID).getFirst();
        assertThat(second).isNotEqualTo(answerId);
        var post = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")).get(1);
        assertThat(post.body().path("message_reference").path("message_id").asText()).isEqualTo(reply);
        assertThat(discord.content(second)).isEqualTo(answerer.answerTo("why?"));
        assertNoPings();
    }

    @Test
    void aMessageThatNeitherMentionsNorRepliesIsIgnored() throws Exception {
        connect(false, List.of());
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "just chatting, @everyone", null);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> now you", null);
        awaitOutcomes(1);
        assertThat(answerer.received).extracting(i -> i.text()).containsExactly("now you");
    }

    @Test
    void withReplyInThreadAMentionStartsAThreadAndFollowUpsThereNeedNoMention() throws Exception {
        connect(true, List.of());
        String question = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> explain monads\nplease", null);
        awaitOutcomes(1);

        var threadCalls = discord.calls(c -> c.method().equals("POST")
                && c.path().equals("channels/" + CHANNEL_ID + "/messages/" + question + "/threads"));
        assertThat(threadCalls).hasSize(1);
        assertThat(threadCalls.getFirst().body().path("name").asText()).isEqualTo("explain monads");
        String threadId = question; // a thread started from a message takes the message's id
        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages")))
                .as("nothing is posted in the channel itself").isEmpty();
        String answerId = discord.botMessageIds(threadId).getFirst();
        assertThat(discord.content(answerId)).isEqualTo(answerer.answerTo("explain monads\nplease"));
        assertThat(answerer.received.getFirst().conversation().channel()).isEqualTo(threadId);
        assertThat(answerer.received.getFirst().conversation().inThread()).isTrue();

        discord.userMessage(threadId, GUILD_ID, ALICE, "and functors?", null);
        awaitOutcomes(2);
        var followUp = answerer.received.get(1);
        assertThat(followUp.trigger()).isEqualTo(Trigger.THREAD_FOLLOW_UP);
        assertThat(followUp.conversation()).isEqualTo(answerer.received.getFirst().conversation());
        String second = discord.botMessageIds(threadId).getFirst();
        assertThat(discord.content(second)).isEqualTo(answerer.answerTo("and functors?"));
        assertThat(discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + threadId + "/messages")))
                .allMatch(c -> c.body().path("message_reference").isMissingNode());
        assertNoPings();
    }

    @Test
    void afterARestartAThreadTheBotStartedIsRebuiltFromDiscord() throws Exception {
        connect(false, List.of());
        String starter = discord.seed(CHANNEL_ID, ALICE, "<@" + BOT_ID + "> what is 2+2?");
        discord.threadCreated(starter, BOT_ID);
        discord.seed(starter, BOT_ID, "4");
        discord.seed(starter, BOB, "are you sure?");

        String followUp = discord.userMessage(starter, GUILD_ID, ALICE, "and 3+3?", null);
        awaitOutcomes(1);
        var incoming = answerer.received.getFirst();
        assertThat(incoming.trigger()).isEqualTo(Trigger.THREAD_FOLLOW_UP);
        assertThat(incoming.messageId()).isEqualTo(followUp);

        var turns = answerer.history.load(incoming.conversation(), 10_000);
        assertThat(turns).extracting(t -> t.role() + ":" + t.authorId() + ":" + t.text()).containsExactly(
                "USER:" + ALICE + ":what is 2+2?",
                "MODEL::4",
                "USER:" + BOB + ":are you sure?");
    }

    @Test
    void everyDirectMessageIsATurnOfTheDmConversation() throws Exception {
        connect(false, List.of());
        discord.userMessage(FakeDiscord.DM_CHANNEL_ID, null, ALICE, "hello there", null);
        awaitOutcomes(1);
        var incoming = answerer.received.getFirst();
        assertThat(incoming.trigger()).isEqualTo(Trigger.DIRECT_MESSAGE);
        assertThat(incoming.conversation().workspace()).isEqualTo("dm");
        String answerId = discord.botMessageIds(FakeDiscord.DM_CHANNEL_ID).getFirst();
        assertThat(discord.content(answerId)).isEqualTo(answerer.answerTo("hello there"));
        assertNoPings();
    }

    @Test
    void askDefersAtOnceAndStreamsIntoTheOriginalResponse() throws Exception {
        connect(false, List.of(GUILD_ID));
        FakeDiscord.await(WAIT, "guild command registration", () -> !discord.calls(c -> c.method().equals("PUT")
                && c.path().equals("applications/" + FakeDiscord.APP_ID + "/guilds/" + GUILD_ID + "/commands")).isEmpty());
        var registered = discord.calls(c -> c.method().equals("PUT")).getFirst().body();
        assertThat(registered.findValuesAsText("name")).contains("ask", "reset", "stop", "prompt");
        assertThat(discord.calls(c -> c.method().equals("PUT") && c.path().equals("applications/" + FakeDiscord.APP_ID + "/commands")))
                .as("no global registration when guildIds are set").isEmpty();

        String token = discord.slashCommand(CHANNEL_ID, ALICE, "ask", "what is a monad?");
        awaitOutcomes(1);
        var incoming = answerer.received.getFirst();
        assertThat(incoming.trigger()).isEqualTo(Trigger.SLASH_COMMAND);
        assertThat(incoming.text()).isEqualTo("what is a monad?");

        var callbacks = discord.calls(c -> c.path().endsWith(token + "/callback"));
        assertThat(callbacks).hasSize(1);
        assertThat(callbacks.getFirst().body().path("type").asInt()).as("DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE").isEqualTo(5);
        var hookEdits = discord.calls(c -> c.method().equals("PATCH")
                && c.path().equals("webhooks/" + FakeDiscord.APP_ID + "/" + token + "/messages/@original"));
        assertThat(hookEdits).extracting(FakeDiscord.Call::content).first().isEqualTo("Thinking…");
        assertThat(hookEdits).hasSize(6);
        assertThat(hookEdits.getLast().hasStopButton()).isFalse();
        String expected = answerer.answerTo("what is a monad?");
        assertThat(hookEdits.getLast().content()).isEqualTo(expected);
        assertThat(discord.content(discord.originalMessageId(token))).isEqualTo(expected);
        assertThat(discord.calls(c -> c.path().startsWith("channels/") && !c.path().endsWith("/typing"))).isEmpty();
        assertNoPings();
    }

    @Test
    void resetForgetsThisChannelAndConfirmsOnlyToTheUser() throws Exception {
        connect(false, List.of());
        String token = discord.slashCommand(CHANNEL_ID, ALICE, "reset", null);
        FakeDiscord.await(WAIT, "the reset reply", () -> !discord.calls(c -> c.path().endsWith(token + "/callback")).isEmpty());
        assertThat(answerer.resets).extracting(k -> k.channel()).containsExactly(CHANNEL_ID);
        var reply = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        assertThat(reply.path("type").asInt()).isEqualTo(4);
        assertThat(reply.path("data").path("flags").asInt() & 64).as("ephemeral").isEqualTo(64);
        assertThat(reply.path("data").path("content").asText()).contains("forgot");
    }

    @Test
    void stopCommandStopsTheAnswerBeingWrittenHere() throws Exception {
        connect(false, List.of());
        answerer.holdAfterFirstDelta = new CountDownLatch(1);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write an essay", null);
        assertThat(answerer.firstDeltaShown.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        String token = discord.slashCommand(CHANNEL_ID, BOB, "stop", null);
        awaitOutcomes(1);
        assertThat(answerer.outcomes.getFirst().how()).isEqualTo("stopped");
        FakeDiscord.await(WAIT, "the stop reply", () -> !discord.calls(c -> c.path().endsWith(token + "/callback")).isEmpty());
        var reply = discord.calls(c -> c.path().endsWith(token + "/callback")).getFirst().body();
        assertThat(reply.path("data").path("content").asText()).isEqualTo("Stopped.");
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        assertThat(discord.content(answerId)).isEqualTo("Answer to \n⏹ stopped");
        assertThat(edits(answerId).getLast().hasStopButton()).isFalse();
    }

    @Test
    void stopButtonWorksForTheAskerButNotForOthers() throws Exception {
        connect(false, List.of());
        answerer.holdAfterFirstDelta = new CountDownLatch(1);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> write an essay", null);
        assertThat(answerer.firstDeltaShown.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        String customId = discord.message(answerId).path("components").get(0).path("components").get(0)
                .path("custom_id").asText();
        assertThat(customId).isEqualTo(DiscordMessages.STOP_BUTTON_PREFIX + ALICE);

        String bobsClick = discord.buttonClick(CHANNEL_ID, answerId, BOB, customId);
        FakeDiscord.await(WAIT, "the refusal", () -> !discord.calls(c -> c.path().endsWith(bobsClick + "/callback")).isEmpty());
        var refusal = discord.calls(c -> c.path().endsWith(bobsClick + "/callback")).getFirst().body();
        assertThat(refusal.path("data").path("flags").asInt() & 64).isEqualTo(64);
        assertThat(answerer.outcomes).isEmpty();

        String alicesClick = discord.buttonClick(CHANNEL_ID, answerId, ALICE, customId);
        awaitOutcomes(1);
        assertThat(answerer.outcomes.getFirst().how()).isEqualTo("stopped");
        var ack = discord.calls(c -> c.path().endsWith(alicesClick + "/callback")).getFirst().body();
        assertThat(ack.path("type").asInt()).as("DEFERRED_UPDATE_MESSAGE").isEqualTo(6);
        assertThat(discord.content(answerId)).isEqualTo("Answer to \n⏹ stopped");
        assertThat(discord.message(answerId).path("components")).isEmpty();
        assertNoPings();
    }

    @Test
    void a429OnAnEditIsWaitedOutAndTheFinalTextStillLands() throws Exception {
        connect(false, List.of());
        discord.failNext("PATCH", "channels/\\d+/messages/\\d+", 429,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":1.0,\"global\":false}",
                Headers.of("Retry-After", "1", "Via", "1.1 google", "X-RateLimit-Scope", "user"));
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        awaitOutcomes(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        var edits = edits(answerId);
        assertThat(edits).hasSize(6);
        assertThat(edits.get(0).content()).as("the rate-limited edit is sent again").isEqualTo(edits.get(1).content());
        assertThat(discord.content(answerId)).isEqualTo(answerer.answerTo("hi"));
        assertThat(answerer.outcomes.getFirst().how()).isEqualTo("completed");
        assertNoPings();
    }

    @Test
    void aDeletedAnswerEndsQuietly() throws Exception {
        connect(false, List.of());
        answerer.holdAfterFirstDelta = new CountDownLatch(1);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        assertThat(answerer.firstDeltaShown.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        discord.deleteMessage(answerId);
        int before = discord.calls().size();

        answerer.holdAfterFirstDelta.countDown();
        awaitOutcomes(1);
        assertThat(answerer.outcomes.getFirst().how()).isEqualTo("GONE");
        var after = discord.calls().subList(before, discord.calls().size());
        assertThat(after).extracting(c -> c.method() + " " + c.path())
                .containsExactly("PATCH channels/" + CHANNEL_ID + "/messages/" + answerId);
    }

    @Test
    void aGatewayReconnectMidAnswerResumesAndTheAnswerCompletes() throws Exception {
        connect(false, List.of());
        answerer.holdAfterFirstDelta = new CountDownLatch(1);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hi", null);
        assertThat(answerer.firstDeltaShown.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        discord.dropGateway();
        FakeDiscord.await(WAIT, "a RESUME", () -> discord.gatewayFrames().stream().anyMatch(f -> f.path("op").asInt() == 6));
        var resume = discord.gatewayFrames().stream().filter(f -> f.path("op").asInt() == 6).findFirst().orElseThrow();
        assertThat(resume.path("d").path("session_id").asText()).isEqualTo("session-1");
        assertThat(discord.gatewayPaths).containsExactly("/gateway", "/gateway-resume");

        answerer.holdAfterFirstDelta.countDown();
        awaitOutcomes(1);
        String answerId = discord.botMessageIds(CHANNEL_ID).getFirst();
        assertThat(discord.content(answerId)).isEqualTo(answerer.answerTo("hi"));

        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> still there?", null);
        awaitOutcomes(2);
        assertThat(discord.content(discord.botMessageIds(CHANNEL_ID).getFirst())).isEqualTo(answerer.answerTo("still there?"));
        assertNoPings();
    }


    @Test
    void nearTheInteractionTokensExpiryEditsMoveToTheChannelEndpoint() throws Exception {
        connect(false, List.of());
        answerer.holdAfterFirstDelta = new CountDownLatch(1);
        String token = discord.slashCommand(CHANNEL_ID, ALICE, "ask", "long one");
        assertThat(answerer.firstDeltaShown.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        now.set(now.get().plus(Duration.ofMinutes(14).plusSeconds(30)));

        answerer.holdAfterFirstDelta.countDown();
        awaitOutcomes(1);
        String original = discord.originalMessageId(token);
        assertThat(discord.calls(c -> c.method().equals("PATCH") && c.path().contains(token))).hasSize(2);
        var channelEdits = edits(original);
        assertThat(channelEdits).extracting(c -> c.path()).allMatch(p -> p.equals("channels/" + CHANNEL_ID + "/messages/" + original));
        assertThat(channelEdits).hasSize(4);
        assertThat(discord.content(original)).isEqualTo(answerer.answerTo("long one"));
        assertNoPings();
    }

    @Test
    void usersOutsideTheAllowlistAreIgnored() throws Exception {
        connect(false, List.of(), List.of(ALICE));
        discord.userMessage(CHANNEL_ID, GUILD_ID, BOB, "<@" + BOT_ID + "> me too", null);
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> only me", null);
        awaitOutcomes(1);
        assertThat(answerer.received).extracting(i -> i.userId()).containsExactly(ALICE);
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private void awaitOutcomes(int n) {
        FakeDiscord.await(WAIT, n + " finished answers", () -> answerer.outcomes.size() >= n);
    }

    private String answerIdOf(FakeDiscord.Call post) {
        // The fake numbers messages in order; the post's response id is the newest bot message with that content.
        return discord.calls().stream().filter(c -> c == post).findFirst()
                .map(c -> lastBotMessageIdIn(c.path())).orElseThrow();
    }

    private String lastBotMessageIdIn(String path) {
        String channel = path.split("/")[1];
        return discord.botMessageIds(channel).getFirst();
    }

    private List<FakeDiscord.Call> edits(String messageId) {
        return discord.calls(c -> c.method().equals("PATCH") && c.path().startsWith("channels/")
                && c.path().endsWith("/messages/" + messageId));
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
        }
    }
}
