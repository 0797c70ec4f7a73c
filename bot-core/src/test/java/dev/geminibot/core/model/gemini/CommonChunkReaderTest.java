package dev.geminibot.core.model.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.StreamEvent;
import dev.geminibot.core.model.internal.ChunkException;
import dev.geminibot.core.testing.FakeGemini;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of common chunks must change nothing: every stream decodes to the same events,
 * errors and end with it as with the tree alone; and it must actually take the common chunks.
 */
class CommonChunkReaderTest {

    /** Edge cases around what the streaming reader accepts, each a one-chunk stream. */
    private static final List<String> EDGES = List.of(
            "{\"candidates\":[]}",
            "{\"candidates\":{}}",
            "{\"candidates\":[{\"content\":{\"parts\":\"x\"}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":{\"a\":{\"text\":\"hi\"}}}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\",\"thought\":\"true\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"thought\":true,\"text\":\"pondering\"}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}]},\"finishReason\":\"STOP\"}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":null}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}},{\"content\":{\"parts\":[{\"text\":\"y\"}]}}]}",
            "{\"candidates\":[{\"finishReason\":\"FAKE_ENUM\",\"finishMessage\":\"m\"}]}",
            "{\"candidates\":[{\"finishReason\":\"MAX_TOKENS\"}],\"usageMetadata\":{\"promptTokenCount\":4}}",
            "{\"candidates\":[{\"finishReason\":7}]}",
            "{\"error\":{\"code\":500,\"message\":\"boom\",\"status\":\"INTERNAL\"}}",
            "[{\"error\":{\"code\":500,\"message\":\"boom\",\"status\":\"INTERNAL\"}}]",
            "not json",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]} trailing",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\"usageMetadata\":{\"promptTokenCount\":3.7,"
                    + "\"candidatesTokenCount\":\"x\",\"totalTokenCount\":99999999999}}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\",\"text\":\"b\"}]}}]}",
            "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}",
            "{\"usageMetadata\":{\"promptTokenCount\":1,\"totalTokenCount\":1}}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"},{\"executableCode\":{\"language\":\"PYTHON\","
                    + "\"code\":\"print(1)\"}}]}}]}",
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\",\"thoughtSignature\":\"c2ln\"}],\"role\":\"model\"},"
                    + "\"index\":0,\"safetyRatings\":[{\"category\":\"X\",\"probability\":\"NEGLIGIBLE\"}]}],"
                    + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}");

    /** A stream's decoding: every chunk's events or error, then the end. */
    private static List<String> decodeAll(List<String> payloads, boolean streamingFirst) {
        GeminiDecoder decoder = new GeminiDecoder(streamingFirst);
        List<String> seen = new ArrayList<>();
        for (String payload : payloads) {
            List<StreamEvent> out = new ArrayList<>();
            try {
                seen.add("more=" + decoder.decode(bytes(payload), out) + " " + out);
            } catch (ChunkException e) {
                seen.add("error " + e.getMessage() + " " + e.error());
            }
        }
        seen.add("end " + decoder.finish() + " complete=" + decoder.complete());
        return seen;
    }

    private static List<String> payloads(String sse) {
        List<String> payloads = new ArrayList<>();
        for (String line : sse.split("\r?\n")) {
            if (line.startsWith("data:")) {
                payloads.add(line.substring(5).strip());
            }
        }
        return payloads;
    }

    private static List<List<String>> recordedStreams() throws IOException {
        List<List<String>> streams = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(FakeGemini.class.getResource("/gemini-recorded/").getPath()))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("streaming-")).sorted().toList()) {
                streams.add(payloads(Files.readString(file)));
            }
        }
        return streams;
    }

    @Test
    void everyRecordedStreamDecodesAsWithTheTreeAlone() throws IOException {
        List<List<String>> streams = recordedStreams();
        assertThat(streams).hasSizeGreaterThanOrEqualTo(10);
        for (List<String> stream : streams) {
            assertThat(decodeAll(stream, true)).isEqualTo(decodeAll(stream, false));
        }
    }

    @Test
    void everyEdgeCaseDecodesAsWithTheTreeAlone() {
        for (String edge : EDGES) {
            assertThat(decodeAll(List.of(edge), true)).as(edge).isEqualTo(decodeAll(List.of(edge), false));
        }
        // And as the last chunk of an answer with text before it (state across chunks: code at line start).
        for (String edge : EDGES) {
            List<String> stream = List.of(FakeGemini.chunk("Some text", false, null, 1, 1), edge);
            assertThat(decodeAll(stream, true)).as(edge).isEqualTo(decodeAll(stream, false));
        }
    }

    @Test
    void generatedStreamsDecodeAsWithTheTreeAlone() {
        List<String> stream = payloads(FakeGemini.streamOf("Hello", " wörld ", "✓ \"quoted\"\n", "\\ back\tslash"));
        stream.add(0, FakeGemini.chunk("thinking about it", true, null, 2, 0));
        assertThat(decodeAll(stream, true)).isEqualTo(decodeAll(stream, false));
    }

    @Test
    void commonChunksAreReadWithoutATree() throws IOException {
        assertThat(CommonChunkReader.read(bytes(FakeGemini.chunk("hi", false, null, 1, 1)))).isNotNull();
        assertThat(CommonChunkReader.read(bytes(FakeGemini.chunk("hi", true, "STOP", 1, 1)))).isNotNull();
        List<String> longAnswer = recordedStreams().stream().filter(s -> s.size() > 20).findFirst().orElseThrow();
        long common = longAnswer.stream().filter(p -> CommonChunkReader.read(bytes(p)) != null).count();
        assertThat(common).as("chunks of a long recorded answer read by the streaming reader")
                .isGreaterThanOrEqualTo(longAnswer.size() - 2);
        assertThat(CommonChunkReader.read(bytes(EDGES.get(EDGES.size() - 1)))).isNotNull();
        assertThat(CommonChunkReader.read(bytes("{\"candidates\":[{\"groundingMetadata\":{}}]}"))).isNull();
    }

    private static byte[] bytes(String chunk) {
        return chunk.getBytes(StandardCharsets.UTF_8);
    }
}
