package dev.geminibot.discord;

import static dev.geminibot.discord.FakeDiscord.ALICE;
import static dev.geminibot.discord.FakeDiscord.BOT_ID;
import static dev.geminibot.discord.FakeDiscord.CHANNEL_ID;
import static dev.geminibot.discord.FakeDiscord.GUILD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.DiscordConfig;
import dev.geminibot.config.GeminiTool;
import dev.geminibot.config.Secret;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.FileHost;
import dev.geminibot.core.testing.GroundedStreams;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.utils.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Files shared on Discord and grounded answers, through real JDA against the fake Discord and fake Gemini. */
class DiscordMediaTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeDiscord discord = new FakeDiscord();
    private final FakeGemini gemini = FakeGemini.start();
    private final FileHost cdn = new FileHost();
    private ChatEngine engine;
    private DiscordBot bot;

    DiscordMediaTest() throws Exception {
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
        cdn.close();
        discord.close();
    }

    private void connect(EnumSet<GeminiTool> tools, long maxBytes) throws Exception {
        connect(tools, maxBytes, false);
    }

    private void connect(EnumSet<GeminiTool> tools, long maxBytes, boolean replyInThread) throws Exception {
        var gc = gemini.config().withMedia(tools, maxBytes);
        engine = new ChatEngine(ChatModels.fromConfig(gc), BotConfig.defaults().withGemini(gc));
        var config = new DiscordConfig(Optional.of(Secret.of("MTAwMDAw.Gx7fQk.media-test-token")),
                URI.create(discord.restBaseUrl()), Optional.of(URI.create(discord.gatewayUrl())), List.of(), replyInThread,
                List.of(), List.of(), List.of(), List.of(), 0, Optional.empty());
        bot = DiscordBot.start(config, engine, Clock.systemUTC(), builder -> builder.setCompression(Compression.NONE));
        bot.awaitReady(WAIT);
    }

    private String finalContent() {
        // A live post matches the calls below too: the final text is the one without the streaming cursor.
        FakeDiscord.await(WAIT, "the final edit", () -> (discord.calls(c -> c.method().equals("PATCH")
                && c.body() != null && c.body().path("components").isEmpty() && c.body().has("content")).size() > 0
                || discord.calls(c -> c.method().equals("POST") && c.body() != null
                && c.body().has("content") && c.body().path("components").isEmpty()).size() > 0)
                && !discord.content(discord.botMessageIds(CHANNEL_ID).getFirst()).contains("▌"));
        String id = discord.botMessageIds(CHANNEL_ID).getFirst();
        return discord.content(id);
    }

    @Test
    void filesOnAMentionGoToGeminiAsInlineDataDownloadedFromTheCdnUrlWithoutAuthorization() throws Exception {
        connect(EnumSet.noneOf(GeminiTool.class), 20L << 20);
        byte[] png = FileHost.png();
        byte[] pdf = FileHost.pdf();
        byte[] text = FileHost.text();
        // Signed CDN URLs, with their query string, as Discord gives them.
        String pngUrl = cdn.serve("/attachments/1/2/chart.png", "image/png", png) + "?ex=65f&is=65e&hm=abc";
        String pdfUrl = cdn.serve("/attachments/1/3/report.pdf", "application/pdf", pdf) + "?ex=65f&hm=def";
        String txtUrl = cdn.serve("/attachments/1/4/notes.txt", "text/plain; charset=utf-8", text);
        gemini.enqueueStream("Looked at them.");
        discord.userMessageWithAttachments(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> what is this?", List.of(
                FakeDiscord.attachment("11", "chart.png", "image/png", png.length, pngUrl),
                FakeDiscord.attachment("12", "report.pdf", "application/pdf", pdf.length, pdfUrl),
                FakeDiscord.attachment("13", "notes.txt", "text/plain; charset=utf-8", text.length, txtUrl),
                FakeDiscord.attachment("14", "report.exe", "application/x-msdownload", 500, cdn.url("/attachments/1/5/report.exe"))));

        JsonNode parts = JSON.readTree(gemini.takeRequest().getBody().utf8()).path("contents").get(0).path("parts");
        assertThat(parts.get(0).path("text").asText()).isEqualTo(
                "[alice] what is this?\n[image: chart.png]\n[PDF: report.pdf]\n[text: notes.txt]\n[file: report.exe]");
        assertThat(parts.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(png));
        assertThat(parts.get(1).path("inline_data").path("mime_type").asText()).isEqualTo("image/png");
        assertThat(parts.get(2).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(pdf));
        assertThat(parts.get(3).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(text));
        assertThat(parts).hasSize(4);

        var download = cdn.requestsFor("/attachments/1/2/chart.png").getFirst();
        assertThat(download.getUrl().toString()).isEqualTo(pngUrl);
        assertThat(download.getHeaders().get("Authorization")).isNull();
        assertThat(cdn.requestsFor("/attachments/1/5/report.exe")).isEmpty();
        assertThat(finalContent()).isEqualTo("Looked at them.\n\n⚠ skipped report.exe: not a type Gemini reads");
    }

    @Test
    void groundedAnswersEndWithSourcesWhoseUrisAreOnlyInsideAngleBracketsAndWhoseTitlesCannotPing() throws Exception {
        connect(EnumSet.of(GeminiTool.GOOGLE_SEARCH), 20L << 20);
        var chunks = JSON.createArrayNode();
        chunks.add(GroundedStreams.recordedCandidate().path("groundingMetadata").path("groundingChunks").get(0));
        chunks.addObject().putObject("web").put("uri", "https://example.com/ping").put("title", "@everyone and @here <@" + ALICE + ">");
        gemini.enqueueSse(GroundedStreams.searchStream(chunks));
        discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> weather in London?", null);

        String content = finalContent();
        String grounding = GroundedStreams.recordedCandidate().path("groundingMetadata").path("groundingChunks").get(0)
                .path("web").path("uri").asText();
        assertThat(content).contains("**Sources:** 1. [accuweather.com](<" + grounding + ">) · 2. [");
        for (String uri : List.of(grounding, "https://example.com/ping")) {
            assertThat(content.split(Pattern.quote(uri), -1)).hasSize(2);
            assertThat(content).contains("<" + uri + ">");
        }
        assertThat(content).doesNotContain("@everyone", "@here", "<@" + ALICE + ">");
        var posts = discord.calls(c -> c.method().equals("POST") && c.path().equals("channels/" + CHANNEL_ID + "/messages"));
        assertThat(posts.getFirst().content()).as("the placeholder while Google searches").isEqualTo("🔎 Searching…");
    }

    @Test
    void aFileInAThreadFollowUpIsSentOnceAndAThreadRebuiltAfterARestartStillNamesIt() throws Exception {
        connect(EnumSet.noneOf(GeminiTool.class), 20L << 20, true);
        gemini.enqueueStream("Hi.");
        String threadId = discord.userMessage(CHANNEL_ID, GUILD_ID, ALICE, "<@" + BOT_ID + "> hello", null);
        JSON.readTree(gemini.takeRequest().getBody().utf8());
        FakeDiscord.await(WAIT, "the first answer", () -> !discord.botMessageIds(threadId).isEmpty());

        byte[] png = FileHost.png();
        String url = cdn.serve("/attachments/9/1/chart.png", "image/png", png);
        gemini.enqueueStream("A chart.");
        discord.userMessageWithAttachments(threadId, GUILD_ID, ALICE, "here is the chart",
                List.of(FakeDiscord.attachment("21", "chart.png", "image/png", png.length, url)));
        JsonNode withFile = JSON.readTree(gemini.takeRequest().getBody().utf8()).path("contents");
        JsonNode lastTurn = withFile.get(withFile.size() - 1).path("parts");
        assertThat(lastTurn.get(0).path("text").asText()).isEqualTo("[alice] here is the chart\n[image: chart.png]");
        assertThat(lastTurn.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(png));
        FakeDiscord.await(WAIT, "the second answer", () -> discord.botMessageIds(threadId).size() == 2
                && discord.content(discord.botMessageIds(threadId).getFirst()).equals("A chart."));

        // A restart forgets the conversation: the thread is rebuilt from Discord, with the file named, not sent.
        engine.close();
        bot.close();
        connect(EnumSet.noneOf(GeminiTool.class), 20L << 20, true);
        gemini.enqueueStream("Still a chart.");
        discord.userMessage(threadId, GUILD_ID, ALICE, "what was in it?", null);
        String rebuilt = gemini.takeRequest().getBody().utf8();
        assertThat(rebuilt).doesNotContain("inline_data").contains("[alice] here is the chart\\n[image: chart.png]");
        assertThat(cdn.requestsFor("/attachments/9/1/chart.png")).as("downloaded once, for the turn it came with").hasSize(1);
    }
}
