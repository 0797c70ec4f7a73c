package dev.geminibot.core.engine;

import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.settings.ChannelSettings;

/** Applies a channel's settings to a request built from its conversation. */
final class ChannelRequests {
    private ChannelRequests() {
    }

    /**
     * The request with the channel's model and Google Search. A system prompt the channel set goes to the
     * model exactly as set: the context window's note about left-out turns is added only to the default.
     */
    static ChatRequest shape(ChatRequest built, ChannelSettings.InForce inForce) {
        ChatRequest shaped = built.with(inForce.modelOverride(), inForce.search().value());
        return inForce.systemPrompt().source() == ChannelSettings.Source.CHANNEL
                ? shaped.withSystemPrompt(inForce.systemPrompt().value())
                : shaped;
    }
}
