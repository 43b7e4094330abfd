package org.medpolicy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;

/**
 * Gives back the space of an embedded H2 file that commits written one by one leave behind.
 *
 * <p>Why it is needed. Every commit is written before it returns ({@code WRITE_DELAY=0}), and that
 * setting also stops the store's background thread, which is what rewrites half-empty chunks. An
 * append-heavy log then leaves each chunk holding a few live pages among many superseded copies of
 * the same B-tree nodes, and no chunk ever becomes empty enough to be freed: the file grew at about
 * three times its data and never shrank (BENCHMARKS.md, "Embedded store").
 *
 * <p>What it does. Once a {@link #PERIOD_MS period}, on its own thread, it asks the MVStore to
 * rewrite the live pages of its emptiest chunks ({@link MVStore#compact}, at most {@link
 * #WRITE_LIMIT} bytes a pass) and commits them;
 * the chunks they came from then hold nothing, and their space is reused as soon as no version
 * being read needs them. Only copies of data already committed move, so a process killed during a
 * pass loses nothing: the moved pages are either in a complete newer chunk or still in the older
 * one. Reusing space at once (no retention time) is safe against a kill for the reason a kill is
 * survivable here at all: every commit is written before it returns, and the recovery open
 * ({@link H2CrashRecovery}) starts from the newest complete chunk, which never references a freed
 * one. It is not safe against a power cut on a disk that reorders writes, which nothing on H2
 * promises (SECURITY.md: no fsync per commit).
 *
 * <p>The cost is measured, not hidden: at full load the passes hold the store's lock while they
 * rewrite, and the log's commits wait (BENCHMARKS.md, "Embedded store": throughput down about a
 * sixth, p99 from 25 to 138 ms in one run). A pass that finds the chunks full enough does nothing.
 *
 * <p>The settings were chosen by measurement (BENCHMARKS.md); the {@code medpolicy.h2.*} system
 * properties exist to repeat it, not for operators. Thread-safe; {@link #close} stops it. It
 * reaches the store through H2's internal {@code SessionLocal}, which only an in-process
 * connection has: check it on any H2 upgrade. It finds the store anew each pass, through a
 * connection: after a failed write H2 closes its store and the file is reopened with a new one
 * ({@link H2ReopenGuard}), and a housekeeper holding the first would do nothing from then on.
 */
final class H2Housekeeping implements AutoCloseable {

    /** How often a pass runs. */
    static final long PERIOD_MS = Long.getLong("medpolicy.h2.housekeepingMs", 250);
    /** At most this much is rewritten a pass (bytes). */
    static final int WRITE_LIMIT = Integer.getInteger("medpolicy.h2.housekeepingBytes", 16 << 20);
    /** A pass runs while the chunks' live share is below this (percent). */
    static final int TARGET_FILL_RATE = Integer.getInteger("medpolicy.h2.housekeepingFill", 85);
    /**
     * How long a chunk that holds nothing live is kept before its space is reused, beyond the time
     * any version being read needs it (which H2 always respects). H2's default, 45 s, kept a
     * second file's worth of dead chunks under load (BENCHMARKS.md).
     */
    static final int RETENTION_MS = Integer.getInteger("medpolicy.h2.retentionMs", 0);

    private final ScheduledExecutorService thread;
    private final DataSource pool;
    private volatile MVStore store;

    private H2Housekeeping(MVStore store, DataSource pool) {
        this.store = store;
        this.pool = pool;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "medpolicy-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pass, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts housekeeping for the embedded file database behind {@code pool}, or returns null when
     * it has none to do. {@code pool} should refuse at once while the store is down (FailFastDataSource).
     */
    static H2Housekeeping start(DataSource pool) {
        if (PERIOD_MS <= 0) {
            return null;
        }
        try (Connection connection = pool.getConnection()) {
            MVStore store = fileStoreOf(connection);
            return store == null ? null : new H2Housekeeping(store, pool);
        } catch (SQLException e) {
            return null;
        }
    }

    /** The MVStore of the embedded file an in-process connection has open, with this class's retention set; else null. */
    private static MVStore fileStoreOf(Connection connection) throws SQLException {
        MVStore store = H2ReopenGuard.storeOf(connection);   // null: not an in-process database, nothing here to keep
        if (store == null || store.getFileStore() == null) {
            return null;
        }
        store.setRetentionTime(RETENTION_MS);
        return store;
    }

    private void pass() {
        try (Connection connection = pool.getConnection()) {
            MVStore current = store;
            if (current.isClosed()) {
                current = fileStoreOf(connection);   // the file was reopened (H2ReopenGuard)
                if (current == null) {
                    return;
                }
                store = current;
            }
            if (current.getFileStore().getChunksFillRate() >= TARGET_FILL_RATE) {
                return;
            }
            current.compact(TARGET_FILL_RATE, WRITE_LIMIT);
            // Commit through SQL even when nothing moved this pass: H2 frees the chunks that hold
            // nothing live (after the retention time) only while it stores a commit, and an idle
            // server would otherwise keep them. The one row of store_probe is all this writes.
            try (var touch = connection.prepareStatement("UPDATE store_probe SET checked_at = CURRENT_TIMESTAMP WHERE id = 1")) {
                touch.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            // A closed or failed store (a full disk): the store's health reports it; try again next period.
        }
    }

    /** The live share of the file's chunks (percent): what a pass raises. */
    int chunksFillRate() {
        return store.getFileStore().getChunksFillRate();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
