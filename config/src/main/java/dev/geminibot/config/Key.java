package dev.geminibot.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every non-secret setting: its YAML path and the kind of value it takes. This table is the one
 * source of truth for key names; {@link ConfigKeys}, the YAML reader, the environment reader and the
 * suggestions for misspelt keys all derive from it. Secrets are listed apart, in {@link SecretKey},
 * because they may only come from the environment.
 */
enum Key {
    GEMINI_BASE_URL("gemini.baseUrl", ValueType.HTTP_URL, "GEMINI_BASE_URL"),
    GEMINI_MODEL("gemini.model", ValueType.NON_BLANK_TEXT, "GEMINI_MODEL"),
    GEMINI_WIRE_FORMAT("gemini.wireFormat", ValueType.WIRE_FORMAT),
    GEMINI_TEMPERATURE("gemini.temperature", ValueType.TEMPERATURE),
    GEMINI_MAX_OUTPUT_TOKENS("gemini.maxOutputTokens", ValueType.POSITIVE_INT),
    GEMINI_THINKING_BUDGET("gemini.thinkingBudget", ValueType.THINKING_BUDGET),
    GEMINI_INCLUDE_THOUGHTS("gemini.includeThoughts", ValueType.BOOLEAN),
    GEMINI_SYSTEM_PROMPT("gemini.systemPrompt", ValueType.TEXT),
    GEMINI_CONNECT_TIMEOUT("gemini.connectTimeout", ValueType.POSITIVE_DURATION),
    GEMINI_IDLE_TIMEOUT("gemini.idleTimeout", ValueType.POSITIVE_DURATION),
    GEMINI_TOTAL_TIMEOUT("gemini.totalTimeout", ValueType.POSITIVE_DURATION),
    GEMINI_MAX_RETRIES("gemini.maxRetries", ValueType.NON_NEGATIVE_INT),
    GEMINI_RETRY_BASE_DELAY("gemini.retryBaseDelay", ValueType.POSITIVE_DURATION),
    GEMINI_RETRY_BUDGET("gemini.retryBudget", ValueType.POSITIVE_DURATION),
    GEMINI_TOOLS("gemini.tools", ValueType.GEMINI_TOOLS),
    GEMINI_MAX_ATTACHMENT_BYTES("gemini.maxAttachmentBytes", ValueType.BYTE_SIZE),
    GEMINI_ALLOWED_MODELS("gemini.allowedModels", ValueType.NAMES),

    STREAMING_EDIT_INTERVAL("streaming.editInterval", ValueType.POSITIVE_DURATION),
    STREAMING_CURSOR("streaming.cursor", ValueType.TEXT),
    STREAMING_THINKING_TEXT("streaming.thinkingText", ValueType.TEXT),
    STREAMING_MODE("streaming.mode", ValueType.STREAMING_MODE),

    CONTEXT_MAX_CHARS("context.maxChars", ValueType.POSITIVE_INT),
    CONTEXT_MAX_TURNS("context.maxTurns", ValueType.POSITIVE_INT),
    CONTEXT_IDLE_EXPIRY("context.idleExpiry", ValueType.POSITIVE_DURATION),
    CONTEXT_CACHE_MAX_CHARS("context.cacheMaxChars", ValueType.POSITIVE_LONG),
    CONTEXT_REBUILD_FROM_PLATFORM("context.rebuildFromPlatform", ValueType.BOOLEAN),

    LIMITS_MAX_CONCURRENT_ANSWERS("limits.maxConcurrentAnswers", ValueType.POSITIVE_INT),
    LIMITS_USER_REQUESTS_PER_MINUTE("limits.userRequestsPerMinute", ValueType.POSITIVE_INT),
    LIMITS_MAX_PROMPT_CHARS("limits.maxPromptChars", ValueType.POSITIVE_INT),
    // 0 is meaningful here: refuse, rather than queue, while an answer is being written.
    LIMITS_MAX_QUEUED_PER_CONVERSATION("limits.maxQueuedPerConversation", ValueType.NON_NEGATIVE_INT),

    DISCORD_REST_BASE_URL("discord.restBaseUrl", ValueType.HTTP_BASE_URL),
    DISCORD_GATEWAY_URL("discord.gatewayUrl", ValueType.GATEWAY_URL),
    DISCORD_GUILD_IDS("discord.guildIds", ValueType.DISCORD_IDS),
    DISCORD_REPLY_IN_THREAD("discord.replyInThread", ValueType.BOOLEAN),
    DISCORD_ALLOWED_GUILDS("discord.allowedGuilds", ValueType.DISCORD_IDS),
    DISCORD_ALLOWED_CHANNELS("discord.allowedChannels", ValueType.DISCORD_IDS),
    DISCORD_ALLOWED_ROLES("discord.allowedRoles", ValueType.DISCORD_IDS),
    DISCORD_ALLOWED_USERS("discord.allowedUsers", ValueType.DISCORD_IDS),
    DISCORD_SHARDS("discord.shards", ValueType.NON_NEGATIVE_INT),
    DISCORD_SHARD_RANGE("discord.shardRange", ValueType.SHARD_RANGE),

