package dev.geminibot.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.geminibot.core.ops.Health;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations listener of {@code run} (DESIGN section 11), on the JDK's HTTP server:
 * <ul>
 *   <li>{@code GET /healthz}: 200 {@code {"status":"UP"}} while the process can answer at all;</li>
 *   <li>{@code GET /readyz}: 200 when every component is UP, else 503, with each component's status and detail;</li>
 *   <li>{@code GET /metrics}: the Prometheus text format.</li>
 * </ul>
 * It starts before the platforms connect, so probes get an answer (DOWN) while they are still connecting.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Listens on {@code host:port} (port 0 picks a free one: tests).
     *
     * @throws PortInUseException when the port is taken
     */
    public static OpsServer start(String host, int port, Readiness readiness, PrometheusMeterRegistry metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (BindException taken) {
            throw new PortInUseException(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        OpsServer ops = new OpsServer(server);
        server.createContext("/", exchange -> ops.handle(exchange, readiness, metrics));
        server.setExecutor(ops.executor);
        server.start();
        return ops;
    }

    /** The address listened on, e.g. {@code 0.0.0.0:8081}. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange, Readiness readiness, PrometheusMeterRegistry metrics) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean get = "GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod());
            if (!get && (path.equals("/healthz") || path.equals("/readyz") || path.equals("/metrics"))) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            switch (path) {
                case "/healthz" -> send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
                case "/readyz" -> readyz(exchange, readiness);
                case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: try /healthz, /readyz, /metrics\n");
            }
        } catch (IOException | RuntimeException e) {
            log.debug("ops request failed: {}", e.toString());
        }
    }

    private static void readyz(HttpExchange exchange, Readiness readiness) throws IOException {
        Map<String, Health> components = readiness.components();
        boolean ready = readiness.ready(components);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", ready ? "UP" : "DOWN");
        if (readiness.isStopping()) {
            body.put("detail", "shutting down");
        }
        ObjectNode parts = body.putObject("components");
        components.forEach((name, health) -> parts.putObject(name)
                .put("status", health.status().name())
                .put("detail", health.detail()));
        send(exchange, ready ? 200 : 503, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The operations port is taken by another process. */
    public static final class PortInUseException extends RuntimeException {
        public PortInUseException(String host, int port) {
            super("ops.port " + port + " is already in use on " + host + ": set ops.port (GEMINI_BOT_OPS_PORT) to a free"
                    + " port, or to 0 to run without the operations listener");
        }
    }
}
