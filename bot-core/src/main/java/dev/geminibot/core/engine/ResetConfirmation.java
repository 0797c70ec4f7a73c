package dev.geminibot.core.engine;

/**
 * What a reset tells the user: what was forgotten, counted in remembered messages (questions and answers).
 * Never stored as a turn: adapters send it as an ephemeral reply or a response_url message.
 */
public final class ResetConfirmation {
    private ResetConfirmation() {
    }

    /** @param what e.g. "this thread's conversation" */
    public static String of(int forgotten, String what) {
        if (forgotten == 0) {
            return "Done: I had nothing to forget in " + what + "; the next message starts fresh.";
        }
        return "Done: I forgot " + what + " (" + forgotten + (forgotten == 1 ? " message" : " messages")
                + "); the next message starts fresh, and I won't read back what came before.";
    }
}