    SLACK_API_BASE_URL("slack.apiBaseUrl", ValueType.HTTP_BASE_URL),
    SLACK_MODE("slack.mode", ValueType.SLACK_MODE),
    SLACK_HTTP_PORT("slack.http.port", ValueType.PORT),
    SLACK_HTTP_PATH("slack.http.path", ValueType.URL_PATH),
    SLACK_REPLY_IN_THREAD("slack.replyInThread", ValueType.BOOLEAN),
    SLACK_NATIVE_STREAMING("slack.nativeStreaming", ValueType.BOOLEAN),
    SLACK_NATIVE_STREAMING_IN_CHANNELS("slack.nativeStreamingInChannels", ValueType.BOOLEAN),
    SLACK_ALLOWED_CHANNELS("slack.allowedChannels", ValueType.SLACK_IDS),
    SLACK_ALLOWED_USERS("slack.allowedUsers", ValueType.SLACK_IDS),
    SLACK_ADMIN_USERS("slack.adminUsers", ValueType.SLACK_IDS),
    SLACK_SUGGESTED_PROMPTS("slack.suggestedPrompts", ValueType.NAMES),

    OPS_PORT("ops.port", ValueType.PORT_OR_OFF),
    OPS_HOST("ops.host", ValueType.NON_BLANK_TEXT),
    LOGGING_FORMAT("logging.format", ValueType.LOG_FORMAT),

    STATE_BACKEND("state.backend", ValueType.STATE_BACKEND),
    STATE_PATH("state.path", ValueType.NON_BLANK_TEXT),
    STATE_KEY_PREFIX("state.keyPrefix", ValueType.NON_BLANK_TEXT);

    /** Prefix of the environment variable that overrides any key. */
    static final String ENV_PREFIX = "GEMINI_BOT_";

    private static final List<Key> ALL = List.of(values());
    private static final Set<String> SECTIONS = sectionsOf(ALL.stream().map(Key::path).toList());

    private final String path;
    private final ValueType type;
    private final Optional<String> shortEnvVar;

    Key(String path, ValueType type) {
        this(path, type, null);
    }

    Key(String path, ValueType type, String shortEnvVar) {
        this.path = path;
        this.type = type;
        this.shortEnvVar = Optional.ofNullable(shortEnvVar);
    }

    String path() {
        return path;
    }

    ValueType type() {
        return type;
    }

    /** The general override variable, e.g. {@code GEMINI_BOT_STREAMING_EDIT_INTERVAL}. */
    String envVar() {
        return envVarFor(path);
    }

    /** A shorter, documented alias such as {@code GEMINI_MODEL}, for the few keys that have one. */
    Optional<String> shortEnvVar() {
        return shortEnvVar;
    }

    static Optional<Key> byPath(String path) {
        return ALL.stream().filter(k -> k.path.equals(path)).findFirst();
    }

    static List<Key> all() {
        return ALL;
    }

    /** Whether {@code path} names a section (a YAML map) rather than a value, e.g. {@code slack.http}. */
    static boolean isSection(String path) {
        return SECTIONS.contains(path);
    }

    static Set<String> sections() {
        return SECTIONS;
    }

    /** {@code slack.http.port} -> {@code GEMINI_BOT_SLACK_HTTP_PORT}: dots and camelCase humps become {@code _}. */
    static String envVarFor(String path) {
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        char previous = '.';
        for (char c : path.toCharArray()) {
            if (c == '.') {
                name.append('_');
            } else {
                if (Character.isUpperCase(c) && Character.isLetterOrDigit(previous)) {
                    name.append('_');
                }
                name.append(Character.toUpperCase(c));
            }
            previous = c;
        }
        return name.toString();
    }

    private static Set<String> sectionsOf(List<String> paths) {
        Set<String> sections = new LinkedHashSet<>();
        for (String path : paths) {
            int dot = path.indexOf('.');
            while (dot > 0) {
                sections.add(path.substring(0, dot));
                dot = path.indexOf('.', dot + 1);
            }
        }
        return Set.copyOf(sections);
    }

    @Override
    public String toString() {
        return path;
    }

    static List<String> paths() {
        return ALL.stream().map(Key::path).toList();
    }
}
