package dev.geminibot.core.model.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets that tell the thread reading them when a read is about to wait for the network.
 *
 * <p>Why: over HTTP/1.1 a paced model stream ({@link SseModelStream}) wants to hold its next read as soon as
 * it has read everything that arrived, rather than find out by a read that blocks until the next event (one
 * wake-up of the thread per event, the cost this avoids). OkHttp's blocking API cannot tell whether a read
 * would block, but the socket can: a read that reaches the socket found every buffer above it empty, and
 * {@link InputStream#available()} says whether the kernel holds bytes. When it holds none, the hook the
 * reading thread set (only a paced stream's body read sets one) runs before the read. Over HTTP/2 OkHttp's
 * own connection reader reads the socket, without a hook: nothing changes there. A socket that TLS wraps
 * is read by the TLS layer on the same thread, so the hook works there too.
 */
final class NetworkWaitHook {

    /** What the reading thread does before a read that would wait; may throw to fail that read. */
    @FunctionalInterface
    interface BeforeWait {
        void run() throws IOException;
    }

    private static final ThreadLocal<BeforeWait> CURRENT = new ThreadLocal<>();

    private NetworkWaitHook() {
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

    private static final class HookedSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new HookedInput(super.getInputStream());
            }
            return in;
        }
    }

    private static final class HookedInput extends FilterInputStream {
        HookedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            BeforeWait hook = CURRENT.get();
            if (hook != null && length > 0 && in.available() == 0) {
                hook.run();
            }
            return in.read(buffer, offset, length);
        }
    }
}
