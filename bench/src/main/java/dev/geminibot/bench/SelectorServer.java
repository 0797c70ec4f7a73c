package dev.geminibot.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The lean fakes' listener and their one selector thread: accepts loopback connections (non-blocking,
 * {@code TCP_NODELAY}) and hands readable ones to the fake; a connection whose read fails is dropped and the
 * others are served on.
 */
final class SelectorServer implements AutoCloseable {

    /** What a fake does with its connections, on the selector thread. */
    interface Handler {
        /** A new connection: returns what its key carries (it may write to the connection first). */
        Object accepted(SocketChannel channel) throws IOException;

        void readable(SelectionKey key) throws IOException;

        /** Reading or answering {@code key}'s connection failed (the client went away): drop just that one. */
        void failed(SelectionKey key);

        /** After each round of ready connections. */
        default void afterRound() {
        }
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Handler handler;
    private volatile boolean closed;

    /** Listens on a free loopback port and starts the selector thread, named {@code name}. */
    SelectorServer(String name, int backlog, Handler handler) throws IOException {
        this.handler = handler;
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        listener.configureBlocking(false);
        selector = Selector.open();
        listener.register(selector, SelectionKey.OP_ACCEPT);
        Thread.ofPlatform().name(name).daemon().start(this::loop);
    }

    int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    /** Makes the selector thread look again (another thread changed what it should do). */
    void wakeup() {
        selector.wakeup();
    }

    private void loop() {
        try {
            while (!closed) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        SocketChannel channel = listener.accept();
                        if (channel != null) {
                            channel.configureBlocking(false);
                            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                            channel.register(selector, SelectionKey.OP_READ, handler.accepted(channel));
                        }
                    } else if (key.isReadable()) {
                        try {
                            handler.readable(key);
                        } catch (IOException gone) {
                            handler.failed(key);
                        }
                    }
                }
                handler.afterRound();
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                e.printStackTrace();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        selector.wakeup();
        listener.close();
        selector.close();
    }
}
