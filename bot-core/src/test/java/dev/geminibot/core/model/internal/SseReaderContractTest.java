package dev.geminibot.core.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.sse.internal.ServerSentEventReader;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.jetbrains.annotations.NotNull;
import org.junit.jupiter.api.Test;

/**
 * What {@link SseModelStream} relies on in okhttp-sse's internal {@link ServerSentEventReader}. The class
 * is not API and may change in any release; if one of these fails after an OkHttp upgrade, the stream's
 * event loop ({@code readOneEvent}, {@code terminateAtEof}) must be checked, not this test relaxed.
 */
class SseReaderContractTest {
    final List<String> payloads = new ArrayList<>();
    final ServerSentEventReader.Callback collect = new ServerSentEventReader.Callback() {
        @Override
        public void onEvent(String id, String type, @NotNull String data) {
            payloads.add(data);
        }

        @Override
        public void onRetryChange(long timeMs) {
        }
    };

    ServerSentEventReader reader(String body) {
        return new ServerSentEventReader(new Buffer().writeUtf8(body), collect);
    }

    @Test
    void eachCallReadsOneEventAndReportsItBeforeReturning() throws IOException {
        ServerSentEventReader reader = reader("data: one\n\ndata: two\r\n\r\ndata: three\r\rdata: a\ndata: b\n\n");

        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).containsExactly("one");
        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).containsExactly("one", "two");
        assertThat(reader.processNextEvent()).isTrue();
        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).containsExactly("one", "two", "three", "a\nb");
        assertThat(reader.processNextEvent()).isFalse();
    }

    @Test
    void commentsAndBlankLinesEndAStepWithoutAnEvent() throws IOException {
        ServerSentEventReader reader = reader(": keep-alive\n\n\ndata: x\n\n");

        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).isEmpty();
        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).isEmpty();
        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).containsExactly("x");
    }

    /** Why {@code terminateAtEof} adds a blank line: without one, the last event is dropped at the end. */
    @Test
    void anEventWithoutItsBlankLineIsDroppedAtTheEnd() throws IOException {
        ServerSentEventReader reader = reader("data: first\n\ndata: last\n");

        assertThat(reader.processNextEvent()).isTrue();
        assertThat(reader.processNextEvent()).isFalse();
        assertThat(payloads).containsExactly("first");
    }

    /** Pull, not push: an event is delivered once its blank line arrives, without reading further. */
    @Test
    void doesNotReadPastTheEventItReturns() throws IOException {
        Buffer wire = new Buffer().writeUtf8("data: ready\n\n");
        Source thenBroken = new Source() {
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
        };
        BufferedSource source = Okio.buffer(thenBroken);
        ServerSentEventReader reader = new ServerSentEventReader(source, collect);

        assertThat(reader.processNextEvent()).isTrue();
        assertThat(payloads).containsExactly("ready");
        assertThatThrownBy(reader::processNextEvent).isInstanceOf(IOException.class)
                .hasMessage("the next read would block");
    }

    /** The stream throws its failures from the callback; they must come out of the reader unchanged. */
    @Test
    void anExceptionFromTheCallbackPropagates() {
        IllegalStateException decodeFailure = new IllegalStateException("bad chunk");
        ServerSentEventReader reader = new ServerSentEventReader(new Buffer().writeUtf8("data: x\n\n"),
                new ServerSentEventReader.Callback() {
                    @Override
                    public void onEvent(String id, String type, @NotNull String data) {
                        throw decodeFailure;
                    }

                    @Override
                    public void onRetryChange(long timeMs) {
                    }
                });

        assertThatThrownBy(reader::processNextEvent).isSameAs(decodeFailure);
    }
}
