package dev.geminibot.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The Slack adapter. On when {@code SLACK_BOT_TOKEN} is set together with {@code SLACK_APP_TOKEN}
 * (Socket Mode) or {@code SLACK_SIGNING_SECRET} (HTTP mode).
 *
 * @param botToken        {@code SLACK_BOT_TOKEN} ({@code xoxb-…})
 * @param appToken        {@code SLACK_APP_TOKEN} ({@code xapp-…}), Socket Mode
 * @param signingSecret   {@code SLACK_SIGNING_SECRET}, HTTP mode
 * @param apiBaseUrl      Web API base; Socket Mode's {@code apps.connections.open} goes there too
 * @param mode            explicit mode; empty picks socket when an app token is set, else http
 * @param httpPort        HTTP mode listener port
 * @param httpPath        HTTP mode path for events, commands and interactions
 * @param replyInThread   answer a channel mention in a thread under it
 * @param nativeStreaming use {@code chat.startStream}/{@code appendStream}/{@code stopStream} where Slack offers them
 * @param allowedChannels when non-empty, only these channels are served
 * @param allowedUsers    when non-empty, only these users are served
 * @param adminUsers      who may change channel settings; empty means the workspace's admins ({@code users.info})
 * @param suggestedPrompts prompts offered when someone opens the assistant panel
 * @param nativeStreamingInChannels with {@code nativeStreaming}, stream natively in channel threads too; off by
 *                        default because a native stream carries no Stop button (chat.startStream takes no
 *                        blocks) and restarts at every closed code block
 */
public record SlackConfig(
        Optional<Secret> botToken,
        Optional<Secret> appToken,
        Optional<Secret> signingSecret,
        URI apiBaseUrl,
        Optional<SlackMode> mode,
        int httpPort,
        String httpPath,
        boolean replyInThread,
        boolean nativeStreaming,
        List<String> allowedChannels,
        List<String> allowedUsers,
        List<String> adminUsers,
        List<String> suggestedPrompts,
        boolean nativeStreamingInChannels) {

    /** What the assistant panel suggests when no {@code slack.suggestedPrompts} are configured. */
    public static final List<String> DEFAULT_SUGGESTED_PROMPTS = List.of(
            "Explain a concept to me simply",
            "Help me write a clear message",
            "Review a piece of code for bugs");

    public SlackConfig {
        adminUsers = adminUsers == null ? List.of() : List.copyOf(adminUsers);
        suggestedPrompts = suggestedPrompts == null || suggestedPrompts.isEmpty()
                ? DEFAULT_SUGGESTED_PROMPTS : List.copyOf(suggestedPrompts);
    }

    /** Without native streaming in channel threads. */
    public SlackConfig(Optional<Secret> botToken, Optional<Secret> appToken, Optional<Secret> signingSecret,
                       URI apiBaseUrl, Optional<SlackMode> mode, int httpPort, String httpPath, boolean replyInThread,
                       boolean nativeStreaming, List<String> allowedChannels, List<String> allowedUsers,
                       List<String> adminUsers, List<String> suggestedPrompts) {
        this(botToken, appToken, signingSecret, apiBaseUrl, mode, httpPort, httpPath, replyInThread, nativeStreaming,
                allowedChannels, allowedUsers, adminUsers, suggestedPrompts, false);
    }

    /** Without admins or suggested prompts: workspace admins may change settings; the default prompts. */
    public SlackConfig(Optional<Secret> botToken, Optional<Secret> appToken, Optional<Secret> signingSecret,
                       URI apiBaseUrl, Optional<SlackMode> mode, int httpPort, String httpPath, boolean replyInThread,
                       boolean nativeStreaming, List<String> allowedChannels, List<String> allowedUsers) {
        this(botToken, appToken, signingSecret, apiBaseUrl, mode, httpPort, httpPath, replyInThread, nativeStreaming,
                allowedChannels, allowedUsers, List.of(), List.of());
    }

    public static final URI DEFAULT_API_BASE_URL = URI.create("https://slack.com/api/");

    public static SlackConfig defaults() {
        return new SlackConfig(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_API_BASE_URL,
                Optional.empty(), 3000, "/slack/events", true, true, List.of(), List.of());
    }

    public boolean enabled() {
        return botToken.isPresent() && (appToken.isPresent() || signingSecret.isPresent());
    }

    /** The mode in force: the explicit one, else socket when an app token is set, else http. */
    public SlackMode effectiveMode() {
        return mode.orElse(appToken.isPresent() ? SlackMode.SOCKET : SlackMode.HTTP);
    }

    /** The same settings with {@code slack.adminUsers}. */
    public SlackConfig withAdminUsers(List<String> adminUsers) {
        return new SlackConfig(botToken, appToken, signingSecret, apiBaseUrl, mode, httpPort, httpPath, replyInThread,
                nativeStreaming, allowedChannels, allowedUsers, adminUsers, suggestedPrompts, nativeStreamingInChannels);
    }

    /** The same settings with {@code slack.nativeStreamingInChannels}. */
    public SlackConfig withNativeStreamingInChannels(boolean nativeStreamingInChannels) {
        return new SlackConfig(botToken, appToken, signingSecret, apiBaseUrl, mode, httpPort, httpPath, replyInThread,
                nativeStreaming, allowedChannels, allowedUsers, adminUsers, suggestedPrompts, nativeStreamingInChannels);
    }
}
