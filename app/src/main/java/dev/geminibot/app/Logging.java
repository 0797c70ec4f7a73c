package dev.geminibot.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.geminibot.config.LogFormat;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/** Where and how log records go: text on stderr (logback.xml), or JSON lines on stdout for {@code run}. */
final class Logging {
    /** The appender logback.xml declares. */
    static final String TEXT_APPENDER = "STDERR";

    private Logging() {
    }

    /** The terminal commands keep the screen for the conversation: only warnings, unless LOG_LEVEL asks. */
    static void quietUnlessAsked(Map<String, String> env) {
        if (env.get("LOG_LEVEL") == null && LoggerFactory.getLogger("dev.geminibot") instanceof Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }

    /**
     * With {@link LogFormat#JSON}, replaces the text appender on stderr by one JSON object per line on stdout:
     * logstash-logback-encoder's fields ({@code @timestamp}, {@code level}, {@code logger_name},
     * {@code message} formatted, and the MDC's {@code answer_id}, {@code platform}, {@code conversation}
     * at the top level). Nothing is written to stderr by the logging from then on.
     */
    static void use(LogFormat format) {
        if (format != LogFormat.JSON || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("JSON") != null) {
            return;
        }
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        // The logback context's properties (host name and the like) add nothing per line.
        encoder.setIncludeContext(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setContext(context);
        json.setName("JSON");
        json.setTarget("System.out");
        json.setEncoder(encoder);
        json.start();
        root.addAppender(json);
        root.detachAppender(TEXT_APPENDER);
    }
}
