package dev.geminibot.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.config.GeminiConfig;
import dev.geminibot.core.settings.SettingsCommand.Setting;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.MemoryStateStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The three commands' texts and effects, as both platforms show them. */
class SettingsCommandTest {
    private static final ChannelRef GENERAL = new ChannelRef("test", "w", "general");
    private static final ChannelRef RANDOM = new ChannelRef("test", "w", "random");

    private final GeminiConfig gemini = GeminiConfig.defaults().withSystemPrompt("Default prompt.")
            .withAllowedModels(List.of("gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash-lite"));
    private final ChannelSettings settings = new ChannelSettings(new MemoryStateStore(), gemini, false);
    private final SettingsCommand command = new SettingsCommand(settings);
    private final AtomicInteger asked = new AtomicInteger();

    private String run(Setting setting, String text, boolean mayChange) {
        return command.run(SettingsCommand.parse(setting, text), GENERAL, () -> {
            asked.incrementAndGet();
            return mayChange;
        }, "admins");
    }

    @Test
    void readingShowsTheValueAndWhereItComesFromWithoutAskingForPermission() {
        assertThat(run(Setting.MODEL, "", false)).isEqualTo("Model here: `gemini-2.5-flash` (the default). "
                + "Allowed: `gemini-2.5-flash`, `gemini-2.5-pro`, `gemini-2.0-flash-lite`.");
        assertThat(run(Setting.SYSTEM, " ", false)).isEqualTo("System prompt here (the default):\n> Default prompt.");
        assertThat(run(Setting.SEARCH, "", false)).isEqualTo("Google Search here: off (the default).");
        assertThat(asked).hasValue(0);
    }

    @Test
    void settingChangesThisChannelOnlyAndShowsAsSetForThisChannel() {
        assertThat(run(Setting.MODEL, "gemini-2.5-pro", true)).contains("`gemini-2.5-pro`");
        assertThat(run(Setting.SYSTEM, "Answer in French.", true)).contains("> Answer in French.");
        assertThat(run(Setting.SEARCH, "on", true)).endsWith(": on.");

        var inForce = settings.inForce(GENERAL);
        assertThat(inForce.model()).isEqualTo(new ChannelSettings.Value<>("gemini-2.5-pro", ChannelSettings.Source.CHANNEL));
        assertThat(inForce.systemPrompt().value()).isEqualTo("Answer in French.");
        assertThat(inForce.search().value()).isTrue();
        assertThat(run(Setting.MODEL, "", false)).startsWith("Model here: `gemini-2.5-pro` (set for this channel).");
        assertThat(settings.inForce(RANDOM).model().source()).isEqualTo(ChannelSettings.Source.DEFAULT);

        assertThat(run(Setting.SYSTEM, "reset", true)).isEqualTo("System prompt reset to the default:\n> Default prompt.");
        assertThat(settings.inForce(GENERAL).systemPrompt())
                .isEqualTo(new ChannelSettings.Value<>("Default prompt.", ChannelSettings.Source.DEFAULT));
        assertThat(run(Setting.SEARCH, "off", true)).endsWith(": off.");
        assertThat(settings.inForce(GENERAL).search().value()).isFalse();
    }

    @Test
    void aModelOutsideTheAllowedListIsRefusedNamingEveryAllowedModel() {
        String reply = run(Setting.MODEL, "gpt-4o", true);

        assertThat(reply).contains("gpt-4o", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash-lite");
        assertThat(settings.inForce(GENERAL).model().value()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void withoutPermissionNothingChangesAndTheReplySaysWhoMay() {
        String reply = run(Setting.SYSTEM, "Talk like a pirate.", false);

        assertThat(reply).startsWith("Only admins can change the system prompt here.");
        assertThat(settings.inForce(GENERAL).systemPrompt().value()).isEqualTo("Default prompt.");
        assertThat(run(Setting.SEARCH, "maybe", true)).isEqualTo("Use `/search on` or `/search off`.");
    }
}
