package dev.geminibot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.QueryStringParser;
import com.slack.api.bolt.util.SlackRequestParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's HTTP mode: the JDK's HTTP server receives the Events API, slash commands and interactions on
 * one path and passes each to Bolt's {@link App#run(Request)}, which verifies the signature (401 on a
 * bad one or a stale timestamp) and dispatches. One virtual thread per request; handlers ack at once.
 * Serving Bolt directly avoids {@code bolt-jetty}, whose newest release lags Bolt's.
 */
final class HttpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
    /** Slack's payloads are small; a larger body is not from Slack. */
    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private HttpEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code port} (0 picks a free one) and serves {@code app} on {@code path}. */
    static HttpEndpoint start(App app, int port, String path) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        HttpEndpoint endpoint = new HttpEndpoint(server);
        SlackRequestParser parser = new SlackRequestParser(app.config());
        server.createContext(path, exchange -> endpoint.handle(exchange, app, parser, path));
        server.setExecutor(endpoint.executor);
        server.start();
        return endpoint;
    }

    /** The port listened on. */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, App app, SlackRequestParser parser, String path) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path) || !"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            String body = readBody(exchange.getRequestBody());
            if (body == null) {
                send(exchange, 413, "text/plain", "too large");
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> queryString = query == null ? Map.of() : QueryStringParser.toMap(query);
            Request<?> request = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(exchange.getRequestURI().getPath())
                    .queryString(queryString)
                    .headers(new RequestHeaders(exchange.getRequestHeaders()))
                    .requestBody(body)
                    .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                    .build());
            if (request == null) {
                send(exchange, 400, "text/plain", "unsupported request");
                return;
            }
            Response response = app.run(request);
            response.getHeaders().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            send(exchange, response.getStatusCode(), response.getContentType(),
                    response.getBody() == null ? "" : response.getBody());
        } catch (Exception e) {
            log.error("Slack request failed: {}", e.toString());
            try {
                send(exchange, 500, "text/plain", "error");
            } catch (IOException | IllegalStateException alreadySent) {
                log.debug("could not send the error response", alreadySent);
            }
        }
    }

    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType == null ? "text/plain" : contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
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
}
