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
 * failed and the connection evicted. While failed, a daemon tries to recover once a second:
 * suspend the pool, let every connection go, recover an embedded file that was not closed cleanly
 * (as opening does: {@link H2CrashRecovery}), resume, and prove a write ({@code store_probe}). The
 * store is healthy again only when that write commits.
 *
 * <p>Thread-safe: {@code failure} is volatile; recoveries are serialized.
 */
final class StoreHealth implements SQLExceptionOverride {

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
    private ScheduledExecutorService recoverer;

    void attach(HikariDataSource pool, java.nio.file.Path h2Files) {
        this.pool = pool;
        this.h2Files = h2Files;
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
        failed(e.getMessage());
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
        failure = why == null ? "the store failed" : why;
        if (recoverer == null) {
            recoverer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "medpolicy-store-recovery");
                thread.setDaemon(true);
                return thread;
            });
            recoverer.scheduleWithFixedDelay(this::tryToRecover, 1, 2, TimeUnit.SECONDS);
        }
    }

    /** One attempt: let every connection go, repair the file if it needs it, prove a write. */
    synchronized void tryToRecover() {
        HikariDataSource current = pool;
        if (failure == null || current == null || current.isClosed()) {
            return;
        }
        try {
            if (h2Files != null) {
                long free = java.nio.file.Files.getFileStore(h2Files.getParent()).getUsableSpace();
                if (free < MIN_FREE_BYTES) {
                    failure = "the disk of " + h2Files.getParent() + " has " + free / 1024 + " KiB free; the store reopens at "
                            + MIN_FREE_BYTES / (1024 * 1024) + " MiB";
                    return;
                }
                var control = current.getHikariPoolMXBean();
                control.suspendPool();
                try {
                    control.softEvictConnections();
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    while (control.getTotalConnections() > 0 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                        control.softEvictConnections();
                    }
                    if (control.getTotalConnections() > 0) {
                        return;   // a connection is still out: try again shortly
                    }
                    H2CrashRecovery.recoverIfUnclean(h2Files);
                } finally {
                    control.resumePool();
                }
            }
            try (Connection connection = current.getConnection();
                 PreparedStatement probe = connection.prepareStatement("UPDATE store_probe SET checked_at = ? WHERE id = 1")) {
                probe.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                probe.executeUpdate();
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            }
            failure = null;
        } catch (SQLException | java.io.IOException | RuntimeException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();   // still failing; the next attempt is in 2 s
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void close() {
        if (recoverer != null) {
            recoverer.shutdownNow();
        }
    }
}
