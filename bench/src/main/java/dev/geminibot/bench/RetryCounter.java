package dev.geminibot.bench;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the model client's retry warnings instead of printing thousands of them under load; the scale
 * table reports the count. Wired in logback.xml to the stream's logger.
 */
public final class RetryCounter extends AppenderBase<ILoggingEvent> {
    private static final AtomicLong RETRIES = new AtomicLong();

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getFormattedMessage().contains("retry")) {
            RETRIES.incrementAndGet();
        }
    }

    static long count() {
        return RETRIES.get();
    }
}
