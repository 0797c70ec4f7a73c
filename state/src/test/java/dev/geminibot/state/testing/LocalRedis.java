package dev.geminibot.state.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (6.2, the binary shipped in the embedded-redis jar) on a free local port,
 * optionally with a password. It can be stopped and started again on the same port, to play a lost and
 * recovered Redis.
 */
public final class LocalRedis implements AutoCloseable {
    private final int port;
    private final String password;
    private RedisServer server;

    private LocalRedis(int port, String password) {
        this.port = port;
        this.password = password;
    }

    public static LocalRedis start() {
        return start(null);
    }

    public static LocalRedis start(String password) {
        LocalRedis redis = new LocalRedis(freePort(), password);
        redis.up();
        return redis;
    }

    /** A port the kernel just handed out (redis-server cannot be told to pick one itself). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .settingIf(password != null, "requirepass " + password)
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server on port " + port, e);
        }
    }

    /** Stops the server (its data goes with it, like a restarted Redis without persistence). */
    public synchronized void down() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = null;
    }

    public int port() {
        return port;
    }

    /** {@code redis://[:password@]127.0.0.1:port}, as REDIS_URL would hold it. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        down();
    }
}
