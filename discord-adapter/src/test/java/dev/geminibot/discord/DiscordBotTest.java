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

    private void connect(boolean replyInThread, List<String> guildIds) throws Exception {
        var config = new DiscordConfig(Optional.of(Secret.of("test-token")), URI.create(discord.restBaseUrl()),
                Optional.of(URI.create(discord.gatewayUrl())), guildIds, replyInThread, List.of(), List.of(),
                List.of(), List.of(), 0, Optional.empty());
        bot = DiscordBot.start(config, answerer, Clock.systemUTC(),
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
        return discord.calls(c -> c.method().equals("PATCH") && c.path().endsWith("/messages/" + messageId));
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
