package dev.geminibot.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.ByteSizes;
import dev.geminibot.core.testing.FileHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The checks and bounds of {@link Attachments}, against a local file host. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AttachmentsTest {
    private final FileHost host = new FileHost();

    @AfterEach
    void close() {
        host.close();
    }

    private static SharedFile file(String name, String type, long size, String url) {
        return new SharedFile(name, type, size, url, Map.of());
    }

    @Test
    void filesTogetherStayWithinTheRequestBudgetAndTheOneThatWouldNotFitIsNamed() {
        var attachments = new Attachments(1000, 1500, new FileDownloader(new OkHttpClient(), Duration.ofSeconds(5)));
        byte[] a = new byte[900];
        a[0] = '%'; a[1] = 'P'; a[2] = 'D'; a[3] = 'F'; a[4] = '-';
        var gathered = attachments.gather(List.of(
                file("a.pdf", "application/pdf", 900, host.serve("/a.pdf", "application/pdf", a)),
                file("b.pdf", "application/pdf", 900, host.url("/b.pdf")),
                file("c.txt", "text/plain", 5, host.serve("/c.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)))));

        assertThat(gathered.files()).extracting(f -> f.name()).containsExactly("a.pdf", "c.txt");
        assertThat(gathered.skipped()).containsExactly(
                "⚠ skipped b.pdf: with the other files it would be over Gemini's 2 KB limit for one message");
        assertThat(host.requestsFor("/b.pdf")).isEmpty();
    }

    @Test
    void aDownloadThatStallsIsGivenUpAndNamed() throws Exception {
        try (MockWebServer slow = new MockWebServer()) {
            slow.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "image/png")
                    .body(new Buffer().write(FileHost.png())).throttleBody(1, 1, TimeUnit.SECONDS).build());
            slow.start();
            var attachments = new Attachments(1 << 20, 1 << 20,
                    new FileDownloader(new OkHttpClient(), Duration.ofMillis(300)));
            var gathered = attachments.gather(List.of(file("slow.png", "image/png", 200, slow.url("/slow.png").toString())));

            assertThat(gathered.files()).isEmpty();
            assertThat(gathered.skipped()).containsExactly("⚠ skipped slow.png: the download took longer than 1 s");
        }
    }

    @Test
    void aFileThatIsNotWhatItsTypeSaysIsSniffedAndRefused() {
        var attachments = new Attachments(1 << 20, new OkHttpClient());
        // No type from the platform, no telling name, and bytes of a ZIP archive: Gemini would refuse it.
        var gathered = attachments.gather(List.of(
                file("blob", "", 4, host.serve("/blob", "application/octet-stream", new byte[] {'P', 'K', 3, 4}))));
        assertThat(gathered.skipped()).containsExactly("⚠ skipped blob: not a type Gemini reads");
    }

    @Test
    void typesAreJudgedAsGeminiReadsThem() {
        assertThat(FileTypes.readable("image/png")).isTrue();
        assertThat(FileTypes.readable("image/heif")).isTrue();
        assertThat(FileTypes.readable("audio/ogg")).isTrue();
        assertThat(FileTypes.readable("video/quicktime")).isTrue();
        assertThat(FileTypes.readable("text/x-java-source")).isTrue();
        assertThat(FileTypes.readable("image/gif")).isFalse();
        assertThat(FileTypes.readable("application/zip")).isFalse();
        assertThat(FileTypes.readable("application/x-msdownload")).isFalse();
        assertThat(FileTypes.wireType("text/x-java-source")).isEqualTo("text/plain");
        assertThat(FileTypes.wireType("application/json")).isEqualTo("text/plain");
        assertThat(FileTypes.wireType("text/csv")).isEqualTo("text/csv");
        assertThat(FileTypes.sniff(FileHost.png())).isEqualTo("image/png");
        assertThat(FileTypes.sniff(FileHost.pdf())).isEqualTo("application/pdf");
        assertThat(FileTypes.sniff(new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'})).isEqualTo("image/heic");
        assertThat(FileTypes.sniff(new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'})).isEqualTo("image/webp");
        assertThat(FileTypes.declared(file("photo.JPG", "", -1, "x"))).isEqualTo("image/jpeg");
        assertThat(FileTypes.declared(file("x.bin", "text/plain; charset=utf-8", -1, "x"))).isEqualTo("text/plain");
    }

    @Test
    void mentionsNameEachFileByKind() {
        assertThat(FileMentions.withMentions("look", List.of(file("chart.png", "image/png", 1, "x"),
                file("talk.m4a", "", 1, "x"), file("setup.exe", "application/x-msdownload", 1, "x"))))
                .isEqualTo("look\n[image: chart.png]\n[audio: talk.m4a]\n[file: setup.exe]");
        assertThat(FileMentions.withMentions("", List.of(file("a.pdf", "application/pdf", 1, "x")))).isEqualTo("[PDF: a.pdf]");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(ByteSizes.describe(48L << 20)).isEqualTo("48 MB");
        assertThat(ByteSizes.describe(20L << 20)).isEqualTo("20 MB");
        assertThat(ByteSizes.describe(4096)).isEqualTo("4 KB");
        assertThat(ByteSizes.describe(900)).isEqualTo("900 bytes");
        assertThat(ByteSizes.describe((20L << 20) + 1)).as("rounded up, so 'over the limit' reads true").isEqualTo("21 MB");
    }

    @Test
    void headersNeverShowInTheFilesDescription() {
        var shared = new SharedFile("a.png", "image/png", 3, "https://files.slack.com/x",
                Map.of("Authorization", "Bearer xoxb-secret"));
        assertThat(shared.toString()).doesNotContain("xoxb").doesNotContain("files.slack.com");
    }
}
