package dev.geminibot.core.conversation;

import dev.geminibot.core.model.ChatMessage;
import dev.geminibot.core.model.ChatRequest;
import dev.geminibot.core.model.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Chooses which turns go with a request: the newest ones that fit the character and turn budgets,
 * oldest first, never starting with a model turn (Gemini expects a conversation to open with the user).
 */
public final class ContextWindow {
    private final int maxChars;
    private final int maxTurns;

    public ContextWindow(int maxChars, int maxTurns) {
        this.maxChars = maxChars;
        this.maxTurns = maxTurns;
    }

    /** A request and how many remembered turns did not fit. */
    public record Context(ChatRequest request, int droppedTurns) {
    }

    /**
     * Builds the request for {@code question} after {@code history}.
     *
     * @param namedAuthors prefix user turns with their author's name (channels with several people)
     */
    public Context build(String systemPrompt, List<Turn> history, Turn question, boolean namedAuthors) {
        String asked = text(question, namedAuthors);
        int budget = maxChars - asked.length();
        Deque<ChatMessage> kept = new ArrayDeque<>();
        for (int index = history.size() - 1; index >= 0 && kept.size() < maxTurns; index--) {
            Turn turn = history.get(index);
            String text = text(turn, namedAuthors);
            if (text.length() > budget) {
                break;
            }
            budget -= text.length();
            kept.addFirst(new ChatMessage(turn.role(), text));
        }
        while (!kept.isEmpty() && kept.peekFirst().role() == Role.MODEL) {
            kept.removeFirst();
        }
        List<ChatMessage> messages = new ArrayList<>(kept);
        messages.add(ChatMessage.user(asked));
        int dropped = history.size() - kept.size();
        return new Context(new ChatRequest(withNote(systemPrompt, dropped), messages), dropped);
    }

    /** Tells the model that the conversation is longer than what it sees, so it can say so when asked. */
    private static String withNote(String systemPrompt, int dropped) {
        if (dropped == 0) {
            return systemPrompt;
        }
        String note = "(The " + dropped + " oldest messages of this conversation no longer fit and are left out.)";
        return systemPrompt == null || systemPrompt.isBlank() ? note : systemPrompt + "\n\n" + note;
    }

    private static String text(Turn turn, boolean namedAuthors) {
        if (namedAuthors && turn.role() == Role.USER && !turn.authorName().isEmpty()) {
            return "[" + turn.authorName() + "] " + turn.text();
        }
        return turn.text();
    }
}
