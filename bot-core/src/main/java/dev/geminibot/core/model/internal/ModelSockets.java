package dev.geminibot.core.model.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.SocketFactory;

/**
 * The model client's plain sockets, which spare the threads that read them a wake-up per event.
 *
 * <p>Over HTTP/1.1 a paced model stream ({@link SseModelStream}) wants to hold its next read as soon as it has
 * read everything that arrived, rather than find out by a read that blocks until the next event. OkHttp's
 * blocking API cannot tell whether a read would block, but the socket can: a read that reaches the socket found
 * every buffer above it empty, and {@link InputStream#available()} says whether the kernel holds bytes. When it
 * holds none, the hook the reading thread set (only a paced stream's body read sets one) runs before the read.
 * A socket that TLS wraps is read by the TLS layer on the same thread, so the hook works there too.
 *
 * <p>Over HTTP/2 OkHttp's own reader thread per connection reads the socket: there the reads are gathered
 * ({@link HookedInput}), and the network interceptor {@link #intercept} tells which connections speak HTTP/2.
 */
final class ModelSockets {

    /** What the reading thread does before a read that would wait; may throw to fail that read. */
    @FunctionalInterface
    interface BeforeWait {
        void run() throws IOException;
    }

    private static final ThreadLocal<BeforeWait> CURRENT = new ThreadLocal<>();
    /** How long OkHttp's HTTP/2 reader lets frames gather after data came (see {@link HookedInput}). */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private ModelSockets() {
    }

    /** Sets {@code hook} for this thread's socket reads, until {@link #clear()}. */
    static void set(BeforeWait hook) {
        CURRENT.set(hook);
    }

    static void clear() {
        CURRENT.remove();
    }

    /**
     * Wraps {@code factory} when it is the JDK's default (the only one whose sockets can be made here without
     * changing how they connect); any other factory is kept as it is.
     */
    static SocketFactory wrap(SocketFactory factory) {
        return factory == SocketFactory.getDefault() ? new Factory() : factory;
    }

    private static final class Factory extends SocketFactory {
        @Override
        public Socket createSocket() {
            return new HookedSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket socket = new HookedSocket();
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        }
    }

    /** Where the network interceptor leaves the input of the connection a call got (see {@link #intercept}). */
    static final class Slot {
        volatile HookedInput input;
    }

    /**
     * The network interceptor of the model's client: a call that carries a {@link Slot} and got an HTTP/2
     * connection over one of our sockets turns on that connection's read gathering and learns its input; the
     * connection does not gather while the call waits for its response headers.
     */
    static okhttp3.Response intercept(okhttp3.Interceptor.Chain chain) throws IOException {
        Slot slot = chain.request().tag(Slot.class);
        okhttp3.Connection connection = chain.connection();
        okhttp3.Protocol protocol = connection == null ? null : connection.protocol();
        HookedInput input = slot == null
                || protocol != okhttp3.Protocol.HTTP_2 && protocol != okhttp3.Protocol.H2_PRIOR_KNOWLEDGE
                ? null : of(connection.socket());
        if (input == null) {
            return chain.proceed(chain.request());
        }
        input.gatherReads();
        slot.input = input;
        input.readStarts();
        try {
            return chain.proceed(chain.request());
        } finally {
            input.readDone();
        }
    }

    /** Connected hooked sockets by their two ends, so a TLS socket layered over one finds it (see {@link #of}). */
    private static final Map<String, HookedInput> CONNECTED = new ConcurrentHashMap<>();

    private static String key(int localPort, SocketAddress remote) {
        return localPort + "|" + remote;
    }

    /**
     * The hooked socket under {@code socket} (itself, or the plain socket a TLS socket is layered over, which
     * reports the same two ends), or null when it is not one of ours.
     */
    static HookedInput of(Socket socket) {
        if (socket == null || !socket.isConnected()) {
            return null;
        }
        return CONNECTED.get(key(socket.getLocalPort(), socket.getRemoteSocketAddress()));
    }

