package dev.geminibot.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of a test (root logger, all levels) and fails the test if any line, or any
 * exception logged with it, contains one of the secrets. Register it as a field:
 * {@code @RegisterExtension final LogCapture logs = new LogCapture(FakeGemini.API_KEY);}
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
    private final List<String> secrets;
    private ListAppender<ILoggingEvent> appender;

    public LogCapture(String... secrets) {
        this.secrets = List.of(secrets);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        appender = new ListAppender<>();
        appender.start();
        root().addAppender(appender);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().detachAppender(appender);
        for (String line : lines()) {
            for (String secret : secrets) {
                if (line.contains(secret)) {
                    throw new AssertionError("a secret appeared in a log line: " + line.replace(secret, "<SECRET>"));
                }
            }
        }
    }

    /** Each captured event as "LEVEL logger message" plus the messages of its exception chain. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            StringBuilder line = new StringBuilder()
                    .append(event.getLevel()).append(' ').append(event.getLoggerName()).append(' ')
                    .append(event.getFormattedMessage());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The captured lines at WARN. */
    public List<String> warnings() {
        return lines().stream().filter(line -> line.startsWith("WARN ")).toList();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
