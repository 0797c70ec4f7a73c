package dev.geminibot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class TransportRunTest {
    private static Buffer events(int count) {
        Buffer body = new Buffer();
        for (int i = 0; i < count; i++) {
            body.writeUtf8(": keep-alive\n").writeUtf8("data: {\"i\":" + i + "}\n\n");
        }
        return body.writeUtf8("data: [tail]\n\n");
    }

    @Test
    void thePacedReaderReadsEachTicksEventsAndLeavesTheRestOfTheBody() throws Exception {
        Buffer body = events(25);
        AtomicLong counted = new AtomicLong();
        long started = System.nanoTime();

        TransportRun.readPaced(body, 25, 10, TimeUnit.MILLISECONDS.toNanos(10), counted);

        assertThat(counted).hasValue(25);
        // Three ticks of 10 ms (the last one for the last five events), each read 20 ms after its tick.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(body.readUtf8()).as("the last event's blank line and the tail").isEqualTo("\ndata: [tail]\n\n");
    }

    @Test
    void aBodyShorterThanAnnouncedEndsTheReadWithWhatCame() throws Exception {
        Buffer body = events(7);
        AtomicLong counted = new AtomicLong();

        TransportRun.readPaced(body, 25, 10, TimeUnit.MILLISECONDS.toNanos(10), counted);

        assertThat(counted).hasValue(8); // seven events and the tail's data line
        assertThat(body.exhausted()).isTrue();
    }
}
