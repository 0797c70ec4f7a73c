package dev.geminibot.config;

import static dev.geminibot.config.Key.*;

import java.util.Map;
import java.util.Optional;

/** Builds the records from what was configured, taking each missing value from the records' {@code defaults()}. */
final class ConfigAssembler {
    private ConfigAssembler() {
    }

    static BotConfig assemble(Settings s, Map<SecretKey, Secret> secrets) {
        BotConfig d = BotConfig.defaults();
        GeminiConfig g = d.gemini();
        StreamingConfig st = d.streaming();
        ContextConfig c = d.context();
        LimitsConfig l = d.limits();
        DiscordConfig dc = d.discord();
        SlackConfig sl = d.slack();
        return new BotConfig(
                new GeminiConfig(
                        secret(secrets, SecretKey.GEMINI_API_KEY),
                        s.get(GEMINI_BASE_URL, g.baseUrl()),
                        s.get(GEMINI_MODEL, g.model()),
                        s.get(GEMINI_WIRE_FORMAT, g.wireFormat()),
                        s.optional(GEMINI_TEMPERATURE, g.temperature()),
                        s.optional(GEMINI_MAX_OUTPUT_TOKENS, g.maxOutputTokens()),
                        s.optional(GEMINI_THINKING_BUDGET, g.thinkingBudget()),
                        s.get(GEMINI_INCLUDE_THOUGHTS, g.includeThoughts()),
                        s.get(GEMINI_SYSTEM_PROMPT, g.systemPrompt()),
                        s.get(GEMINI_CONNECT_TIMEOUT, g.connectTimeout()),
                        s.get(GEMINI_IDLE_TIMEOUT, g.idleTimeout()),
                        s.get(GEMINI_TOTAL_TIMEOUT, g.totalTimeout()),
                        s.get(GEMINI_MAX_RETRIES, g.maxRetries()),
                        s.get(GEMINI_RETRY_BASE_DELAY, g.retryBaseDelay()),
                        s.get(GEMINI_RETRY_BUDGET, g.retryBudget()),
                        tools(s.get(GEMINI_TOOLS, null), g.tools()),
                        s.get(GEMINI_MAX_ATTACHMENT_BYTES, g.maxAttachmentBytes()),
                        s.get(GEMINI_ALLOWED_MODELS, java.util.List.<String>of())),
                new StreamingConfig(
                        s.optional(STREAMING_EDIT_INTERVAL, st.editInterval()),
                        s.get(STREAMING_CURSOR, st.cursor()),
                        s.get(STREAMING_THINKING_TEXT, st.thinkingText()),
                        s.get(STREAMING_MODE, st.mode())),
                new ContextConfig(
                        s.get(CONTEXT_MAX_CHARS, c.maxChars()),
                        s.get(CONTEXT_MAX_TURNS, c.maxTurns()),
                        s.get(CONTEXT_IDLE_EXPIRY, c.idleExpiry()),
                        s.get(CONTEXT_CACHE_MAX_CHARS, c.cacheMaxChars()),
                        s.get(CONTEXT_REBUILD_FROM_PLATFORM, c.rebuildFromPlatform())),
                new LimitsConfig(
                        s.get(LIMITS_MAX_CONCURRENT_ANSWERS, l.maxConcurrentAnswers()),
                        s.get(LIMITS_USER_REQUESTS_PER_MINUTE, l.userRequestsPerMinute()),
                        s.get(LIMITS_MAX_PROMPT_CHARS, l.maxPromptChars()),
                        s.get(LIMITS_MAX_QUEUED_PER_CONVERSATION, l.maxQueuedPerConversation())),
                new DiscordConfig(
                        secret(secrets, SecretKey.DISCORD_TOKEN),
                        s.get(DISCORD_REST_BASE_URL, dc.restBaseUrl()),
                        s.optional(DISCORD_GATEWAY_URL, dc.gatewayUrl()),
                        s.get(DISCORD_GUILD_IDS, dc.guildIds()),
                        s.get(DISCORD_REPLY_IN_THREAD, dc.replyInThread()),
                        s.get(DISCORD_ALLOWED_GUILDS, dc.allowedGuilds()),
                        s.get(DISCORD_ALLOWED_CHANNELS, dc.allowedChannels()),
                        s.get(DISCORD_ALLOWED_ROLES, dc.allowedRoles()),
                        s.get(DISCORD_ALLOWED_USERS, dc.allowedUsers()),
                        s.get(DISCORD_SHARDS, dc.shards()),
                        s.optional(DISCORD_SHARD_RANGE, dc.shardRange())),
                new SlackConfig(
                        secret(secrets, SecretKey.SLACK_BOT_TOKEN),
                        secret(secrets, SecretKey.SLACK_APP_TOKEN),
                        secret(secrets, SecretKey.SLACK_SIGNING_SECRET),
                        s.get(SLACK_API_BASE_URL, sl.apiBaseUrl()),
                        s.optional(SLACK_MODE, sl.mode()),
                        s.get(SLACK_HTTP_PORT, sl.httpPort()),
                        s.get(SLACK_HTTP_PATH, sl.httpPath()),
                        s.get(SLACK_REPLY_IN_THREAD, sl.replyInThread()),
                        s.get(SLACK_NATIVE_STREAMING, sl.nativeStreaming()),
                        s.get(SLACK_ALLOWED_CHANNELS, sl.allowedChannels()),
                        s.get(SLACK_ALLOWED_USERS, sl.allowedUsers()),
                        s.get(SLACK_ADMIN_USERS, sl.adminUsers()),
                        s.get(SLACK_SUGGESTED_PROMPTS, sl.suggestedPrompts()),
                        s.get(SLACK_NATIVE_STREAMING_IN_CHANNELS, sl.nativeStreamingInChannels())),
                new OpsConfig(
                        s.get(OPS_PORT, d.ops().port()),
                        s.get(OPS_HOST, d.ops().host()),
                        s.get(LOGGING_FORMAT, d.ops().logFormat())),
                new StateConfig(
                        s.optional(STATE_BACKEND, d.state().backend()),
                        java.nio.file.Path.of(s.get(STATE_PATH, d.state().path().toString())),
                        s.get(STATE_KEY_PREFIX, d.state().keyPrefix()),
                        secret(secrets, SecretKey.REDIS_URL)));
    }

    /** A list key parses to a {@code List<Object>} of {@link GeminiTool}s. */
    private static java.util.Set<GeminiTool> tools(java.util.List<?> configured, java.util.Set<GeminiTool> fallback) {
        if (configured == null) {
            return fallback;
        }
        java.util.Set<GeminiTool> tools = java.util.EnumSet.noneOf(GeminiTool.class);
        configured.forEach(t -> tools.add((GeminiTool) t));
        return tools;
    }

    private static Optional<Secret> secret(Map<SecretKey, Secret> secrets, SecretKey key) {
        return Optional.ofNullable(secrets.get(key));
    }
}
