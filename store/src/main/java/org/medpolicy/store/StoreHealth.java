package org.medpolicy.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the store can take writes, and getting it back when it could not.
 *
 * <p>Why this exists: on a full disk H2's MVStore fails a write and "panics": it closes the
 * database, and every pooled connection answers "database is closed" from then on, even after the
 * space is back, until the process restarts; {@code isValid()} kept saying yes, so {@code /health}
 * said UP while every write failed. Hikari shows this class every SQL exception its connections
 * throw ({@link SQLExceptionOverride}); a store failure (H2's closed database, an MVStore write
 * failure or I/O error; PostgreSQL's disk full, out of resources or I/O error) marks the store
 * failed and the connection evicted. While failed, a daemon tries to recover every 2 s: once the
 * disk has room again, let every connection go and prove a write ({@code store_probe}) on a new
 * one, whose opening recovers an embedded file H2 did not close cleanly ({@link H2ReopenGuard}). The
 * store is healthy again only when that write commits. A failure told by a connection to the
 * database H2 closed, after the file was reopened, evicts only that connection.
 *
 * <p>Thread-safe: {@code failure} is volatile; recoveries are serialized.
 */
final class StoreHealth implements SQLExceptionOverride {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StoreHealth.class);

    /**
     * The free space an embedded store's disk must have again before it is reopened. Why a margin
     * and not "any": a reopened H2 file writes small updates into its own free pages, so a probe
     * write succeeds on a disk that is still full, and the next determination fails and closes the
     * database again (each reopen is a full recovery scan of the file).
     */
    static final long MIN_FREE_BYTES = 16L * 1024 * 1024;

    private volatile String failure;
    private volatile HikariDataSource pool;
    private volatile java.nio.file.Path h2Files;
    private volatile H2ReopenGuard reopening;
    private ScheduledExecutorService recoverer;
    /** The reopen recovery last told to the log; read and written by {@link #tryToRecover} only. */
    private String reported;

    void attach(HikariDataSource pool, java.nio.file.Path h2Files, H2ReopenGuard reopening) {
        this.pool = pool;
        this.h2Files = h2Files;
        this.reopening = reopening;
    }

    /** What the embedded file's last reopen had to recover (H2ReopenGuard); null when none was reopened or it needed nothing. */
    String reopenRecovery() {
        H2ReopenGuard guard = reopening;
        return guard == null ? null : guard.lastRecovery();
    }

    /** Null when the store takes writes; else what failed. */
    String failure() {
        return failure;
    }

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        if (!isStoreFailure(e)) {
            return Override.CONTINUE_EVICT;
        }
        H2ReopenGuard guard = reopening;
        if (guard == null || !guard.hasOpenStore()) {
            failed(e.getMessage());
        }
        // else: a connection to the database H2 closed before the file was reopened; only it goes.
        return Override.MUST_EVICT;
    }

    /** A failure of the store itself (not of one statement): the database closed, a write to its files failed, no space. */
    static boolean isStoreFailure(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                int code = sql.getErrorCode();
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage();
                if (code == 90098 || code == 90028 || code == 90031 || code == 90121
                        || code == 50000 && (message.contains("MVStoreException") || message.contains("Writing to"))
                        || state.equals("53100") || state.equals("53000") || state.equals("58030")) {
                    return true;
                }
            }
        }
        return false;
    }

    private synchronized void failed(String why) {
        // H2 names only its own state ("The database has been closed"); a full disk is what the operator must hear.
        String lowSpace = lowSpace();
        if (failure == null) {
            LOG.warn("the store stopped taking writes: {}; retrying every 2 s", lowSpace != null ? lowSpace : why);
        }
        failure = lowSpace != null ? lowSpace : why == null ? "the store failed" : why;
        if (recoverer == null) {
            recoverer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "medpolicy-store-recovery");
                thread.setDaemon(true);
                return thread;
            });
            recoverer.scheduleWithFixedDelay(this::tryToRecover, 1, 2, TimeUnit.SECONDS);
        }
    }

    /** Why the embedded store cannot write while its disk has less than {@link #MIN_FREE_BYTES} free, or null. */
    String lowSpace() {
        if (h2Files == null) {
            return null;
        }
        try {
            long free = java.nio.file.Files.getFileStore(h2Files.getParent()).getUsableSpace();
            return free >= MIN_FREE_BYTES ? null : "the disk of " + h2Files.getParent() + " has " + free / 1024
                    + " KiB free; the store reopens at " + MIN_FREE_BYTES / (1024 * 1024) + " MiB";
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * One attempt: let every connection go and prove a write on a new one. An embedded file is
     * recovered, when it needs it, by the opening of that connection ({@link H2ReopenGuard}), not
     * here: the pool may open one first (it refills after evicting), and every open must recover.
     */
    synchronized void tryToRecover() {
        HikariDataSource current = pool;
        if (failure == null || current == null || current.isClosed()) {
            return;
        }
        String lowSpace = lowSpace();
        if (lowSpace != null) {
            failure = lowSpace;
            return;
        }
        // Idle connections close now, those in use when they come back; none of them is lent again.
        current.getHikariPoolMXBean().softEvictConnections();
        try (Connection connection = current.getConnection();
             PreparedStatement probe = connection.prepareStatement("UPDATE store_probe SET checked_at = ? WHERE id = 1")) {
            probe.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
            probe.executeUpdate();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            String recovered = reopenRecovery();
            boolean news = recovered != null && !recovered.equals(reported);
            LOG.warn("the store takes writes again{}", news ? "; the embedded file was " + recovered : "");
            reported = recovered;
            failure = null;
        } catch (SQLException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();   // still failing; the next attempt is in 2 s
        }
    }

    synchronized void close() {
        if (recoverer != null) {
            recoverer.shutdownNow();
        }
    }
}
