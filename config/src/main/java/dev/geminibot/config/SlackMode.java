package dev.geminibot.config;

/** How Slack delivers events to the bot. */
public enum SlackMode {
    /** A WebSocket the bot opens (needs {@code SLACK_APP_TOKEN}); no public URL. */
    SOCKET,
    /** Slack POSTs signed requests to the bot's HTTP listener (needs {@code SLACK_SIGNING_SECRET}). */
    HTTP
}
