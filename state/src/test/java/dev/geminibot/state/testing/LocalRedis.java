package dev.geminibot.state.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
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

    /** A plain client, for tests that look at the keys or wait for subscribers. */
    public Jedis client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort("127.0.0.1", port), config.build());
    }

    /** Waits until {@code count} clients subscribe to {@code channel} (subscriptions start asynchronously). */
    public void awaitSubscribers(String channel, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Jedis jedis = client()) {
            while (System.nanoTime() < deadline) {
                Map<String, Long> subscribers = jedis.pubsubNumSub(channel);
                if (subscribers.getOrDefault(channel, 0L) >= count) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError(count + " subscribers to " + channel + " expected");
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
