package dev.geminibot.core.settings;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StateUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's model, system prompt and Google Search switch ({@code /model}, {@code /system}, {@code /search}),
 * kept in the {@link StateStore} so they survive restarts and every instance sees them. A thread uses its
 * channel's settings: callers pass the channel ({@link ChannelRef}), never the thread. Whatever a channel did
 * not set comes from the configuration. Thread-safe; every verb may block on the store.
 */
public final class ChannelSettings {
    private static final Logger log = LoggerFactory.getLogger(ChannelSettings.class);

    static final String MODEL = "model";
    static final String SYSTEM_PROMPT = "systemPrompt";
    static final String SEARCH = "search";

    private final StateStore store;
    private final GeminiConfig gemini;
    private final boolean searchByDefault;

    /**
     * @param searchByDefault whether answers use Google Search where no channel said otherwise
     *                        ({@code gemini.tools} containing {@code googleSearch})
     */
    public ChannelSettings(StateStore store, GeminiConfig gemini, boolean searchByDefault) {
        this.store = Objects.requireNonNull(store, "store");
        this.gemini = Objects.requireNonNull(gemini, "gemini");
        this.searchByDefault = searchByDefault;
    }

    /** Where a value in force comes from. */
    public enum Source {
        /** Set for this channel with a command. */
        CHANNEL,
        /** The configuration's, nothing set for the channel. */
        DEFAULT
    }

    /** One setting's value in force and where it comes from. */
    public record Value<T>(T value, Source source) {
    }

    /** What an answer in a channel uses. */
    public record InForce(Value<String> model, Value<String> systemPrompt, Value<Boolean> search) {
        /** The model to name in a request: empty when it is the configured one. */
        public String modelOverride() {
            return model.source() == Source.CHANNEL ? model.value() : "";
        }
    }

    /**
     * The settings in force in {@code channel}. When the store cannot be reached the configuration's
     * values stand in (logged), so the answer still comes.
     */
    public InForce inForce(ChannelRef channel) {
        Map<String, String> set;
        try {
            set = store.settings(channel);
        } catch (StateUnavailableException e) {
            log.warn("channel settings of {} unavailable, using the defaults: {}", channel, e.getMessage());
            set = Map.of();
        }
        String model = set.get(MODEL);
        String prompt = set.get(SYSTEM_PROMPT);
        String search = set.get(SEARCH);
        return new InForce(
                model != null ? new Value<>(model, Source.CHANNEL) : new Value<>(gemini.model(), Source.DEFAULT),
                prompt != null ? new Value<>(prompt, Source.CHANNEL)
                        : new Value<>(gemini.systemPrompt(), Source.DEFAULT),
                search != null ? new Value<>(Boolean.parseBoolean(search), Source.CHANNEL)
                        : new Value<>(searchByDefault, Source.DEFAULT));
    }

    /** The models {@code /model} may pick, as configured ({@code gemini.allowedModels}). */
    public List<String> allowedModels() {
        return gemini.allowedModels();
    }

    /** The configured system prompt, which {@code /system reset} restores. */
    public String defaultSystemPrompt() {
        return gemini.systemPrompt();
    }

    /**
     * Sets the channel's model; the caller checked it is one of {@link #allowedModels()}. Choosing the
     * configured model stores nothing: the channel follows the configuration again.
     */
    public void setModel(ChannelRef channel, String model) {
        if (model.equals(gemini.model())) {
            store.removeSetting(channel, MODEL);
        } else {
            store.putSetting(channel, MODEL, model);
        }
    }

    /** Sets the channel's system prompt to exactly {@code prompt}. */
    public void setSystemPrompt(ChannelRef channel, String prompt) {
        store.putSetting(channel, SYSTEM_PROMPT, prompt);
    }

    /** Forgets the channel's system prompt: {@code gemini.systemPrompt} applies again. */
    public void resetSystemPrompt(ChannelRef channel) {
        store.removeSetting(channel, SYSTEM_PROMPT);
    }

    /** Turns Google Search on or off for the channel. */
    public void setSearch(ChannelRef channel, boolean on) {
        store.putSetting(channel, SEARCH, Boolean.toString(on));
    }
}
