package dev.geminibot.bench;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lean load generator: the same streams as {@link PacedGeminiServer} (same prompt, schedule, bytes
 * and {@code /stats}), served by three platform threads instead of a virtual thread per stream, so that
 * the fake costs the machine as little as possible and the bot's numbers are the bot's. One thread
 * accepts connections and reads requests (NIO selector, HTTP/1.1 keep-alive); two pacers (system property {@code bench.pacers}) each keep their
 * open streams in a queue ordered by its next event's due time and writes each event as one HTTP chunk
 * in one non-blocking {@code write}, from a template filled in place (no JSON tree, no string
 * replacement). A write the socket cannot take whole is finished at the next tick; lateness is reported
 * as server lag like the other fake's.
 */
final class LeanGeminiServer implements AutoCloseable {
    private static final Pattern PROMPT = Pattern.compile("bench id=(\\d+) deltas=(\\d+) period=(\\d+)");
    private static final byte[] HEADERS = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SelectorServer server;
    private final DueQueue<Stream> pacers;
    private final FakeStats stats = new FakeStats();

    LeanGeminiServer(int backlog) throws IOException {
        pacers = new DueQueue<>("lean-gemini", s -> s.due, () -> {
            EventTemplate events = new EventTemplate();
            ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
            return (s, now) -> writeDue(s, now, scratch, events);
        });
        server = new SelectorServer("lean-gemini-accept", backlog, new SelectorServer.Handler() {
            @Override
            public Object accepted(SocketChannel channel) {
                return new Connection(channel);
            }

            @Override
            public void readable(SelectionKey key) throws IOException {
                read(key);
            }

            @Override
            public void failed(SelectionKey key) { // the client went away while we answered: drop it, serve the rest
                key.cancel();
                try {
                    ((Connection) key.attachment()).channel.close();
                } catch (IOException ignored) {
                    // gone
                }
            }

            @Override
            public void afterRound() {
                // Connections whose stream ended want to read their next request.
                for (Stream done; (done = finished.poll()) != null; ) {
                    if (done.key.isValid()) {
                        done.key.interestOps(SelectionKey.OP_READ);
                    }
                }
            }
        });
    }

    int port() throws IOException {
        return server.port();
    }

    /** One connection: reads a request while idle; while a stream is on it, the pacer owns it. */
    private static final class Connection {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(8192);

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** One answer being streamed: pacer thread only after it is handed over. */
    private static final class Stream {
        final Connection connection;
        final SelectionKey key;
        final long id;
        final AnswerScript script;
        final long t0;
        final long period;
        int next;
        long due;
        ByteBuffer pending;
        long[] start;

        Stream(Connection connection, SelectionKey key, long id, AnswerScript script, long t0, long period) {
            this.connection = connection;
            this.key = key;
            this.id = id;
            this.script = script;
            this.t0 = t0;
            this.period = period;
            this.due = t0;
        }
    }

    private final ConcurrentLinkedQueue<Stream> finished = new ConcurrentLinkedQueue<>();

