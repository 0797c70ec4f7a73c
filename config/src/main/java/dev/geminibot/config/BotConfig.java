package dev.geminibot.config;

/** Every setting of the bot, validated. Built by {@link ConfigLoader}; immutable. */
public record BotConfig(
        GeminiConfig gemini,
        StreamingConfig streaming,
        ContextConfig context,
        LimitsConfig limits,
        DiscordConfig discord,
        SlackConfig slack,
        OpsConfig ops,
        StateConfig state) {

    /** Without operations or state settings: their defaults (callers that predate them keep compiling). */
    public BotConfig(GeminiConfig gemini, StreamingConfig streaming, ContextConfig context, LimitsConfig limits,
                     DiscordConfig discord, SlackConfig slack) {
        this(gemini, streaming, context, limits, discord, slack, OpsConfig.defaults(), StateConfig.defaults());
    }

    /** Without state settings: the defaults. */
    public BotConfig(GeminiConfig gemini, StreamingConfig streaming, ContextConfig context, LimitsConfig limits,
                     DiscordConfig discord, SlackConfig slack, OpsConfig ops) {
        this(gemini, streaming, context, limits, discord, slack, ops, StateConfig.defaults());
    }

    public static BotConfig defaults() {
        return new BotConfig(GeminiConfig.defaults(), StreamingConfig.defaults(), ContextConfig.defaults(),
                LimitsConfig.defaults(), DiscordConfig.defaults(), SlackConfig.defaults(), OpsConfig.defaults(),
                StateConfig.defaults());
    }

    public BotConfig withGemini(GeminiConfig gemini) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops, state);
    }

    public BotConfig withLimits(LimitsConfig limits) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops, state);
    }

    public BotConfig withOps(OpsConfig ops) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops, state);
    }

    public BotConfig withState(StateConfig state) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, ops, state);
    }
}
