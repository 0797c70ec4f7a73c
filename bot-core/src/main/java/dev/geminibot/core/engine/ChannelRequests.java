package dev.geminibot.core.engine;

import dev.geminibot.config.GeminiTool;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.settings.ChannelSettings;
import java.util.EnumSet;
import java.util.Set;

/** Applies a channel's settings to a request built from its conversation. */
final class ChannelRequests {
    private ChannelRequests() {
    }

    /**
     * The request with the channel's model, and Google Search added to or taken from its tools. A system
     * prompt the channel set goes to the model exactly as set: the context window's note about left-out
     * turns is added only to the default.
     */
    static ChatRequest shape(ChatRequest built, ChannelSettings.InForce inForce) {
        Set<GeminiTool> tools = built.tools().isEmpty() ? EnumSet.noneOf(GeminiTool.class) : EnumSet.copyOf(built.tools());
        if (inForce.search().value()) {
            tools.add(GeminiTool.GOOGLE_SEARCH);
        } else {
            tools.remove(GeminiTool.GOOGLE_SEARCH);
        }
        ChatRequest shaped = built.withTools(tools).withModel(inForce.modelOverride());
        return inForce.systemPrompt().source() == ChannelSettings.Source.CHANNEL
                ? shaped.withSystemPrompt(inForce.systemPrompt().value())
                : shaped;
    }
}
