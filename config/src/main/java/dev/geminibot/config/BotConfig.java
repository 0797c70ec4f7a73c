package dev.geminibot.config;

/** Every setting of the bot, validated. Built by {@link ConfigLoader}; immutable. */
public record BotConfig(
        GeminiConfig gemini,
        StreamingConfig streaming,
        ContextConfig context,
        LimitsConfig limits,
        DiscordConfig discord,
        SlackConfig slack) {

    public static BotConfig defaults() {
        return new BotConfig(GeminiConfig.defaults(), StreamingConfig.defaults(), ContextConfig.defaults(),
                LimitsConfig.defaults(), DiscordConfig.defaults(), SlackConfig.defaults());
    }

    public BotConfig withGemini(GeminiConfig gemini) {
        return new BotConfig(gemini, streaming, context, limits, discord, slack);
    }
}
