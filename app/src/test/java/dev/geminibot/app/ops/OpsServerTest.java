package dev.geminibot.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.ops.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener's answers for each path and method, and readiness while shutting down or when a check throws. */
class OpsServerTest {
    private final Readiness readiness = new Readiness();
    private final OpsServer ops = OpsServer.start("127.0.0.1", 0, readiness, Metrics.prometheus());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        ops.close();
        http.close();
    }

    @Test
    void readyzNamesEachComponentAndAThrowingCheckIsDownNotAnError() throws Exception {
        readiness.register("state", () -> Health.up("memory"));
        readiness.register("discord", () -> {
            throw new IllegalStateException("boom");
        });
        HttpResponse<String> ready = send("GET", "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"components\":{"
                + "\"discord\":{\"status\":\"DOWN\",\"detail\":\"check failed: IllegalStateException\"},"
                + "\"state\":{\"status\":\"UP\",\"detail\":\"memory\"}}}");

        readiness.register("discord", () -> Health.up("1 shard(s) connected"));
        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);
        readiness.stopping();
        HttpResponse<String> stopping = send("GET", "/readyz");
        assertThat(stopping.statusCode()).isEqualTo(503);
        assertThat(stopping.body()).contains("\"status\":\"DOWN\"", "\"detail\":\"shutting down\"");
        assertThat(send("GET", "/healthz").statusCode()).as("alive while shutting down").isEqualTo(200);
    }

    @Test
    void onlyGetAndHeadOnTheThreePathsEverythingElseIsRefused() throws Exception {
        assertThat(send("HEAD", "/healthz").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
        assertThat(send("GET", "/admin").statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = send("GET", "/metrics");
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.address().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
