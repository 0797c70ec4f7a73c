package dev.geminibot.config;

/** Every setting of the bot, validated. Built by {@link ConfigLoader}; immutable. */
public record BotConfig(
        GeminiConfig gemini,
        StreamingConfig streaming,
        ContextConfig context,
        LimitsConfig limits,
        DiscordConfig discord,
        SlackConfig slack,
        OpsConfig ops) {

    /** Without operations settings: the listener and log format keep their defaults. */
    public BotConfig(GeminiConfig gemini, StreamingConfig streaming, ContextConfig context, LimitsConfig limits,
                     DiscordConfig discord, SlackConfig slack) {
        this(gemini, streaming, context, limits, discord, slack, OpsConfig.defaults());
    }

    public static BotConfig defaults() {
        return new BotConfig(GeminiConfig.defaults(), StreamingConfig.defaults(), ContextConfig.defaults(),
                LimitsConfig.defaults(), DiscordConfig.defaults(), SlackConfig.defaults(), OpsConfig.defaults());
    }

    public BotConfig withGemini(GeminiConfig gemini) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops);
    }

    public BotConfig withLimits(LimitsConfig limits) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops);
    }

    public BotConfig withOps(OpsConfig ops) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops);
    }
}
