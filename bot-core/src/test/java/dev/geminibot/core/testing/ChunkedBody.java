package dev.geminibot.core.testing;

import java.io.IOException;
import java.util.List;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A body written as HTTP/1.1 chunks, one per piece, flushed one by one (or all at once), then the last
 * chunk (MockWebServer adds the trailer line). With a {@link Stall} it holds the connection open after
 * the pieces until released.
 */
final class ChunkedBody implements MockResponseBody {
    private final List<byte[]> pieces;
    private final Stall stall;
    private final boolean flushEach;

    ChunkedBody(List<byte[]> pieces, Stall stall) {
        this(pieces, stall, true);
    }

    ChunkedBody(List<byte[]> pieces, Stall stall, boolean flushEach) {
        this.flushEach = flushEach;
        this.pieces = List.copyOf(pieces);
        this.stall = stall;
    }

    @Override
    public long getContentLength() {
        return -1;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        for (byte[] piece : pieces) {
            sink.writeAll(FakeGemini.frame(piece));
            if (flushEach) {
                sink.flush();
            }
        }
        if (stall != null) {
            byte[] rest = stall.hold(sink);
            if (rest != null && rest.length > 0) {
                sink.writeAll(FakeGemini.frame(rest));
            }
        }
        sink.writeUtf8("0\r\n");
        sink.flush();
    }
}
