package dev.geminibot.app.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The container's health command: {@code java -cp gemini-bot.jar dev.geminibot.app.ops.HealthProbe}. Asks
 * {@code /healthz} on this machine's operations port ({@code GEMINI_BOT_OPS_PORT}, default 8081) and exits 0
 * when it answers 200, else 1. Plain Java, so the runtime image needs no curl.
 */
public final class HealthProbe {
    private HealthProbe() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("GEMINI_BOT_OPS_PORT", "8081");
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/healthz";
        System.exit(probe(URI.create(url)) ? 0 : 1);
    }

    /** Whether {@code url} answers 200 within 3 s. */
    public static boolean probe(URI url) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
