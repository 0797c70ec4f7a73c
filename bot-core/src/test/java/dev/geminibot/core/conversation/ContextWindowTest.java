package dev.geminibot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContextWindowTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static List<Turn> exchanges(int count, int chars) {
        List<Turn> turns = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            turns.add(Turn.user("u", "ann", ("q" + i + " ").repeat(chars).substring(0, chars), T));
            turns.add(Turn.model(("a" + i + " ").repeat(chars).substring(0, chars), T));
        }
        return turns;
    }

    @Test
    void keepsTheNewestTurnsThatFitTheCharacterBudget() {
        ContextWindow window = new ContextWindow(500, 100);
        ContextWindow.Context context = window.build("sys", exchanges(10, 100), Turn.user("u", "ann", "now?", T), false);

        List<ChatMessage> messages = context.request().messages();
        // 4 turns of 100 + the 4-char question fit in 500; a fifth would not.
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0).text()).startsWith("q8");
        assertThat(messages.get(4).text()).isEqualTo("now?");
        assertThat(context.droppedTurns()).isEqualTo(16);
        assertThat(context.request().systemPrompt())
                .isEqualTo("sys\n\n(The 16 oldest messages of this conversation no longer fit and are left out.)");
    }

    @Test
    void neverStartsWithAModelTurnAndHonoursTheTurnLimit() {
        ContextWindow window = new ContextWindow(100_000, 3);
        ContextWindow.Context context = window.build("", exchanges(5, 10), Turn.user("u", "ann", "now?", T), false);

        // The newest 3 turns are model, user, model: the leading model turn goes.
        assertThat(context.request().messages()).extracting(ChatMessage::role)
                .containsExactly(Role.USER, Role.MODEL, Role.USER);
        assertThat(context.droppedTurns()).isEqualTo(8);
    }

    @Test
    void namesAuthorsInSharedChannels() {
        ContextWindow window = new ContextWindow(1000, 10);
        ContextWindow.Context context = window.build("", List.of(), Turn.user("u", "ann", "hi", T), true);

        assertThat(context.request().messages().get(0).text()).isEqualTo("[ann] hi");
        assertThat(context.request().systemPrompt()).isEmpty();
    }
}