    private void read(SelectionKey key) throws IOException {
        Connection connection = (Connection) key.attachment();
        int read;
        try {
            read = connection.channel.read(connection.in);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            key.cancel();
            connection.channel.close();
            return;
        }
        ByteBuffer in = connection.in;
        String head = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            grow(connection);
            return;
        }
        int length = contentLength(head.substring(0, end));
        int total = end + 4 + length;
        if (in.position() < total) {
            grow(connection);
            return;
        }
        long t0 = System.nanoTime();
        String body = new String(in.array(), end + 4, length, StandardCharsets.UTF_8);
        // Keep what came after this request (a client may pipeline; OkHttp does not).
        byte[] rest = java.util.Arrays.copyOfRange(in.array(), total, in.position());
        in.clear();
        in.put(rest);
        if (head.startsWith("GET /stats")) {
            byte[] json = stats.json();
            byte[] response = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            writeFully(connection.channel, ByteBuffer.wrap(concat(response, json)));
            return;
        }
        Matcher m = PROMPT.matcher(body);
        if (!m.find()) {
            byte[] error = "{\"error\":{\"code\":400,\"message\":\"not a bench prompt\",\"status\":\"INVALID_ARGUMENT\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            writeFully(connection.channel, ByteBuffer.wrap(concat(("HTTP/1.1 400 Bad Request\r\nContent-Type: "
                    + "application/json\r\nContent-Length: " + error.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII), error)));
            return;
        }
        long id = Long.parseLong(m.group(1));
        Stream stream = new Stream(connection, key, id, AnswerScript.of(id, Integer.parseInt(m.group(2))), t0,
                Long.parseLong(m.group(3)) * 1_000_000L);
        stream.start = stats.started(id, t0);
        key.interestOps(0); // the pacer owns the connection until the stream ends
        writeFully(connection.channel, ByteBuffer.wrap(HEADERS));
        pacers.add(id, stream);
    }

    private static void grow(Connection connection) {
        if (!connection.in.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(connection.in.capacity() * 2);
            connection.in.flip();
            bigger.put(connection.in);
            connection.in = bigger;
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /** Writes the stream's due event (or what is left of the last one); true when more is to come. */
    private boolean writeDue(Stream s, long now, ByteBuffer scratch, EventTemplate events) {
        SocketChannel channel = s.connection.channel;
        try {
            if (s.pending == null) {
                int i = s.next;
                boolean last = i == s.script.size() - 1;
                scratch.clear();
                events.write(scratch, s.script.delta(i), last, i + 1);
                if (last) {
                    scratch.put(LAST_CHUNK);
                }
                scratch.flip();
                s.pending = scratch;
                stats.wrote(s.t0 + i * s.period, now);
                if (i == 0) {
                    s.start[1] = now;
                }
                s.next++;
            }
            channel.write(s.pending);
            if (s.pending.hasRemaining()) {
                if (s.pending == scratch) { // keep the rest: the scratch buffer is reused
                    ByteBuffer copy = ByteBuffer.allocate(scratch.remaining());
                    copy.put(scratch).flip();
                    s.pending = copy;
                }
                s.due = now + 1_000_000L;
                return true;
            }
            s.pending = null;
            if (s.next >= s.script.size()) {
                finished.add(s);
                server.wakeup();
                return false;
            }
            s.due = s.t0 + s.next * s.period;
            return true;
        } catch (IOException e) {
            stats.broken();
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone
            }
            return false;
        }
    }

    /** The chunk for one event: {@code PacedGeminiServer.event(...)} bytes in HTTP chunk framing. */
    static final EventTemplate EVENTS = new EventTemplate();

    /**
     * Writes exactly {@link PacedGeminiServer#event} for a text, filled into a template split at its
     * three variable places (the text, the output tokens, the total), framed as one HTTP chunk.
     */
    static final class EventTemplate {
        private static final String TEXT = "@@TEXT@@";
        private static final int TOKENS = 987_654_321;
        private final byte[][] middle = split(PacedGeminiServer.event(TEXT, false, TOKENS));
        private final byte[][] last = split(PacedGeminiServer.event(TEXT, true, TOKENS));
        private final ByteBuffer body = ByteBuffer.allocate(32 * 1024);

        private static byte[][] split(byte[] event) {
            String s = new String(event, StandardCharsets.UTF_8);
            int text = s.indexOf(TEXT);
            int out = s.indexOf(Integer.toString(TOKENS), text);
            int total = s.indexOf(Integer.toString(TOKENS + 5), out);
            return new byte[][] {
                    s.substring(0, text).getBytes(StandardCharsets.UTF_8),
                    s.substring(text + TEXT.length(), out).getBytes(StandardCharsets.UTF_8),
                    s.substring(out + 9, total).getBytes(StandardCharsets.UTF_8),
                    s.substring(total + 9).getBytes(StandardCharsets.UTF_8)};
        }

        /** The bare event bytes (no chunk framing), for the byte-equality test. */
        byte[] event(String text, boolean isLast, int outputTokens) {
            ByteBuffer out = ByteBuffer.allocate(32 * 1024);
            fill(out, text, isLast, outputTokens);
            out.flip();
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        }

        /** The bare event bytes into {@code out} (no framing). */
        void eventInto(ByteBuffer out, String text, boolean isLast, int outputTokens) {
            fill(out, text, isLast, outputTokens);
        }

        /** One pacer thread only (reuses one buffer). */
        void write(ByteBuffer out, String text, boolean isLast, int outputTokens) {
            body.clear();
            fill(body, text, isLast, outputTokens);
            body.flip();
            out.put(Integer.toHexString(body.remaining()).getBytes(StandardCharsets.US_ASCII)).put((byte) '\r')
                    .put((byte) '\n').put(body).put((byte) '\r').put((byte) '\n');
        }

        private void fill(ByteBuffer out, String text, boolean isLast, int outputTokens) {
            byte[][] parts = isLast ? last : middle;
            out.put(parts[0]).put(JsonStringEncoder.getInstance().quoteAsUTF8(text)).put(parts[1])
                    .put(Integer.toString(outputTokens).getBytes(StandardCharsets.US_ASCII)).put(parts[2])
                    .put(Integer.toString(outputTokens + 5).getBytes(StandardCharsets.US_ASCII)).put(parts[3]);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public void close() throws IOException {
        pacers.close();
        server.close();
    }

    /** Child-process mode: see {@link FakeStats#serveUntilStdinCloses}. */
    static void serveUntilStdinCloses() throws Exception {
        LeanGeminiServer server = new LeanGeminiServer(16_384);
        FakeStats.serveUntilStdinCloses(server, server.port());
    }
}
