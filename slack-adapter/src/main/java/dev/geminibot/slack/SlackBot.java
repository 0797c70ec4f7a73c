package dev.geminibot.slack;

import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.geminibot.config.BotConfig;
import dev.geminibot.config.Secret;
import dev.geminibot.config.SlackConfig;
import dev.geminibot.config.SlackMode;
import dev.geminibot.core.controls.Feedback;
import dev.geminibot.core.engine.ChatEngine;
import dev.geminibot.core.ops.Health;
import com.slack.api.util.http.SlackHttpClient;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.reply.SlidingWindowPacer;
import dev.geminibot.core.state.StoreRateWindow;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Slack adapter, running: a Bolt app receiving events, slash commands and Stop buttons in Socket
 * Mode or HTTP mode ({@link SlackConfig#effectiveMode()}), answering through the engine. Close it to
 * disconnect; answers already streaming are the engine's to finish (their Slack calls still go out), so
 * shut the engine down first when the whole bot stops.
 */
public final class SlackBot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlackBot.class);

    /**
     * Runs event handling and every Web API call of the sinks, one virtual thread each. It has no
     * lifecycle on purpose: answers still streaming when the bot is closed are the engine's to finish,
     * and their final edits must still find a thread to run on.
     */
    private static final ThreadFactory THREADS = Thread.ofVirtual().name("slack-", 0).factory();
    private static final Executor WORKERS = task -> THREADS.newThread(task).start();

    private final App app;
    private final HttpEndpoint http;
    private final SocketModeApp socketMode;
    private final SocketLiveness liveness;

    private SlackBot(App app, HttpEndpoint http, SocketModeApp socketMode, SocketLiveness liveness) {
        this.app = app;
        this.http = http;
        this.socketMode = socketMode;
        this.liveness = liveness;
    }

    /**
     * Connects to Slack with {@code config.slack()} and answers through {@code engine}, after registering
     * the Slack history loader ({@code conversations.replies}) and rate pacer with it. Blocks until the app
     * is listening (HTTP mode) or connected (Socket Mode); checks the bot token with {@code auth.test} first.
     * Answers in channel threads stream natively when {@code slack.nativeStreamingInChannels} is on too.
     *
     * @throws IllegalStateException when the configuration lacks the secrets of its mode, or Slack
     *                               refuses the token or the connection
     */
    public static SlackBot start(BotConfig botConfig, ChatEngine engine) {
        return start(botConfig, engine, botConfig.slack().nativeStreamingInChannels(), engine.feedback());
    }

    /** As {@link #start(BotConfig, ChatEngine)}, counting 👍/👎 votes in {@code feedback} instead of the engine's. */
    public static SlackBot start(BotConfig botConfig, ChatEngine engine, Feedback feedback) {
        return start(botConfig, engine, botConfig.slack().nativeStreamingInChannels(), feedback);
    }

    /**
     * As {@link #start(BotConfig, ChatEngine)}; with {@code nativeInChannelThreads} answers in channel
     * threads stream with {@code chat.startStream} too (when {@code slack.nativeStreaming} is on).
     */
    public static SlackBot start(BotConfig botConfig, ChatEngine engine, boolean nativeInChannelThreads) {
        return start(botConfig, engine, nativeInChannelThreads, engine.feedback());
    }

    /** The adapter with every option: native streaming in channel threads, and where votes are counted. */
    public static SlackBot start(BotConfig botConfig, ChatEngine engine, boolean nativeInChannelThreads,
                                 Feedback feedback) {
        SlackConfig config = botConfig.slack();
        Secret botToken = config.botToken().orElseThrow(() -> new IllegalStateException("SLACK_BOT_TOKEN is not set"));
        SlackMode mode = config.effectiveMode();
        com.slack.api.SlackConfig sdkConfig = new com.slack.api.SlackConfig();
        sdkConfig.setMethodsEndpointUrlPrefix(withSlash(config.apiBaseUrl().toString()));
        sdkConfig.getMethodsConfig().setStatsEnabled(false);
        SlackHttpClient httpClient = new SlackHttpClient(SlackHttpClient.buildOkHttpClient(sdkConfig).newBuilder()
                .addInterceptor(new RequestMeter(engine.meterRegistry())).build());
        httpClient.setConfig(sdkConfig);
        Slack slack = Slack.getInstance(sdkConfig, httpClient);
        App app = new App(AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(botToken.reveal())
                .signingSecret(mode == SlackMode.HTTP ? config.signingSecret()
                        .orElseThrow(() -> new IllegalStateException("SLACK_SIGNING_SECRET is not set")).reveal() : null)
                // Slack retries what is not acked: message_changed from our own edits, and others we ignore.
                .allEventsApiAutoAckEnabled(true)
                .subtypedMessageEventsAutoAckEnabled(true)
                .build());
        RepliesHistoryLoader history;
        SlackUserNames names;
        try {
            var auth = slack.methods(botToken.reveal()).authTest(r -> r);
            if (!auth.isOk()) {
                throw new IllegalStateException("Slack refused SLACK_BOT_TOKEN (auth.test: " + auth.getError() + ")");
            }
            String botUserId = auth.getUserId();
            log.info("Slack: bot user {} ({}) in team {} ({})", auth.getUser(), botUserId, auth.getTeam(),
                    auth.getTeamId());
            names = new SlackUserNames(slack.methods(botToken.reveal()));
            history = new RepliesHistoryLoader(slack.methods(botToken.reveal()), () -> botUserId, names);
        } catch (java.io.IOException | com.slack.api.methods.SlackApiException e) {
            throw new IllegalStateException("Slack auth.test failed: " + e.getMessage(), e);
        }
        // Instances sharing a store (Redis) share the workspace's chat.update budget too.
        engine.registerPlatform(SlackRouter.PLATFORM, history, engine.sharesState()
                ? SlidingWindowPacer.slack(Scheduler.system(), new StoreRateWindow(engine.state(), Duration.ofSeconds(60)))
                : SlidingWindowPacer.slack(Scheduler.system()));
        new SlackRouter(config, botConfig.streaming(), engine, slack.methods(botToken.reveal()), history, names, WORKERS,
                nativeInChannelThreads, feedback)
                .register(app);
        try {
            if (mode == SlackMode.HTTP) {
                app.start();
                HttpEndpoint http = HttpEndpoint.start(app, config.httpPort(), config.httpPath());
                log.info("Slack HTTP mode listening on port {} at {}", http.port(), config.httpPath());
                return new SlackBot(app, http, null, null);
            }
            String appToken = config.appToken()
                    .orElseThrow(() -> new IllegalStateException("SLACK_APP_TOKEN is not set")).reveal();
            SocketModeApp socketMode = new SocketModeApp(appToken, app, SocketModeClient.Backend.JavaWebSocket);
            socketMode.startAsync();
            // The client exists once started; it may still be connecting.
            SocketLiveness liveness = new SocketLiveness(socketMode.getClient());
            liveness.start();
            log.info("Slack Socket Mode started");
            return new SlackBot(app, null, socketMode, liveness);
        } catch (Exception e) {
            throw new IllegalStateException("Slack could not start: " + e.getMessage(), e);
        }
    }

    /** The HTTP mode port (useful when configured as 0), or -1 in Socket Mode. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /**
     * Ready in HTTP mode once the listener is bound and {@code auth.test} accepted the token (both happen
     * before {@link #start} returns); in Socket Mode while the WebSocket is open.
     */
    public Health health() {
        if (liveness != null) {
            return liveness.health();
        }
        return Health.up("HTTP mode listening on port " + http.port());
    }

    @Override
    public void close() {
        if (liveness != null) {
            liveness.close();
        }
        try {
            if (socketMode != null) {
                socketMode.close();
            }
            if (http != null) {
                http.close();
            }
            app.stop();
        } catch (Exception e) {
            log.warn("Slack did not stop cleanly: {}", e.toString());
        }
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }
}
