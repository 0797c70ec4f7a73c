package dev.geminibot.core.state;

import dev.geminibot.core.testing.VirtualScheduler;
import java.time.Duration;

/** The contract on the in-memory store; a "second instance" shares its maps, as in one process. */
class MemoryStateStoreTest extends StateStoreContract {
    private final VirtualScheduler clock = new VirtualScheduler();
    private MemoryStateStore shared;

    @Override
    protected StateStore newStore() {
        shared = new MemoryStateStore(clock);
        return shared;
    }

    @Override
    protected StateStore secondInstance() {
        // Memory is never shared between processes; a view on the same store stands in for "another caller".
        MemoryStateStore same = shared;
        return new ForwardingStateStore(same) {
            @Override
            public void close() {
                // The test's own store closes the shared one.
            }
        };
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }
}
