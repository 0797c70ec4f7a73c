package dev.geminibot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The reply's loop: tasks run in order, one at a time, and log with the answer's MDC on any thread. */
class SerialLoopTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aTaskRunOnAnotherThreadLogsWithTheMdcOfTheThreadThatMadeTheLoop() throws Exception {
        MDC.put("answer_id", "a1");
        SerialLoop loop = new SerialLoop();
        MDC.clear();
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        List<Map<String, String>> after = new CopyOnWriteArrayList<>();

        Thread timer = Thread.ofPlatform().start(() -> {
            MDC.put("thread", "timer");
            loop.execute(() -> seen.add(copy()));
            after.add(copy());
        });
        timer.join();

        assertThat(seen).containsExactly(Map.of("answer_id", "a1"));
        assertThat(after).as("the timer thread's own MDC comes back").containsExactly(Map.of("thread", "timer"));
    }

    @Test
    void aThreadWithoutAnMdcIsLeftWithout() throws Exception {
        MDC.put("answer_id", "a2");
        SerialLoop loop = new SerialLoop();
        List<Map<String, String>> after = new CopyOnWriteArrayList<>();

        Thread callback = Thread.ofPlatform().start(() -> {
            loop.execute(() -> { });
            after.add(copy());
        });
        callback.join();

        assertThat(after).containsExactly(Map.of());
    }

    @Test
    void tasksSubmittedWhileOneRunsRunAfterItInOrder() {
        SerialLoop loop = new SerialLoop();
        List<String> order = new CopyOnWriteArrayList<>();
        loop.execute(() -> {
            order.add("first starts");
            loop.execute(() -> order.add("second"));
            order.add("first ends");
        });
        assertThat(order).containsExactly("first starts", "first ends", "second");
    }

    private static Map<String, String> copy() {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        return mdc == null ? Map.of() : new HashMap<>(mdc);
    }
}
