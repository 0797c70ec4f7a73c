package dev.geminibot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lean load generator over cleartext HTTP/2 (prior knowledge), as production talks HTTP/2 to Google:
 * the same streams, bytes, schedule and {@code /stats} as {@link LeanGeminiServer}, written as DATA frames,
 * up to 100 streams per connection (Google's {@code SETTINGS_MAX_CONCURRENT_STREAMS}). Just enough HTTP/2 for
 * OkHttp as the client, and no more:
 * <ul>
 *   <li>request headers are not decoded (no HPACK decoder): a HEADERS frame that ends its stream is the
 *       {@code GET /stats}, any other request is a prompt whose body arrives in DATA frames;</li>
 *   <li>response headers are one fixed HPACK block ({@code :status 200} from the static table, then
 *       {@code content-type} as a literal without indexing);</li>
 *   <li>no flow control on what it sends (OkHttp opens 16 MiB windows; a bench stream is ~30 KB), and a
 *       connection-level WINDOW_UPDATE for every DATA frame it receives.</li>
 * </ul>
 * One selector thread reads frames from every connection; two pacer threads write due events, each in a
 * write of its own or, with {@code bench.h2.gatherMicros}, a connection's frames of a pass in one (see
 * {@link Gatherer}). Frames of one connection are written under its lock, each whole.
 */
final class LeanH2GeminiServer implements AutoCloseable {
    private static final Pattern PROMPT = Pattern.compile("bench id=(\\d+) deltas=(\\d+) period=(\\d+)");
    private static final int PREFACE_LENGTH = 24;
    private static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, WINDOW_UPDATE = 0x8;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8;

    private final SelectorServer server;
    private final DueQueue<Stream> pacers;
    private final FakeStats stats = new FakeStats();
    private final long gatherNanos;

    /** @param gatherNanos see {@link Gatherer}; 0 writes each frame at once */
    LeanH2GeminiServer(int backlog, long gatherNanos) throws IOException {
        this.gatherNanos = gatherNanos;
        pacers = new DueQueue<>("lean-h2-gemini", s -> s.due, Gatherer::new);
        server = new SelectorServer("lean-h2-gemini-read", backlog, new SelectorServer.Handler() {
            @Override
            public Object accepted(SocketChannel channel) throws IOException {
                Connection connection = new Connection(channel);
                open.put(connection, new java.util.concurrent.ConcurrentHashMap<>());
                // SETTINGS: MAX_CONCURRENT_STREAMS (0x3) = 100, as Google's endpoint.
                ByteBuffer settings = frame(6, SETTINGS, 0, 0);
                settings.putShort((short) 0x3).putInt(100).flip();
                connection.write(settings);
                return connection;
            }

            @Override
            public void readable(SelectionKey key) throws IOException {
                read(key);
            }

            @Override
            public void failed(SelectionKey key) { // the client went away mid-write
                drop(key, (Connection) key.attachment());
            }
        });
    }

    int port() throws IOException {
        return server.port();
    }

