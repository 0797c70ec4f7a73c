package dev.geminibot.state.sqlite;

import dev.geminibot.core.conversation.ConversationKey;
import dev.geminibot.core.conversation.Turn;
import dev.geminibot.core.reply.Scheduler;
import dev.geminibot.core.state.ChannelRef;
import dev.geminibot.core.state.LatestAnswer;
import dev.geminibot.core.state.Lease;
import dev.geminibot.core.state.MemoryStateStore;
import dev.geminibot.core.state.RateDecision;
import dev.geminibot.core.ops.Health;
import dev.geminibot.core.state.StateStore;
import dev.geminibot.core.state.StateUnavailableException;
import dev.geminibot.core.state.StopSignal;
import dev.geminibot.core.state.StoredConversation;
import dev.geminibot.state.LatestAnswerCodec;
import dev.geminibot.state.StateKeys;
import dev.geminibot.state.StateOpenException;
import dev.geminibot.state.TurnCodec;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store in one SQLite file (WAL journal), for one instance: conversations, reset markers, latest
 * answers, settings, threads and de-duplication records survive a restart. Leases, rate windows and stop signals stay in
 * this process (one instance has nobody else to tell, and none of them should outlive it). One connection, one caller at a
 * time: SQLite writes one transaction at a time anyway, and each verb is a few hundred microseconds.
 * Conversations, latest answers, button records and threads are removed {@link StateStore#RETENTION} after their
 * last change (an hourly sweep), as Redis expires them, so the file does not grow for ever; reset markers and
 * settings stay. The same sweep removes de-duplication records past their own time to live. Expiry uses the
 * injected clock, so tests run on a virtual one.
 */
public final class SqliteStateStore implements StateStore {
    private static final Logger log = LoggerFactory.getLogger(SqliteStateStore.class);
    private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(5);
    private static final Duration EXPIRE_EVERY = Duration.ofHours(1);
    /** The tables whose rows expire, each with a {@code touched_ms} column set by every write. */
    private static final List<String> EXPIRING = List.of("conversations", "latest_answers", "answer_buttons", "threads");

    /**
     * Every table, created if missing each time a file is opened: a file written by an older version keeps
     * its data and gains the tables added since ({@code latest_answers}); {@link #addTouched} gives its rows the
     * {@code touched_ms} column that expiry needs.
     */
    private static final String[] SCHEMA = {
        "CREATE TABLE IF NOT EXISTS conversations (key TEXT PRIMARY KEY, version INTEGER NOT NULL, turns TEXT NOT NULL,"
                + " touched_ms INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS resets (key TEXT PRIMARY KEY, at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS settings (channel TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
                + " PRIMARY KEY (channel, name))",
        "CREATE TABLE IF NOT EXISTS threads (key TEXT PRIMARY KEY, touched_ms INTEGER NOT NULL DEFAULT 0)",
        "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, until_ms INTEGER NOT NULL)",
        // One row per conversation, kept until a reset removes it or it expires (RETENTION after its last change).
        "CREATE TABLE IF NOT EXISTS latest_answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL,"
                + " touched_ms INTEGER NOT NULL DEFAULT 0)",
        // Which message shows a conversation's answer buttons, so a restarted bot takes them off.
        "CREATE TABLE IF NOT EXISTS answer_buttons (key TEXT PRIMARY KEY, message TEXT NOT NULL,"
                + " touched_ms INTEGER NOT NULL DEFAULT 0)",
    };

    private final Path file;
    private final Scheduler clock;
    private final Connection db;
    /**
     * Leases and rate windows stay in this process: one SQLite file serves one instance, a lease on disk
     * would only block a restarted bot behind its dead predecessor, and neither needs to outlive a minute.
     * Keeping them off the disk also keeps every write off the path to the first text.
     */
    private final MemoryStateStore local;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, PreparedStatement> kept = new HashMap<>();
    private final Connection checkpointer;
    private volatile boolean closed;

    private SqliteStateStore(Path file, Scheduler clock, Connection db, Connection checkpointer) {
        this.file = file;
        this.clock = clock;
        this.db = db;
        this.checkpointer = checkpointer;
        this.local = new MemoryStateStore(clock);
        scheduleCheckpoint();
        scheduleExpiry();
    }

    /** Every hour, off the timer's thread: removes the rows {@link StateStore#RETENTION} has passed. */
    private void scheduleExpiry() {
        clock.schedule(EXPIRE_EVERY, () -> Thread.ofVirtual().name("sqlite-expiry").start(() -> {
            if (closed) {
                return;
            }
            expire();
            scheduleExpiry();
        }));
    }

    private synchronized void expire() {
        if (closed) {
            return;
        }
        long now = clock.now().toEpochMilli();
        removeExpired("deliveries", "until_ms <= " + now); // their own, short, expiry
        long before = now - RETENTION.toMillis();
        for (String table : EXPIRING) {
            int gone = removeExpired(table, "touched_ms <= " + before);
            if (gone > 0) {
                log.info("state: sqlite {}: removed {} {} untouched for {} days", file, gone, table, RETENTION.toDays());
            }
        }
    }

    /** Deletes the rows of {@code table} that {@code condition} selects; a failure is logged, and the next sweep retries. */
    private int removeExpired(String table, String condition) {
        try (Statement s = db.createStatement()) {
            return s.executeUpdate("DELETE FROM " + table + " WHERE " + condition);
        } catch (SQLException e) {
            log.warn("state: sqlite {}: removing expired {} failed: {}", file, table, e.getMessage());
            return 0;
        }
    }

    /**
     * A file from before expiry has no {@code touched_ms}: each table gains it, and its rows count as changed
     * now, so nothing disappears the moment a new version opens an old file.
     */
    private static void addTouched(Statement s, long now) throws SQLException {
        for (String table : EXPIRING) {
            boolean present = false;
            try (ResultSet column = s.executeQuery("PRAGMA table_info(" + table + ")")) {
                while (column.next()) {
                    present |= "touched_ms".equals(column.getString("name"));
                }
            }
            if (!present) {
                s.execute("ALTER TABLE " + table + " ADD COLUMN touched_ms INTEGER NOT NULL DEFAULT 0");
                s.executeUpdate("UPDATE " + table + " SET touched_ms = " + now);
            }
        }
    }

    /**
     * Answers write without waiting for a checkpoint (wal_autocheckpoint is off on the main connection);
     * this moves the WAL into the database file every few seconds from a second connection, which
     * SQLite lets run alongside the writer (PASSIVE).
     */
    private void scheduleCheckpoint() {
        clock.schedule(CHECKPOINT_EVERY, () -> Thread.ofVirtual().name("sqlite-checkpoint").start(() -> {
            if (closed) {
                return;
            }
            try (Statement s = checkpointer.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(PASSIVE)");
            } catch (SQLException e) {
                log.warn("state: sqlite {}: checkpoint failed: {}", file, e.getMessage());
            }
            scheduleCheckpoint();
        }));
    }

    /**
     * A prepared statement kept for the connection's life (one connection, one caller at a time): the
     * callers' try-with-resources closes a view whose close does nothing, so each SQL is parsed once.
     */
    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement view = kept.get(sql);
        if (view == null) {
            PreparedStatement real = db.prepareStatement(sql);
            view = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            return null;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            statements.put(sql, real);
            kept.put(sql, view);
        }
        return view;
    }

    /**
     * Opens (creating if needed) the file at {@code file}, relative to the working directory.
     *
     * @throws StateOpenException naming {@code state.path} and what is wrong when the file cannot be
     *                            written or is not a SQLite database
     */
    public static SqliteStateStore open(Path file, Scheduler clock) {
        Path absolute = file.toAbsolutePath();
        Connection db = null;
        try {
            db = DriverManager.getConnection("jdbc:sqlite:" + absolute);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("PRAGMA journal_mode = WAL");
                // NORMAL is durable in WAL mode except for the last transactions on a power loss.
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA wal_autocheckpoint = 0");
                try (ResultSet check = s.executeQuery("PRAGMA quick_check")) {
                    String result = check.next() ? check.getString(1) : "no answer";
                    if (!"ok".equalsIgnoreCase(result)) {
                        throw new StateOpenException("state.path: " + absolute + " is damaged (quick_check: "
                                + result + "); move it away to start with an empty state");
                    }
                }
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
                addTouched(s, clock.now().toEpochMilli());
            }
            Connection checkpointer = DriverManager.getConnection("jdbc:sqlite:" + absolute);
            try (Statement s = checkpointer.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
            }
            return new SqliteStateStore(absolute, clock, db, checkpointer);
        } catch (SQLException e) {
            closeQuietly(db);
            throw new StateOpenException("state.path: " + absolute + " " + whatIsWrong(e), e);
        } catch (RuntimeException e) {
            closeQuietly(db);
            throw e;
        }
    }

    private static String whatIsWrong(SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        if (code == null) {
            return "cannot be opened: " + e.getMessage();
        }
        return switch (code) {
            case SQLITE_NOTADB -> "is not a SQLite database (another file is in the way, or it is damaged)";
            case SQLITE_CORRUPT -> "is damaged; move it away to start with an empty state";
            case SQLITE_CANTOPEN -> "cannot be created or opened (does its directory exist, and may the bot write there?)";
            case SQLITE_READONLY, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_DBMOVED, SQLITE_READONLY_RECOVERY,
                 SQLITE_PERM, SQLITE_AUTH -> "cannot be written (read-only file or directory)";
            case SQLITE_FULL -> "cannot be written: the disk is full";
            default -> "cannot be used: " + code.name();
        };
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // Nothing more to say than the error being reported.
            }
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized StoredConversation loadConversation(ConversationKey key) {
        try (PreparedStatement q = statement("SELECT version, turns FROM conversations WHERE key = ?")) {
            q.setString(1, StateKeys.conversation(key));
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? new StoredConversation(TurnCodec.decodeAll(row.getString(2)), row.getLong(1))
                        : StoredConversation.NONE;
            }
        } catch (SQLException e) {
            throw failed("read a conversation", e);
        }
    }

    @Override
    public synchronized long conversationVersion(ConversationKey key) {
        try (PreparedStatement q = statement("SELECT version FROM conversations WHERE key = ?")) {
            q.setString(1, StateKeys.conversation(key));
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failed("read a conversation version", e);
        }
    }

    @Override
    public synchronized long saveConversation(ConversationKey key, List<Turn> turns) {
        return write(key, turns);
    }

    @Override
    public synchronized long appendTurns(ConversationKey key, List<Turn> turns, int maxTurns) {
        List<Turn> all = new ArrayList<>(loadConversation(key).turns());
        all.addAll(turns);
        return write(key, all.subList(Math.max(0, all.size() - Math.max(0, maxTurns)), all.size()));
    }

    private long write(ConversationKey key, List<Turn> turns) {
        try (PreparedStatement u = statement(
                "INSERT INTO conversations (key, version, turns, touched_ms) VALUES (?, 1, ?, ?) "
                        + "ON CONFLICT (key) DO UPDATE SET version = version + 1, turns = excluded.turns, "
                        + "touched_ms = excluded.touched_ms RETURNING version")) {
            u.setString(1, StateKeys.conversation(key));
            u.setString(2, TurnCodec.encodeAll(turns));
            u.setString(3, now());
            try (ResultSet row = u.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw failed("write a conversation", e);
        }
    }

    @Override
    public synchronized void markReset(ConversationKey key, Instant at) {
        try {
            db.setAutoCommit(false);
            try (PreparedStatement u = statement(
                    "INSERT INTO resets (key, at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET at = excluded.at")) {
                u.setString(1, StateKeys.conversation(key));
                u.setString(2, at.toString());
                u.executeUpdate();
            }
            try (PreparedStatement d = statement("DELETE FROM latest_answers WHERE key = ?")) {
                d.setString(1, StateKeys.conversation(key));
                d.executeUpdate();
            }
            write(key, List.of());
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e instanceof SQLException sql ? failed("write a reset marker", sql) : (RuntimeException) e;
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized Optional<Instant> resetMarker(ConversationKey key) {
        return text("read a reset marker", "SELECT at FROM resets WHERE key = ?", StateKeys.conversation(key))
                .map(Instant::parse);
    }

    @Override
    public synchronized void rememberLatestAnswer(ConversationKey key, LatestAnswer answer) {
        update("write the latest answer", "INSERT INTO latest_answers (key, answer, touched_ms) VALUES (?, ?, ?) "
                + "ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, touched_ms = excluded.touched_ms",
                StateKeys.conversation(key), LatestAnswerCodec.encode(answer), now());
    }

    @Override
    public synchronized Optional<LatestAnswer> latestAnswer(ConversationKey key) {
        return text("read the latest answer", "SELECT answer FROM latest_answers WHERE key = ?",
                StateKeys.conversation(key)).map(LatestAnswerCodec::decode);
    }

    @Override
    public synchronized void forgetLatestAnswer(ConversationKey key) {
        update("forget the latest answer", "DELETE FROM latest_answers WHERE key = ?", StateKeys.conversation(key));
    }

    @Override
    public synchronized Optional<String> moveButtons(ConversationKey key, String message) {
        Optional<String> before = buttons(key);
        update("record the answer buttons", "INSERT INTO answer_buttons (key, message, touched_ms) VALUES (?, ?, ?) "
                + "ON CONFLICT (key) DO UPDATE SET message = excluded.message, touched_ms = excluded.touched_ms",
                StateKeys.conversation(key), message, now());
        return before;
    }

    @Override
    public synchronized Optional<String> takeButtons(ConversationKey key) {
        Optional<String> before = buttons(key);
        before.ifPresent(gone -> update("forget the answer buttons", "DELETE FROM answer_buttons WHERE key = ?",
                StateKeys.conversation(key)));
        return before;
    }

    private Optional<String> buttons(ConversationKey key) {
        return text("read the answer buttons", "SELECT message FROM answer_buttons WHERE key = ?",
                StateKeys.conversation(key));
    }

    @Override
    public synchronized Optional<String> setting(ChannelRef channel, String name) {
        return text("read a setting", "SELECT value FROM settings WHERE channel = ? AND name = ?",
                StateKeys.channel(channel), name);
    }

    @Override
    public synchronized void putSetting(ChannelRef channel, String name, String value) {
        update("write a setting", "INSERT INTO settings (channel, name, value) VALUES (?, ?, ?) "
                + "ON CONFLICT (channel, name) DO UPDATE SET value = excluded.value",
                StateKeys.channel(channel), name, value);
    }

    @Override
    public synchronized void removeSetting(ChannelRef channel, String name) {
        update("remove a setting", "DELETE FROM settings WHERE channel = ? AND name = ?",
                StateKeys.channel(channel), name);
    }

    @Override
    public synchronized Map<String, String> settings(ChannelRef channel) {
        try (PreparedStatement q = statement("SELECT name, value FROM settings WHERE channel = ? ORDER BY name")) {
            q.setString(1, StateKeys.channel(channel));
            Map<String, String> values = new LinkedHashMap<>();
            try (ResultSet row = q.executeQuery()) {
                while (row.next()) {
                    values.put(row.getString(1), row.getString(2));
                }
            }
            return values;
        } catch (SQLException e) {
            throw failed("read settings", e);
        }
    }

    @Override
    public synchronized void joinThread(ConversationKey thread) {
        update("remember a thread", "INSERT INTO threads (key, touched_ms) VALUES (?, ?) "
                + "ON CONFLICT (key) DO UPDATE SET touched_ms = excluded.touched_ms", StateKeys.conversation(thread), now());
    }

    @Override
    public synchronized boolean takesPartIn(ConversationKey thread) {
        try (PreparedStatement q = statement("SELECT 1 FROM threads WHERE key = ?")) {
            q.setString(1, StateKeys.conversation(thread));
            try (ResultSet row = q.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw failed("read a thread", e);
        }
    }

    @Override
    public synchronized boolean firstDelivery(String deliveryId, Duration ttl) {
        long now = clock.now().toEpochMilli();
        try (PreparedStatement u = statement(
                "INSERT INTO deliveries (id, until_ms) VALUES (?, ?) "
                        + "ON CONFLICT (id) DO UPDATE SET until_ms = excluded.until_ms WHERE until_ms <= ?")) {
            u.setString(1, deliveryId);
            u.setLong(2, now + ttl.toMillis());
            u.setLong(3, now);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed("record a delivery", e);
        }
    }

    @Override
    public Optional<Lease> acquireLease(ConversationKey key, Duration ttl) {
        return local.acquireLease(key, ttl);
    }

    @Override
    public boolean renewLease(Lease lease, Duration ttl) {
        return local.renewLease(lease, ttl);
    }

    @Override
    public void releaseLease(Lease lease) {
        local.releaseLease(lease);
    }

    @Override
    public RateDecision tryUserRequest(String userKey, int perMinute) {
        return tryTakeFromWindow("user:" + userKey, perMinute, Duration.ofMinutes(1));
    }

    @Override
    public RateDecision tryTakeFromWindow(String budget, int limit, Duration window) {
        return local.tryTakeFromWindow(budget, limit, window);
    }

    @Override
    public List<Instant> callsInWindow(String budget, Duration window, Instant now) {
        return local.callsInWindow(budget, window, now);
    }

    @Override
    public void recordCall(String budget, Instant now, Duration retention) {
        local.recordCall(budget, now, retention);
    }

    @Override
    public void publishStop(StopSignal signal) {
        local.publishStop(signal);
    }

    @Override
    public AutoCloseable subscribeStops(Consumer<StopSignal> listener) {
        return local.subscribeStops(listener);
    }

    @Override
    public synchronized Health health() {
        try (Statement s = db.createStatement(); ResultSet row = s.executeQuery("SELECT 1")) {
            row.next();
            return Health.up("sqlite " + file);
        } catch (SQLException e) {
            return Health.down("sqlite " + file + ": " + e.getMessage());
        }
    }

    @Override
    public String backend() {
        return "sqlite";
    }

    @Override
    public synchronized void close() {
        closed = true;
        local.close();
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // Closing the connection releases it anyway.
            }
        }
        statements.clear();
        kept.clear();
        closeQuietly(checkpointer);
        closeQuietly(db);
    }

    /** The first column of the first row {@code sql} selects with {@code args}, if any (the read's twin of {@link #update}). */
    private Optional<String> text(String what, String sql, String... args) {
        try (PreparedStatement q = statement(sql)) {
            for (int i = 0; i < args.length; i++) {
                q.setString(i + 1, args[i]);
            }
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** Now, for a {@code touched_ms} bound as text (SQLite's INTEGER affinity stores it as a number). */
    private String now() {
        return Long.toString(clock.now().toEpochMilli());
    }

    private void update(String what, String sql, String... args) {
        try (PreparedStatement u = statement(sql)) {
            for (int i = 0; i < args.length; i++) {
                u.setString(i + 1, args[i]);
            }
            u.executeUpdate();
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // The failure being reported says more.
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // The next statement reports a broken connection.
        }
    }

    private StateUnavailableException failed(String what, SQLException e) {
        return new StateUnavailableException("state: sqlite " + file + ": could not " + what + ": " + e.getMessage(), e);
    }
}
