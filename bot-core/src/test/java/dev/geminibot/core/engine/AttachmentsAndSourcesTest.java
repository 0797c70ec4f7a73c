package dev.geminibot.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.GeminiTool;
import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.media.SharedFile;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.model.internal.Json;
import dev.geminibot.core.testing.FakeGemini;
import dev.geminibot.core.testing.FileHost;
import dev.geminibot.core.testing.GroundedStreams;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine with the real Gemini client against a fake Gemini, and a local file host standing in for
 * the platforms' file servers: what Gemini receives for shared files and tools, and how the answer shows
 * skipped files, tool progress and Sources.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttachmentsAndSourcesTest {
    private static final ConversationKey DM = ConversationKey.channel("test", "team", "dm");

    private final FakeGemini gemini = FakeGemini.start();
    private final FileHost files = new FileHost();
    private ChatEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        gemini.close();
        files.close();
    }

    private void start(EnumSet<GeminiTool> tools, long maxBytes) {
        var config = gemini.config().withMedia(tools, maxBytes);
        engine = new ChatEngine(ChatModels.fromConfig(config), BotConfig.defaults().withGemini(config));
    }

    private AnswerResult ask(String text, SharedFile... shared) {
        return engine.submit(new Incoming(DM, "ann", "ann", text, Trigger.DIRECT_MESSAGE, "", List.of(shared)),
                sink).done().orTimeout(20, TimeUnit.SECONDS).join();
    }

    private final MemorySink sink = new MemorySink();

    private JsonNode nextRequest() throws Exception {
        return Json.MAPPER.readTree(gemini.takeRequest().getBody().utf8());
    }

    private static SharedFile file(String name, String type, long size, String url) {
        return new SharedFile(name, type, size, url, Map.of());
    }

    @Test
    void aPngAPdfAndATextFileGoAsInlineDataOfTheSameTurnInOrderWithTheirExactBytes() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class), 20L << 20);
        byte[] png = FileHost.png();
        byte[] pdf = FileHost.pdf();
        byte[] text = FileHost.text();
        gemini.enqueueStream("A red pixel.");
        ask("what is in these?",
                file("chart.png", "image/png", png.length, files.serve("/a/chart.png", "image/png", png)),
                file("report.pdf", "application/pdf", pdf.length, files.serve("/a/report.pdf", "application/pdf", pdf)),
                file("notes.txt", "text/plain; charset=utf-8", text.length,
                        files.serve("/a/notes.txt", "text/plain; charset=utf-8", text)));

        JsonNode contents = nextRequest().path("contents");
        assertThat(contents).hasSize(1);
        JsonNode parts = contents.get(0).path("parts");
        assertThat(parts).hasSize(4);
        assertThat(parts.get(0).path("text").asText())
                .isEqualTo("what is in these?\n[image: chart.png]\n[PDF: report.pdf]\n[text: notes.txt]");
        assertThat(parts.get(1).path("inline_data").path("mime_type").asText()).isEqualTo("image/png");
        assertThat(parts.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(png));
        assertThat(parts.get(2).path("inline_data").path("mime_type").asText()).isEqualTo("application/pdf");
        assertThat(parts.get(2).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(pdf));
        assertThat(parts.get(3).path("inline_data").path("mime_type").asText()).isEqualTo("text/plain");
        assertThat(parts.get(3).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(text));
        assertThat(sink.text()).isEqualTo("A red pixel.");

        // The next turn carries no bytes, but still names the files.
        gemini.enqueueStream("Yes.");
        ask("and the chart again?");
        JsonNode later = nextRequest();
        assertThat(later.toString()).doesNotContain("inline_data");
        assertThat(later.path("contents").get(0).path("parts").get(0).path("text").asText())
                .contains("[image: chart.png]", "[PDF: report.pdf]", "[text: notes.txt]");
        assertThat(files.requests()).hasSize(3);
    }

    @Test
    void regeneratingInTheSameProcessSendsTheQuestionsFilesAgain() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class), 20L << 20);
        byte[] png = FileHost.png();
        gemini.enqueueStream("A red pixel.");
        Answer first = engine.submit(new Incoming(DM, "ann", "ann", "what is this?", Trigger.DIRECT_MESSAGE, "",
                List.of(file("chart.png", "image/png", png.length, files.serve("/r/chart.png", "image/png", png)))), sink);
        first.done().orTimeout(20, TimeUnit.SECONDS).join();
        nextRequest();

        gemini.enqueueStream("A single red pixel.");
        engine.regenerate(DM, first.id(), new MemorySink()).done().orTimeout(20, TimeUnit.SECONDS).join();
        JsonNode contents = nextRequest().path("contents");
        assertThat(contents).hasSize(1);
        assertThat(contents.get(0).path("parts").get(0).path("text").asText()).isEqualTo("what is this?\n[image: chart.png]");
        assertThat(contents.get(0).path("parts").get(1).path("inline_data").path("data").asText())
                .isEqualTo(Base64.getEncoder().encodeToString(png));
        assertThat(files.requests()).hasSize(2);
    }

    @Test
    void aFileWithoutATypeIsSniffedFromItsBytes() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class), 20L << 20);
        byte[] png = FileHost.png();
        gemini.enqueueStream("ok");
        ask("", file("screenshot", "", png.length, files.serve("/b/screenshot", "application/octet-stream", png)));

        JsonNode parts = nextRequest().path("contents").get(0).path("parts");
        assertThat(parts.get(1).path("inline_data").path("mime_type").asText()).isEqualTo("image/png");
    }

    @Test
    void refusedAndFailedFilesAreNamedInTheFooterAndTheAnswerStillComes() throws Exception {
        start(EnumSet.noneOf(GeminiTool.class), 4L << 10);
        byte[] png = FileHost.png();
        // Announced smaller than it is: the download is cut off at the stated size.
        files.serve("/c/grows.png", "image/png", new byte[6000]);
        gemini.enqueueStream("Here is what I could read.");
        AnswerResult result = ask("look",
                file("report.exe", "application/x-msdownload", 100, files.url("/c/report.exe")),
                file("video.mp4", "video/mp4", 48L << 20, files.url("/c/video.mp4")),
                file("login.png", "image/png", 300, files.serveLoginPage("/c/login.png")),
                file("gone.png", "image/png", 300, files.serveError("/c/gone.png", 403)),
                file("grows.png", "image/png", 1000, files.url("/c/grows.png")),
                file("ok.png", "image/png", png.length, files.serve("/c/ok.png", "image/png", png)));

        assertThat(files.requestsFor("/c/report.exe")).as("refused by type before any download").isEmpty();
        assertThat(files.requestsFor("/c/video.mp4")).as("refused by its stated size before any download").isEmpty();
        JsonNode parts = nextRequest().path("contents").get(0).path("parts");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(1).path("inline_data").path("data").asText()).isEqualTo(Base64.getEncoder().encodeToString(png));
        assertThat(result.outcome()).isEqualTo(Answer.Outcome.COMPLETED);
        assertThat(sink.text()).startsWith("Here is what I could read.\n\n")
                .contains("⚠ skipped report.exe: not a type Gemini reads")
                .contains("⚠ skipped video.mp4: 48 MB is over the 4 KB limit")
                .contains("⚠ skipped login.png: a web page came back instead of the file")
                .contains("⚠ skipped gone.png: the download failed (HTTP 403)")
                .contains("⚠ skipped grows.png: it grew past its stated size")
                .doesNotContain("ok.png");
    }

    @Test
    void toolsFromTheConfigurationAreInEveryRequest() throws Exception {
        start(EnumSet.allOf(GeminiTool.class), 20L << 20);
        gemini.enqueueStream("hi");
        ask("hello");
        assertThat(nextRequest().path("tools").toString())
                .isEqualTo("[{\"google_search\":{}},{\"url_context\":{}},{\"code_execution\":{}}]");
    }

    @Test
    void searchProgressShowsBeforeTheFirstWordAndSourcesFollowTheAnswer() throws Exception {
        start(EnumSet.of(GeminiTool.GOOGLE_SEARCH), 20L << 20);
        gemini.enqueueSse(GroundedStreams.searchStream(null));
        ask("weather in London?");

        assertThat(sink.calls().getFirst()).isEqualTo("post 🔎 Searching…");
        String answer = GroundedStreams.answerText();
        assertThat(sink.text()).isEqualTo(answer + (answer.endsWith("\n") ? "\n" : "\n\n") + "**Sources:** "
                + "1. [accuweather.com](<https://vertexaisearch.cloud.google.com/grounding-api-redirect/AbF9wXHS4dqThDQYaHdj81DtSjCLnxmtgYPqLKTfc8-Ea4_ATkuKibe-C2xm9XLREootlLWWk7o7FN6Ktd7PpgEIaA9KH38l33kunUQcrqm77_xaHI9tsqJ1LOgkCG9fV6HKw6WC_fbQ-9JMkaFoJT0Xwkwb1rog-kHLu6qCTv810KzfSBUcH-lZLVxOow==>)"
                + " · 2. [Weather information for locality\\: London](<https://www.google.com/search?q=weather+in+London>)");
    }

    @Test
    void urlContextSourcesComeFromTheRecordedStream() throws Exception {
        start(EnumSet.of(GeminiTool.URL_CONTEXT), 20L << 20);
        gemini.enqueueFixture("streaming-success-url-context.txt");
        ask("what is on https://google.com ?");
        assertThat(sink.text()).endsWith("\"About\" section.\n\n**Sources:** 1. [Google](<https://google.com>)");
    }

    @Test
    void sourcesAreDeduplicatedCappedAtEightAndTheirTitlesCannotPing() throws Exception {
        start(EnumSet.of(GeminiTool.GOOGLE_SEARCH), 20L << 20);
        ArrayNode chunks = Json.MAPPER.createArrayNode();
        List<String> titles = new ArrayList<>(List.of("@everyone look", "<!channel> <@U123ABC> **bold**](x)",
                "@here [x](https://evil.example)", "dup"));
        for (int i = 0; i < 12; i++) {
            String title = i < titles.size() ? titles.get(i) : "page " + i;
            chunks.addObject().putObject("web").put("uri", i == 4 ? "https://example.com/3" : "https://example.com/" + i)
                    .put("title", title);
        }
        gemini.enqueueSse(GroundedStreams.searchStream(chunks));
        ask("q");

        String text = sink.text();
        String sources = text.substring(text.indexOf("**Sources:**"));
        assertThat(sources).doesNotContain("@everyone", "@here", "<!channel>", "<@U123ABC>")
                .contains("1. [@\u200beveryone look](<https://example.com/0>)")
                .contains("\\<\\!channel\\> \\<@\u200bU123ABC\\> \\*\\*bold\\*\\*\\]\\(x\\)")
                .contains("8. [page 8](<https://example.com/8>)")
                .doesNotContain("9. ", "https://example.com/9>");
        assertThat(sources.split("example.com/3>", -1)).as("the duplicate URI is listed once").hasSize(2);
    }
}
