package dev.geminibot.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The terminal commands keep the screen for the conversation: only warnings, unless LOG_LEVEL asks. */
final class Logging {
    private Logging() {
    }

    static void quietUnlessAsked(Map<String, String> env) {
        if (env.get("LOG_LEVEL") == null && LoggerFactory.getLogger("dev.geminibot") instanceof Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }
}
