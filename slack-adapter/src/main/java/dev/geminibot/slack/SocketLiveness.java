package dev.geminibot.slack;

import com.slack.api.socket_mode.SocketModeClient;
import dev.geminibot.core.ops.Health;
import java.time.Duration;

/**
 * Whether the Socket Mode WebSocket is open, for {@code /readyz}. A close marks it down at once and any
 * message from Slack marks it up; every {@link #CHECK_EVERY} (every second while down) a ping through the
 * SDK confirms it, so a socket
 * that died silently shows DOWN within about 13 s (the ping waits up to 3 s for its pong) while the SDK
 * keeps reconnecting.
 */
final class SocketLiveness implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);

    private final SocketModeClient client;
    private final Thread checker;
    private volatile boolean open;
    private volatile boolean closed;

    SocketLiveness(SocketModeClient client) {
        this.client = client;
        client.addWebSocketCloseListener((code, reason) -> open = false);
        client.addWebSocketMessageListener(message -> open = true);
        this.checker = Thread.ofVirtual().name("slack-socket-liveness").unstarted(this::checkForever);
    }

    /** Starts the periodic check; until the first message or check the socket counts as not open. */
    void start() {
        checker.start();
    }

    Health health() {
        return open ? Health.up("Socket Mode connected") : Health.down("Socket Mode disconnected; reconnecting");
    }

    private void checkForever() {
        while (!closed) {
            try {
                // While down, look every second: the hello may have come before the listener was added.
                Thread.sleep(open ? CHECK_EVERY : Duration.ofSeconds(1));
            } catch (InterruptedException stop) {
                return;
            }
            if (!closed) {
                open = client.verifyConnection();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        checker.interrupt();
    }
}
