package dev.geminibot.app;

import org.slf4j.LoggerFactory;

/**
 * Ctrl-C handling for the terminal commands. The JVM's default would end the process at once, losing
 * the final text of an answer; instead the command decides (stop the answer first, exit on a second
 * press).
 */
final class Interrupts {
    private Interrupts() {
    }

    /** Routes SIGINT to {@code handler} instead of ending the process. False where signals are unsupported. */
    @SuppressWarnings("sunapi") // sun.misc.Signal is the only way to catch SIGINT without ending the JVM.
    static boolean onInterrupt(Runnable handler) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> handler.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LoggerFactory.getLogger(Interrupts.class).debug("SIGINT cannot be handled here: {}", e.toString());
            return false;
        }
    }
}
