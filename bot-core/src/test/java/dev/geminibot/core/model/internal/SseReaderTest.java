package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

/** The SSE reader on byte-exact bodies: the SSE format, and Gemini's plain-JSON error lines. */
class SseReaderTest {

    static List<String> payloads(String body) throws IOException {
        SseReader reader = new SseReader(new Buffer().writeUtf8(body));
        List<String> all = new ArrayList<>();
        for (String payload = text(reader.next()); payload != null; payload = text(reader.next())) {
            all.add((reader.lastWasPlain() ? "plain:" : "") + payload);
        }
        return all;
    }

    private static String text(byte[] payload) {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    @Test
    void eventsEndAtABlankLineWhateverTheLineEnds() throws IOException {
        assertThat(payloads("data: one\n\ndata: two\r\n\r\ndata: three\r\rdata: a\ndata: b\n\n"))
                .containsExactly("one", "two", "three", "a\nb");
    }

    @Test
    void commentsOtherFieldsAndExtraBlankLinesAreSkipped() throws IOException {
        assertThat(payloads(": keep-alive\n\n\nid: 7\nevent: message\nretry: 10\ndata: x\n\nfoo: bar\n\n"))
                .containsExactly("x");
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws IOException {
        assertThat(payloads("data:tight\n\ndata:  two spaces\n\ndata:\n\n")).containsExactly("tight", " two spaces", "");
    }

    @Test
    void theLastEventNeedsNoBlankLineWhenTheBodyEndsCleanly() throws IOException {
        assertThat(payloads("data: first\n\ndata: last\n")).containsExactly("first", "last");
        assertThat(payloads("data: first\r\n\r\ndata: no line end")).containsExactly("first", "no line end");
    }

    @Test
    void multiByteTextSurvives() throws IOException {
        assertThat(payloads("data: {\"text\":\"猫 🐶 naïve\"}\r\n\r\n")).containsExactly("{\"text\":\"猫 🐶 naïve\"}");
    }

    /** How Gemini reports an error mid-stream: a pretty-printed JSON object with no {@code data:} prefixes. */
    @Test
    void plainJsonLinesAreCollectedUntilTheirBracesBalance() throws IOException {
        String error = "{\n  \"error\": {\n    \"code\": 500,\n    \"message\": \"An internal error {oops\",\n"
                + "    \"status\": \"INTERNAL\"\n  }\n}\n";

        assertThat(payloads("data: {\"a\":1}\r\n\r\n" + error))
                .containsExactly("{\"a\":1}", "plain:" + error.stripTrailing());
        assertThat(payloads("[{\n  \"error\": {}\n}\n]\n")).containsExactly("plain:[{\n  \"error\": {}\n}\n]");
        assertThat(payloads("{\"error\": {\"code\": 503}}\n")).containsExactly("plain:{\"error\": {\"code\": 503}}");
    }

    @Test
    void plainLinesCutByTheEndOfTheBodyAreStillAPayload() throws IOException {
        assertThat(payloads("{\n  \"error\": {\n")).containsExactly("plain:{\n  \"error\": {");
    }

    @Test
    void plainLinesRightAfterDataLinesEndTheEventFirst() throws IOException {
        assertThat(payloads("data: {\"a\":1}\n{\"error\":{}}\n")).containsExactly("{\"a\":1}", "plain:{\"error\":{}}");
    }

    @Test
    void otherTextOutsideEventsIsIgnoredAsSseSays() throws IOException {
        assertThat(payloads("hello\n<html>\ndata: x\n\n")).containsExactly("x");
    }

    /** Pull, not push: an event is returned once its blank line arrives, without reading further. */
    @Test
    void doesNotReadPastThePayloadItReturns() throws IOException {
        SseReader reader = new SseReader(thenBroken(new Buffer().writeUtf8("data: ready\n\n")));

        assertThat(text(reader.next())).isEqualTo("ready");
        assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessage("the next read would block");
    }

    /** A payload that ends in a lone CR is returned without waiting for a LF that may follow. */
    @Test
    void aLoneCrDoesNotWaitForTheNextByte() throws IOException {
        SseReader reader = new SseReader(thenBroken(new Buffer().writeUtf8("data: x\r\r")));

        assertThat(text(reader.next())).isEqualTo("x");

        SseReader crlf = new SseReader(new Buffer().writeUtf8("data: x\r\r\ndata: y\r\n\r\n"));
        assertThat(text(crlf.next())).isEqualTo("x");
        assertThat(text(crlf.next())).isEqualTo("y");
        assertThat(text(crlf.next())).isNull();
    }

    @Test
    void bracketDepthIgnoresStringsAndEscapes() {
        assertThat(SseReader.depth("{\"a\": \"}}\\\"{\"".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(SseReader.depth("[{}, {\"b\": [1, 2]}]".getBytes(StandardCharsets.UTF_8))).isZero();
    }

    private static BufferedSource thenBroken(Buffer wire) {
        return Okio.buffer(new Source() {
            @Override
            public long read(@NotNull Buffer sink, long byteCount) throws IOException {
                if (wire.exhausted()) {
                    throw new IOException("the next read would block");
                }
                return wire.read(sink, byteCount);
            }

            @Override
            public @NotNull Timeout timeout() {
                return Timeout.NONE;
            }

            @Override
            public void close() {
            }
        });
    }
}
