package dev.geminibot.state;

import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StateStoreContract;
import dev.geminibot.core.testing.VirtualScheduler;
import dev.geminibot.state.sqlite.SqliteStateStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real SQLite file; the "second instance" is a second connection to the same file. */
class SqliteStateStoreTest extends StateStoreContract {
    @TempDir
    static Path dir;

    private final VirtualScheduler clock = new VirtualScheduler();

    @Override
    protected StateStore newStore() {
        return SqliteStateStore.open(dir.resolve("state.db"), clock);
    }

    @Override
    protected StateStore secondInstance() {
        return SqliteStateStore.open(dir.resolve("state.db"), clock);
    }

    @Override
    protected boolean stopsReachOtherInstances() {
        // One SQLite file serves one instance; stop signals stay in the process.
        return false;
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }
}
