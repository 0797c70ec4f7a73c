package dev.geminibot.config;

/** Every setting of the bot, validated. Built by {@link ConfigLoader}; immutable. */
public record BotConfig(
        GeminiConfig gemini,
        StreamingConfig streaming,
        ContextConfig context,
        LimitsConfig limits,
        DiscordConfig discord,
        SlackConfig slack,
        StateConfig state) {

    /** Without a state section: the defaults (callers that predate it keep compiling). */
    public BotConfig(GeminiConfig gemini, StreamingConfig streaming, ContextConfig context, LimitsConfig limits,
                     DiscordConfig discord, SlackConfig slack) {
        this(gemini, streaming, context, limits, discord, slack, StateConfig.defaults());
    }

    public static BotConfig defaults() {
        return new BotConfig(GeminiConfig.defaults(), StreamingConfig.defaults(), ContextConfig.defaults(),
                LimitsConfig.defaults(), DiscordConfig.defaults(), SlackConfig.defaults(), StateConfig.defaults());
    }

    public BotConfig withGemini(GeminiConfig gemini) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, state);
    }

    public BotConfig withState(StateConfig state) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack, state);
    }
}
