package dev.geminibot.app;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The training run behind the start-up cache that {@code package} writes ({@code app/target/gemini-bot.aot},
 * JDK 25's AOT cache): one {@code ask} against a Gemini stand-in on loopback, so that the classes
 * {@code ask} and {@code chat} load (picocli, the configuration, logging, OkHttp, the SSE reader, Jackson)
 * are recorded, linked and profiled ahead of time. It runs only at build time, never in the bot.
 *
 * <p>{@code java -XX:AOTCacheOutput=app/target/gemini-bot.aot -cp app/target/gemini-bot.jar dev.geminibot.app.AotTraining}
 */
public final class AotTraining {
    private static final String ANSWER = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hello\"}],"
            + "\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 3,"
            + "\"candidatesTokenCount\": 1,\"totalTokenCount\": 4},\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n"
            + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" there.\"}],\"role\": \"model\"},"
            + "\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 3,"
            + "\"candidatesTokenCount\": 2,\"totalTokenCount\": 5},\"modelVersion\": \"gemini-2.5-flash\"}\r\n\r\n";

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            Map<String, String> env = Map.of(
                    "GEMINI_API_KEY", "aot-training-not-a-key",
                    "GEMINI_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = Main.execute(env, new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                    new PrintWriter(err), "ask", "Say hello");
            if (status != 0 || !out.toString().contains("Hello there.")) {
                throw new IllegalStateException("the training ask failed (exit " + status + "): " + err);
            }
        } finally {
            server.stop(0);
        }
    }
}
