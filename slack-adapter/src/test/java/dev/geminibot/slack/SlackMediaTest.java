package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.GeminiTool;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.FileHost;
import dev.geminibot.core.testing.GroundedStreams;
import java.net.URI;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Files shared on Slack, messages with subtypes, and grounded answers: the real Bolt app in HTTP mode fed
 * signed events, the Web API a fake, Gemini a fake, and Slack's file host a local server.
 */
class SlackMediaTest {
    private static final String SECRET = "test-signing-secret";
    private static final String TOKEN = "xoxb-media-test-token";
    private static final String THREAD = "1700000000.000100";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http = new OkHttpClient();
    private final FakeSlack slack;
    private final FakeGemini gemini = FakeGemini.start();
    private final FileHost files = new FileHost();
    private ChatEngine engine;
    private SlackBot bot;

    SlackMediaTest() throws java.io.IOException {
        slack = new FakeSlack();
    }

    private void start(EnumSet<GeminiTool> tools) {
        SlackConfig slackConfig = new SlackConfig(Optional.of(Secret.of(TOKEN)), Optional.empty(),
                Optional.of(Secret.of(SECRET)), URI.create(slack.apiBase()), Optional.of(SlackMode.HTTP), 0,
                "/slack/events", true, true, List.of(), List.of());
        BotConfig defaults = BotConfig.defaults();
        var gc = gemini.config().withMedia(tools, 20L << 20);
        BotConfig config = new BotConfig(gc, defaults.streaming(), defaults.context(), defaults.limits(),
                defaults.discord(), slackConfig);
        engine = new ChatEngine(ChatModels.fromConfig(gc), config);
        bot = SlackBot.start(config, engine);
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
            bot.close();
        }
        gemini.close();
        slack.close();
        files.close();
    }

    private static String file(String id, String name, String mimetype, long size, String url) {
        return """
                {"id":"%s","name":"%s","title":"%s","mimetype":"%s","filetype":"x","size":%d,"mode":"hosted",
                 "url_private":"%s","url_private_download":"%s"}""".formatted(id, name, name, mimetype, size, url, url);
    }

    private static String event(String eventId, String eventJson) {
        return """
                {"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"%s","event_time":1700000000,
                 "authorizations":[{"team_id":"T1","user_id":"UBOT","is_bot":true}],"event":%s}""".formatted(eventId, eventJson);
    }

    private void post(String json) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        Request request = new Request.Builder().url("http://127.0.0.1:" + bot.httpPort() + "/slack/events")
                .post(RequestBody.create(json, MediaType.get("application/json")))
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(SECRET).generate(timestamp, json)).build();
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void aDmWithFilesArrivesAsFileShareAndTheFilesAreFetchedWithTheBotToken() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class));
        byte[] png = FileHost.png();
        byte[] pdf = FileHost.pdf();
        String pngUrl = files.serve("/files-pri/T1-F1/download/chart.png", "image/png", png);
        String pdfUrl = files.serve("/files-pri/T1-F2/download/report.pdf", "application/pdf", pdf);
        String loginUrl = files.serveLoginPage("/files-pri/T1-F3/download/photo.jpg");
        gemini.enqueueStream("Two files read.");
        post(event("Ev1", """
                {"type":"message","subtype":"file_share","user":"U1","text":"what is wrong here?","ts":"1700000000.000500",
                 "channel":"D1","channel_type":"im","event_ts":"1700000000.000500","upload":false,"display_as_bot":false,
                 "files":[%s,%s,%s]}""".formatted(file("F1", "chart.png", "image/png", png.length, pngUrl),
                file("F2", "report.pdf", "application/pdf", pdf.length, pdfUrl),
                file("F3", "photo.jpg", "image/jpeg", 2000, loginUrl))));

        String finalText = slack.awaitFinal().get("text");
        JsonNode parts = JSON.readTree(gemini.takeRequest().getBody().utf8()).path("contents").get(0).path("parts");
        assertThat(parts.get(0).path("text").asText())
                .isEqualTo("what is wrong here?\n[image: chart.png]\n[PDF: report.pdf]\n[image: photo.jpg]");
        assertThat(parts.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(png));
        assertThat(parts.get(2).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(pdf));
        assertThat(parts).hasSize(3);
        assertThat(files.requests()).hasSize(3).allSatisfy(r ->
                assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN));
        assertThat(finalText).startsWith("Two files read.")
                .contains("⚠ skipped photo.jpg: a web page came back instead of the file");
    }

    @Test
    void aThreadBroadcastInTheBotsThreadIsAnsweredInTheThread() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class));
        gemini.enqueueStream("First.");
        post(event("Ev1", """
                {"type":"app_mention","user":"U1","text":"<@UBOT> hi","ts":"%s","channel":"C1","event_ts":"%s"}"""
                .formatted(THREAD, THREAD)));
        slack.awaitFinal();
        gemini.takeRequest();

        gemini.enqueueStream("Second.");
        post(event("Ev2", """
                {"type":"message","subtype":"thread_broadcast","user":"U1","text":"and everyone should see this",
                 "ts":"1700000000.000300","thread_ts":"%s","channel":"C1","channel_type":"channel",
                 "event_ts":"1700000000.000300","root":{"ts":"%s","user":"U1","text":"hi"}}""".formatted(THREAD, THREAD)));

        slack.awaitAll(calls -> calls.stream().filter(c -> c.method().equals("chat.postMessage")).count() == 2
                && calls.getLast().method().equals("chat.update") && !calls.getLast().get("text").endsWith("▌")
                && calls.getLast().get("text").startsWith("Second"));
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.get("thread_ts")).containsExactly(THREAD, THREAD);
        JsonNode contents = JSON.readTree(gemini.takeRequest().getBody().utf8()).path("contents");
        assertThat(contents.get(contents.size() - 1).path("parts").get(0).path("text").asText())
                .isEqualTo("[Alice] and everyone should see this");
    }

    @Test
    void aMentionWithAFileAndGroundedSourcesRendersSlackLinksThatCannotPing() throws Exception {
        start(EnumSet.of(GeminiTool.GOOGLE_SEARCH));
        byte[] text = FileHost.text();
        String url = files.serve("/files-pri/T1-F9/download/notes.txt", "text/plain", text);
        var chunks = JSON.createArrayNode();
        chunks.add(GroundedStreams.recordedCandidate().path("groundingMetadata").path("groundingChunks").get(1));
        chunks.addObject().putObject("web").put("uri", "https://example.com/p").put("title", "<!channel> <!here> <@U1> hi");
        gemini.enqueueSse(GroundedStreams.searchStream(chunks));
        post(event("Ev1", """
                {"type":"app_mention","user":"U1","text":"<@UBOT> summarise","ts":"%s","channel":"C1","event_ts":"%s",
                 "files":[%s]}""".formatted(THREAD, THREAD, file("F9", "notes.txt", "text/plain", text.length, url))));

        String finalText = slack.awaitFinal().get("text");
        JsonNode parts = JSON.readTree(gemini.takeRequest().getBody().utf8()).path("contents").get(0).path("parts");
        assertThat(parts.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(text));
        assertThat(files.requests().getFirst().getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(finalText).contains("*Sources:* 1. <https://www.google.com/search?q=weather+in+London|"
                + "Weather information for locality: London> · 2. <https://example.com/p|");
        assertThat(slack.calls()).allSatisfy(c -> assertThat(c.body())
                .doesNotContain("<!channel>", "<!here>", "<@U1>", "%3C%21channel%3E", "%3C%21here%3E", "%3C%40U1%3E"));
    }

    @Test
    void inAnAssistantThreadSearchingIsTheStatusLineAndSourcesAreMarkdownLinks() throws Exception {
        start(EnumSet.of(GeminiTool.GOOGLE_SEARCH));
        var chunks = JSON.createArrayNode();
        chunks.add(GroundedStreams.recordedCandidate().path("groundingMetadata").path("groundingChunks").get(1));
        gemini.enqueueSse(GroundedStreams.searchStream(chunks));
        post(event("Ev1", """
                {"type":"message","user":"U1","text":"weather in London?","ts":"1700000000.001100",
                 "thread_ts":"1700000000.001000","channel":"D1","channel_type":"im","event_ts":"1700000000.001100"}"""));

        // A fast answer goes out in one chat.postMessage; a slow one streams and ends with chat.stopStream.
        slack.await(c -> c.get("markdown_text") != null && c.get("markdown_text").contains("Sources"));
        assertThat(slack.calls("assistant.threads.setStatus")).extracting(c -> c.get("status")).contains("🔎 Searching…");
        String shown = slack.calls().stream()
                .filter(c -> c.method().startsWith("chat.") && c.get("markdown_text") != null)
                .map(c -> c.get("markdown_text")).reduce("", String::concat);
        assertThat(shown).doesNotContain("🔎")
                .contains("**Sources:** 1. [Weather information for locality\\: London](https://www.google.com/search?q=weather+in+London)");
    }

    @Test
    void aThreadRebuiltFromConversationsRepliesNamesItsFilesWithoutSendingThem() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class));
        slack.repliesAre("""
                [{"type":"message","user":"U1","text":"<@UBOT> what is this?","ts":"%s",
                  "files":[{"id":"F1","name":"chart.png","mimetype":"image/png","size":10,
                            "url_private_download":"%s"}]},
                 {"type":"message","user":"UBOT","bot_id":"BBOT","text":"A bar chart.","ts":"1700000000.000200"},
                 {"type":"message","user":"U1","text":"","ts":"1700000000.000250",
                  "files":[{"id":"F2","name":"notes.txt","mimetype":"text/plain","size":10,
                            "url_private_download":"%s"}]},
                 {"type":"message","user":"U1","text":"and the trend?","ts":"1700000000.000300"}]"""
                .formatted(THREAD, files.url("/never/chart.png"), files.url("/never/notes.txt")));
        gemini.enqueueStream("Upwards.");
        post(event("Ev3", """
                {"type":"message","user":"U1","text":"and the trend?","ts":"1700000000.000300","thread_ts":"%s",
                 "channel":"C1","channel_type":"channel","event_ts":"1700000000.000300"}""".formatted(THREAD)));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Upwards.");
        String request = gemini.takeRequest().getBody().utf8();
        JsonNode contents = JSON.readTree(request).path("contents");
        assertThat(contents.get(0).path("parts").get(0).path("text").asText())
                .isEqualTo("[Alice] what is this?\n[image: chart.png]");
        assertThat(contents.get(2).path("parts").get(0).path("text").asText())
                .isEqualTo("[Alice] [text: notes.txt]\n\n[Alice] and the trend?");
        assertThat(request).doesNotContain("inline_data");
        assertThat(files.requests()).isEmpty();
    }

    @Test
    void aMeMessageIsAnsweredWhileEditsDeletionsAndJoinsAreNot() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class));
        gemini.enqueueStream("Noted.");
        post(event("Ev1", """
                {"type":"message","subtype":"message_deleted","channel":"D1","channel_type":"im","hidden":true,
                 "deleted_ts":"1700000000.000100","ts":"1700000000.000110","event_ts":"1700000000.000110"}"""));
        post(event("Ev2", """
                {"type":"message","subtype":"channel_join","user":"U1","text":"<@U1> has joined the channel",
                 "channel":"C1","channel_type":"channel","ts":"1700000000.000120","event_ts":"1700000000.000120"}"""));
        post(event("Ev3", """
                {"type":"message","subtype":"message_changed","channel":"D1","channel_type":"im","hidden":true,
                 "ts":"1700000000.000130","event_ts":"1700000000.000130",
                 "message":{"type":"message","user":"U1","text":"edited question","ts":"1700000000.000100"}}"""));
        post(event("Ev4", """
                {"type":"message","subtype":"me_message","user":"U1","text":"waves at the bot","channel":"D1",
                 "channel_type":"im","ts":"1700000000.000140","event_ts":"1700000000.000140"}"""));

        assertThat(slack.awaitFinal().get("text")).isEqualTo("Noted.");
        assertThat(gemini.requestCount()).isEqualTo(1);
        assertThat(gemini.takeRequest().getBody().utf8()).contains("waves at the bot").doesNotContain("edited question");
        assertThat(slack.calls("chat.postMessage")).hasSize(1);
    }
}
