package dev.geminibot.core.model.internal;

import java.io.IOException;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads the payloads of a server-sent event stream, one per {@link #next()}, on the calling thread.
 *
 * <p>Why not okhttp-sse's reader: Gemini reports an error that happens mid-stream as a plain JSON object
 * written over several lines, <em>without</em> {@code data:} prefixes ({@code {\n  "error": {...}\n}\n}),
 * and the SSE rules (which okhttp-sse follows) silently drop such lines, so a cut answer looked complete.
 * Google's own SDKs collect those lines until their braces balance and parse them as one more chunk;
 * this reader does the same: a line that starts (after blanks) with <code>{</code> or {@code [}
 * outside an event starts a <em>plain</em> payload that ends when its brackets balance (or at the end of
 * the body). Everything else follows the SSE format: {@code data:} lines (one optional space after the
 * colon) joined by {@code \n}, an event dispatched at a blank line, comments ({@code :}) and other fields
 * ({@code id}, {@code event}, {@code retry}) ignored, lines ending in LF, CRLF or CR.
 *
 * <p>At the end of the body the last event is dispatched even without its blank line: a clean end
 * means the HTTP framing completed, so the event is whole (recorded Gemini streams end on
 * {@code data: …\n}). A broken body throws from the source instead. Not thread-safe; reads exactly as
 * far as the payload it returns (plus that payload's line ending), never ahead.
 */
public final class SseReader {
    private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
    private static final ByteString DATA = ByteString.encodeUtf8("data:");

    private final BufferedSource source;
    /** The last line ended in a lone CR so far: a LF that starts the next read belongs to it. */
    private boolean afterCr;
    private boolean lastWasPlain;

    public SseReader(BufferedSource source) {
        this.source = source;
    }

    /** Bytes read from the body and not yet returned: a next payload may need no network read. */
    public long buffered() {
        return source.getBuffer().size();
    }

    /**
     * Blocks until the next payload and returns its bytes (UTF-8, as sent), or null when the body ended
     * cleanly. Bytes, not a {@code String}: Jackson's byte parser reads them as they are, and no payload is
     * decoded to UTF-16 first (framing and decoding took 19 % less CPU per delta in JMH; JSON is the largest
     * share of the client's CPU, docs/BENCHMARKS.md 5.9).
     *
     * @throws IOException when reading the body fails (a dropped connection, a cancel)
     */
    public byte[] next() throws IOException {
        byte[] data = null;
        Buffer joined = null;
        Buffer plain = null;
        int depth = 0;
        while (true) {
            long end = source.indexOfElement(LINE_ENDS);
            if (afterCr) {
                afterCr = false;
                if (end == 0 && source.getBuffer().getByte(0) == '\n') {
                    source.skip(1);
                    continue;
                }
            }
            boolean last = end == -1;
            if (last) {
                end = source.getBuffer().size(); // the body ended: an unterminated last line, if any
            }
            if (plain != null) {
                if (end > 0) {
                    byte[] line = source.readByteArray(end);
                    plain.writeByte('\n').write(line);
                    depth += depth(line);
                }
                skipLineEnd(last);
                if (depth <= 0 || last) {
                    lastWasPlain = true;
                    return plain.readByteArray();
                }
                continue;
            }
            if (end == 0) {
                if (last) {
                    return finish(data, joined);
                }
                skipLineEnd(false);
                if (data != null) {
                    return finish(data, joined);
                }
                continue;
            }
            if (source.rangeEquals(0, DATA)) {
                source.skip(DATA.size());
                long length = end - DATA.size();
                if (length > 0 && source.getBuffer().getByte(0) == ' ') {
                    source.skip(1);
                    length--;
                }
                byte[] value = source.readByteArray(length);
                if (data == null) {
                    data = value;
                } else {
                    if (joined == null) {
                        joined = new Buffer().write(data);
                    }
                    joined.writeByte('\n').write(value);
                }
            } else if (startsPlain(end)) {
                if (data != null) {
                    return finish(data, joined); // an event cut short by plain lines: the line stays for next()
                }
                byte[] line = source.readByteArray(end);
                depth = depth(line);
                plain = new Buffer().write(line);
                if (depth <= 0 || last) {
                    skipLineEnd(last);
                    lastWasPlain = true;
                    return line;
                }
            } else {
                source.skip(end); // a comment, id, event, retry or unknown field
            }
            if (last) {
                return finish(data, joined);
            }
            skipLineEnd(false);
        }
    }

    /** True when the payload {@link #next()} returned last came from plain (non-SSE) lines. */
    public boolean lastWasPlain() {
        return lastWasPlain;
    }

    private byte[] finish(byte[] data, Buffer joined) {
        lastWasPlain = false;
        return joined != null ? joined.readByteArray() : data;
    }

    /** Consumes the LF, CRLF or CR that ends the line just read (a CR's LF may not have arrived yet). */
    private void skipLineEnd(boolean last) throws IOException {
        if (last) {
            return;
        }
        byte end = source.readByte();
        if (end == '\r') {
            if (source.getBuffer().size() > 0) {
                if (source.getBuffer().getByte(0) == '\n') {
                    source.skip(1);
                }
            } else {
                afterCr = true; // do not block here for a LF: the payload may be complete already
            }
        }
    }

    /** Whether the line of {@code length} bytes at the head of the buffer starts with a JSON bracket. */
    private boolean startsPlain(long length) {
        for (long i = 0; i < length; i++) {
            byte b = source.getBuffer().getByte(i);
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return false;
    }

    /**
     * Opening minus closing brackets in {@code line} (UTF-8), outside JSON strings. Byte by byte is exact:
     * no byte of a multi-byte UTF-8 character is an ASCII quote, backslash or bracket.
     */
    static int depth(byte[] line) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < line.length; i++) {
            byte c = line[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return depth;
    }
}