    private static final class HookedSocket extends Socket {
        private HookedInput in;
        private String key;

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            super.connect(endpoint, timeout);
            key = key(getLocalPort(), getRemoteSocketAddress());
            CONNECTED.put(key, (HookedInput) getInputStream());
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new HookedInput(super.getInputStream(), GATHER_NANOS);
            }
            return in;
        }

        @Override
        public synchronized void close() throws IOException {
            if (key != null) {
                CONNECTED.remove(key, in);
            }
            super.close();
        }
    }

    /**
     * One connection's input. On a virtual thread with a hook set, the hook runs before a read that would wait.
     * On a platform thread (OkHttp's HTTP/2 reader, one per connection, reading the frames of up to 100 streams)
     * reads are gathered once {@link #gatherReads()} was called: when data came less than {@link #GATHER_NANOS}
     * (20 ms) ago and none waits, the reader lets the rest of that window pass and then reads what came meanwhile at
     * once, instead of waking for every frame. Never while a stream's reader waits for data (the first text,
     * a stream read as it comes), and a paced reader woken for its edit ends the window at once and waits for
     * the frames to be delivered ({@link #freshen}), so no edit misses what had arrived.
     */
    static final class HookedInput extends FilterInputStream {
        private final long gatherNanos;
        private long lastDataAt;
        private volatile boolean gather;
        /** Stream readers blocked in (or entering) a read of this connection's streams: no gathering then. */
        private final AtomicInteger waiting = new AtomicInteger();
        /** Platform-thread reads started: a reader that started another has delivered the frames it had read. */
        private volatile long readsStarted;
        private volatile Thread gatherer;
        private volatile boolean gatherEnded;
        /** The platform reader is in a socket read (blocked when nothing had arrived). */
        private volatile boolean inSocketRead;
        private final ConcurrentLinkedQueue<Thread> freshening = new ConcurrentLinkedQueue<>();

        HookedInput(InputStream in, long gatherNanos) {
            super(in);
            this.gatherNanos = gatherNanos;
            this.lastDataAt = System.nanoTime() - gatherNanos;
        }

        /** From now on a platform thread's reads are gathered (the connection speaks HTTP/2). */
        void gatherReads() {
            gather = true;
        }

        /** A stream reader of this connection starts a read: no gathering until {@link #readDone()}. */
        void readStarts() {
            if (waiting.getAndIncrement() == 0) {
                endGather();
            }
        }

        void readDone() {
            waiting.decrementAndGet();
        }

        /**
         * Ends a gathering window at once and waits (at most {@code maxNanos}) until the connection's reader has
         * delivered what it read, so the caller's stream holds every frame that arrived before this call. Not
         * when the reader is blocked in a socket read: then nothing is waiting to be read.
         */
        void freshen(long maxNanos) {
            if (!gather) {
                return;
            }
            Thread self = Thread.currentThread();
            long seen = readsStarted;
            freshening.add(self); // before looking: a read that starts from now on unparks this thread
            try {
                if (inSocketRead && gatherer == null) {
                    return;
                }
                endGather();
                awaitRead(seen, maxNanos);
            } finally {
                freshening.remove(self);
            }
        }

        private void awaitRead(long seen, long maxNanos) {
            long deadline = System.nanoTime() + maxNanos;
            while (readsStarted == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            }
        }

        private void endGather() {
            gatherEnded = true;
            Thread thread = gatherer;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            BeforeWait hook = CURRENT.get();
            if (hook != null) {
                if (length > 0 && in.available() == 0) {
                    hook.run();
                }
                return in.read(buffer, offset, length);
            }
            if (!gather || Thread.currentThread().isVirtual()) {
                return in.read(buffer, offset, length);
            }
            readsStarted++;
            for (Thread waiter; (waiter = freshening.poll()) != null; ) {
                LockSupport.unpark(waiter); // the frames of the last read are delivered
            }
            gatherWindow();
            inSocketRead = true;
            int read;
            try {
                read = in.read(buffer, offset, length);
            } finally {
                inSocketRead = false;
            }
            if (read > 0) {
                lastDataAt = System.nanoTime();
            }
            return read;
        }

        private void gatherWindow() throws IOException {
            long deadline = lastDataAt + gatherNanos;
            if (deadline - System.nanoTime() <= 0 || waiting.get() > 0 || in.available() > 0) {
                return;
            }
            gatherEnded = false;
            gatherer = Thread.currentThread();
            try {
                while (!gatherEnded && waiting.get() == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                gatherer = null;
            }
        }
    }
}
