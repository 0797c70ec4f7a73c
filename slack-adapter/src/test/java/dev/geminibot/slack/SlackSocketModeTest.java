package dev.geminibot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.BotConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.model.ChatModels;
import dev.geminibot.core.testing.FakeGemini;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Bolt app in Socket Mode (Java-WebSocket backend): {@code apps.connections.open} on the fake
 * Web API hands out a local WebSocket that delivers envelopes and expects an ack for each.
 */
class SlackSocketModeTest {

    private final BlockingQueue<String> fromBot = new LinkedBlockingQueue<>();
    private final BlockingQueue<WebSocket> sockets = new LinkedBlockingQueue<>();
    private final List<WebSocket> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
    private FakeSlack slack;
    private FakeGemini gemini;
    private ChatEngine engine;
    private SlackBot bot;

    @BeforeEach
    void start() throws Exception {
        slack = new FakeSlack();
        slack.socketListener(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send("{\"type\":\"hello\",\"num_connections\":1,\"connection_info\":{\"app_id\":\"A1\"},"
                        + "\"debug_info\":{\"host\":\"fake\"}}");
                sockets.add(webSocket);
                opened.add(webSocket);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                fromBot.add(text);
            }
        });
        gemini = FakeGemini.start();
        SlackConfig config = new SlackConfig(Optional.of(Secret.of("xoxb-test-token")),
                Optional.of(Secret.of("xapp-test-token")), Optional.empty(), URI.create(slack.apiBase()),
                Optional.empty(), 0, "/slack/events", true, true, List.of(), List.of());
        assertThat(config.effectiveMode()).isEqualTo(SlackMode.SOCKET);
        BotConfig defaults = BotConfig.defaults();
        BotConfig botConfig = new BotConfig(gemini.config(), defaults.streaming(), defaults.context(),
                defaults.limits(), defaults.discord(), config);
        engine = new ChatEngine(ChatModels.fromConfig(gemini.config()), botConfig);
        bot = SlackBot.start(botConfig, engine);
    }

    @AfterEach
    void stop() {
        engine.close();
        bot.close();
        gemini.close();
        // MockWebServer waits for open WebSockets before it shuts down.
        opened.forEach(socket -> socket.close(1000, "test over"));
        slack.close();
    }

    @Test
    void envelopesAreAckedAndARetriedEventIsAnsweredOnce() throws Exception {
        WebSocket socket = sockets.poll(10, TimeUnit.SECONDS);
        assertThat(socket).as("Socket Mode connection").isNotNull();
        assertThat(slack.calls("apps.connections.open")).isNotEmpty();

        gemini.enqueueStream("Hi ", "socket.").enqueueStream("Over ", "and out.");
        String event = SlackHttpModeTest.mention("Ev1", "C1", "1700000000.000100", null, "<@UBOT> hi socket");
        socket.send(envelope("env-1", "events_api", event, 0));
        assertThat(fromBot.poll(10, TimeUnit.SECONDS)).contains("\"envelope_id\":\"env-1\"");
        assertThat(slack.awaitFinal().get("text")).isEqualTo("Hi socket.");

        socket.send(envelope("env-2", "events_api", event, 1));
        assertThat(fromBot.poll(10, TimeUnit.SECONDS)).contains("\"envelope_id\":\"env-2\"");

        String ask = """
                {"token":"x","team_id":"T1","team_domain":"t","channel_id":"C2","channel_name":"general","user_id":"U1",
                 "user_name":"alice","command":"/ask","text":"over the socket","api_app_id":"A1",
                 "response_url":"%s","trigger_id":"1.2.3"}""".formatted(slack.url("/respond/1"));
        socket.send(envelope("env-3", "slash_commands", ask, 0));
        assertThat(fromBot.poll(10, TimeUnit.SECONDS)).contains("\"envelope_id\":\"env-3\"");
        FakeSlack.Call last = slack.await(c -> c.ok() && c.method().equals("chat.update")
                && "[]".equals(c.get("blocks")) && "C2".equals(c.get("channel")));
        assertThat(last.get("text")).isEqualTo("Over and out.");

        // The retried envelope was acked but not answered again.
        assertThat(gemini.requestCount()).isEqualTo(2);
        assertThat(gemini.takeRequest().getBody().utf8()).contains("[Alice] hi socket");
        assertThat(gemini.takeRequest().getBody().utf8()).contains("[alice] over the socket");
        assertThat(slack.calls("chat.postMessage")).extracting(c -> c.get("channel")).containsExactly("C1", "C2");
    }

    private static String envelope(String id, String type, String payload, int retryAttempt) {
        return "{\"envelope_id\":\"" + id + "\",\"type\":\"" + type + "\",\"accepts_response_payload\":"
                + type.equals("slash_commands") + ",\"retry_attempt\":" + retryAttempt
                + ",\"retry_reason\":\"" + (retryAttempt > 0 ? "timeout" : "") + "\",\"payload\":" + payload + "}";
    }
}