    /** One HTTP/2 connection: frames are read by the selector thread and written by anyone under its lock. */
    private static final class Connection {
        final SocketChannel channel;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        boolean prefaceRead;
        final Map<Integer, ByteBuffer> bodies = new HashMap<>();
        volatile boolean broken;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        /** Writes whole frames; spins while the socket is full (the bench's connections rarely are). */
        synchronized void write(ByteBuffer frames) throws IOException {
            while (frames.hasRemaining()) {
                if (channel.write(frames) == 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /** One answer being streamed on a connection. */
    private static final class Stream {
        final Connection connection;
        final int streamId;
        final AnswerScript script;
        final long t0;
        final long period;
        final long[] start;
        volatile boolean reset;
        int next;
        long due;

        Stream(Connection connection, int streamId, AnswerScript script, long t0, long period, long[] start) {
            this.connection = connection;
            this.streamId = streamId;
            this.script = script;
            this.t0 = t0;
            this.period = period;
            this.start = start;
            this.due = t0;
        }
    }

    private final Map<Connection, Map<Integer, Stream>> open = new java.util.concurrent.ConcurrentHashMap<>();

    private static ByteBuffer frame(int length, int type, int flags, int streamId) {
        ByteBuffer frame = ByteBuffer.allocate(9 + length);
        frame.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length).put((byte) type)
                .put((byte) flags).putInt(streamId & 0x7fffffff);
        return frame;
    }

    private void read(SelectionKey key) throws IOException {
        Connection connection = (Connection) key.attachment();
        int read;
        try {
            read = connection.channel.read(connection.in);
        } catch (IOException e) {
            read = -1;
        }
        if (read < 0) {
            drop(key, connection);
            return;
        }
        ByteBuffer in = connection.in;
        in.flip();
        if (!connection.prefaceRead) {
            if (in.remaining() < PREFACE_LENGTH) {
                in.compact();
                return;
            }
            in.position(in.position() + PREFACE_LENGTH);
            connection.prefaceRead = true;
        }
        while (in.remaining() >= 9) {
            int length = (in.get(in.position()) & 0xff) << 16 | (in.get(in.position() + 1) & 0xff) << 8
                    | (in.get(in.position() + 2) & 0xff);
            if (in.remaining() < 9 + length) {
                break;
            }
            int type = in.get(in.position() + 3) & 0xff;
            int flags = in.get(in.position() + 4) & 0xff;
            int streamId = in.getInt(in.position() + 5) & 0x7fffffff;
            byte[] payload = new byte[length];
            in.position(in.position() + 9);
            in.get(payload);
            onFrame(connection, type, flags, streamId, payload);
        }
        in.compact();
        if (!in.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
            in.flip();
            bigger.put(in);
            connection.in = bigger;
        }
    }

    private void onFrame(Connection connection, int type, int flags, int streamId, byte[] payload) throws IOException {
        switch (type) {
            case SETTINGS -> {
                if ((flags & ACK) == 0) {
                    ByteBuffer ack = frame(0, SETTINGS, ACK, 0);
                    ack.flip();
                    connection.write(ack);
                }
            }
            case PING -> {
                if ((flags & ACK) == 0) {
                    ByteBuffer pong = frame(payload.length, PING, ACK, 0);
                    pong.put(payload).flip();
                    connection.write(pong);
                }
            }
            case HEADERS -> {
                if ((flags & END_STREAM) != 0) {
                    stats(connection, streamId); // the only request without a body
                } else {
                    connection.bodies.put(streamId, ByteBuffer.allocate(1024));
                }
            }
            case DATA -> {
                int offset = (flags & PADDED) != 0 ? 1 : 0;
                int padding = offset == 1 ? payload[0] & 0xff : 0;
                ByteBuffer body = connection.bodies.get(streamId);
                if (body != null) {
                    int length = payload.length - offset - padding;
                    if (body.remaining() < length) {
                        ByteBuffer bigger = ByteBuffer.allocate(body.capacity() * 2 + length);
                        body.flip();
                        body = bigger.put(body);
                        connection.bodies.put(streamId, body);
                    }
                    body.put(payload, offset, length);
                }
                if (payload.length > 0) { // give the connection's receive window back
                    ByteBuffer update = frame(4, WINDOW_UPDATE, 0, 0);
                    update.putInt(payload.length).flip();
                    connection.write(update);
                }
                if ((flags & END_STREAM) != 0 && body != null) {
                    connection.bodies.remove(streamId);
                    prompt(connection, streamId, new String(body.array(), 0, body.position(), StandardCharsets.UTF_8));
                }
            }
            case RST_STREAM -> {
                Stream stream = open.getOrDefault(connection, Map.of()).remove(streamId);
                if (stream != null) {
                    stream.reset = true;
                }
            }
            default -> { } // WINDOW_UPDATE, PRIORITY, GOAWAY, CONTINUATION: nothing to do for the bench
        }
    }

    /** {@code :status 200}, {@code content-type: <type>} as one HPACK block. */
    private static ByteBuffer responseHeaders(int streamId, String contentType, boolean endStream) {
        byte[] type = contentType.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer headers = frame(4 + type.length, HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId);
        headers.put((byte) 0x88).put((byte) 0x0f).put((byte) 0x10).put((byte) type.length).put(type).flip();
        return headers;
    }

    private void stats(Connection connection, int streamId) throws IOException {
        byte[] json = stats.json();
        connection.write(responseHeaders(streamId, "application/json", false));
        for (int at = 0; at < json.length || at == 0; at += MAX_FRAME) { // frames of at most the default 16 KiB
            int length = Math.min(MAX_FRAME, json.length - at);
            ByteBuffer data = frame(length, DATA, at + length >= json.length ? END_STREAM : 0, streamId);
            data.put(json, at, length).flip();
            connection.write(data);
        }
    }

    private static final int MAX_FRAME = 16_384;

    private void prompt(Connection connection, int streamId, String body) throws IOException {
        long t0 = System.nanoTime();
        Matcher m = PROMPT.matcher(body);
        if (!m.find()) {
            byte[] error = "{\"error\":{\"code\":400,\"message\":\"not a bench prompt\",\"status\":\"INVALID_ARGUMENT\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            ByteBuffer data = frame(error.length, DATA, END_STREAM, streamId);
            data.put(error).flip();
            connection.write(responseHeaders(streamId, "application/json", false));
            connection.write(data);
            return;
        }
        long id = Long.parseLong(m.group(1));
        Stream stream = new Stream(connection, streamId, AnswerScript.of(id, Integer.parseInt(m.group(2))), t0,
                Long.parseLong(m.group(3)) * 1_000_000L, stats.started(id, t0));
        open.get(connection).put(streamId, stream);
        connection.write(responseHeaders(streamId, "text/event-stream", false));
        pacers.add(id, stream);
    }

    private void drop(SelectionKey key, Connection connection) {
        key.cancel();
        connection.broken = true;
        Map<Integer, Stream> streams = open.remove(connection);
        if (streams != null) {
            streams.values().forEach(stream -> stream.reset = true);
        }
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // gone
        }
    }

    /**
     * One pacer's writer. Each due event becomes one DATA frame, written at once by default. With
     * {@code bench.h2.gatherMicros} set, a pacer passes over its due streams at most once per that many
     * microseconds and sends each connection's frames of the pass in one socket write, as a server multiplexing
     * many streams on a connection does under load. At 10,000 streams that halves the fake's CPU per event and
     * its lateness (section 5.13 of docs/BENCHMARKS.md), leaving the bot more of the two cores. It is not the
     * default because it moves when events arrive: at 1,000 streams a 10 ms gathering costs the bot's staleness
     * about 90 ms, as each reply's edits keep the phase of the deltas that started them and an event held back
     * a few ms then misses its edit by a whole interval. An event goes out at most the gathering after it was
     * due, and the staleness counts from when it was due.
     */
    private final class Gatherer implements DueQueue.Writer<Stream> {
        private static final int WRITE_AT = 32 * 1024;

        private final LeanGeminiServer.EventTemplate events = new LeanGeminiServer.EventTemplate();
        private final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
        private final Map<Connection, ByteBuffer> kept = new IdentityHashMap<>();

        @Override
        public long holdNanos() {
            return gatherNanos;
        }

        /** Writes (or keeps) the stream's due event as one DATA frame; true when more is to come. */
        @Override
        public boolean writeDue(Stream s, long now) {
            if (s.reset || s.connection.broken) {
                stats.broken();
                return false;
            }
            int i = s.next;
            boolean last = i == s.script.size() - 1;
            scratch.clear().position(9);
            events.eventInto(scratch, s.script.delta(i), last, i + 1);
            int length = scratch.position() - 9;
            scratch.put(0, (byte) (length >>> 16)).put(1, (byte) (length >>> 8)).put(2, (byte) length)
                    .put(3, (byte) DATA).put(4, (byte) (last ? END_STREAM : 0)).putInt(5, s.streamId).flip();
            if (gatherNanos == 0) {
                if (!send(s.connection, scratch)) {
                    stats.broken();
                    return false;
                }
            } else {
                keep(s.connection, scratch);
            }
            stats.wrote(s.t0 + i * s.period, now);
            if (i == 0) {
                s.start[1] = now;
            }
            s.next++;
            if (s.next >= s.script.size()) {
                open.getOrDefault(s.connection, Map.of()).remove(s.streamId);
                return false;
            }
            s.due = s.t0 + s.next * s.period;
            return true;
        }

        private void keep(Connection connection, ByteBuffer frame) {
            ByteBuffer buffer = kept.computeIfAbsent(connection, c -> ByteBuffer.allocate(WRITE_AT + scratch.capacity()));
            buffer.put(frame);
            if (buffer.position() >= WRITE_AT) {
                sendKept(connection, buffer);
            }
        }

        private static void sendKept(Connection connection, ByteBuffer buffer) {
            send(connection, buffer.flip());
            buffer.clear();
        }

        /** Sends every connection's kept frames; a connection that fails is marked broken, so its streams end. */
        @Override
        public void flush() {
            for (var entry : kept.entrySet()) {
                ByteBuffer buffer = entry.getValue();
                if (buffer.position() > 0) {
                    sendKept(entry.getKey(), buffer);
                }
            }
            kept.keySet().removeIf(connection -> connection.broken);
        }

        private static boolean send(Connection connection, ByteBuffer frames) {
            try {
                connection.write(frames);
                return true;
            } catch (IOException e) {
                connection.broken = true;
                return false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        pacers.close();
        server.close();
    }

    /** Child-process mode: see {@link FakeStats#serveUntilStdinCloses}. */
    static void serveUntilStdinCloses() throws Exception {
        LeanH2GeminiServer server = new LeanH2GeminiServer(16_384,
                Long.getLong("bench.h2.gatherMicros", 0L) * 1_000L);
        FakeStats.serveUntilStdinCloses(server, server.port());
    }
}
