package org.medpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes rows with group commit: callers hand their row to one writer thread and wait; the writer
 * takes everything waiting (up to {@link #MAX_BATCH}), inserts it as one JDBC batch in one
 * transaction, commits, and only then releases every caller of that batch. Used for the decision
 * log and for the replay guard's {@code used_jti} rows; {@link Rows} says how a row is inserted.
 *
 * <p>Why: durability costs one commit (one log flush) per transaction, whatever its size. A commit
 * per request would cap the service at the disk's flush rate; one commit per batch lets a busy
 * server pay that cost once for hundreds of determinations, while a quiet one still commits each
 * record alone, at once. No caller is answered before its record is committed.
 *
 * <p>Thread-safe: any thread may {@link #write}; only the writer thread touches the connection.
 */
final class GroupCommitWriter<T> implements AutoCloseable {

    static final int MAX_BATCH = 512;
    private static final long WAIT_SECONDS = 10;

    /** How a row of type {@code T} is inserted: the statement, and binding one row's values to it. */
    interface Rows<T> {
        String insert();

        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** A row that was not committed; {@link #getCause()} is the database's reason (or null when the writer was closed, overloaded or late). */
    static final class NotCommitted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotCommitted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Pending<T>(T row, CompletableFuture<Void> committed) {
    }

    private final Database database;
    private final Rows<T> rows;
    private final BlockingQueue<Pending<T>> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    private PreparedStatement insert;

    GroupCommitWriter(Database database, Rows<T> rows, String threadName) {
        this.database = database;
        this.rows = rows;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Returns once {@code row} is committed.
     *
     * @throws NotCommitted when it was not: the database refused it (the cause says why), or the
     *         writer is closed, overloaded, or did not commit within 10 s
     */
    void write(T row) {
        if (!running) {
            throw new NotCommitted("the writer is closed", null);
        }
        String failure = database.failure();
        if (failure != null) {
            // The store is down (a full disk): refuse at once rather than queue callers behind its recovery.
            throw new NotCommitted("the store does not take writes: " + failure, null);
        }
        Pending<T> pending = new Pending<>(row, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new NotCommitted("the writer is overloaded", null);
            }
            pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotCommitted("interrupted while writing", e);
        } catch (ExecutionException e) {
            throw new NotCommitted("the row was not stored", e.getCause());
        } catch (TimeoutException e) {
            throw new NotCommitted("the writer did not commit in " + WAIT_SECONDS + " s", e);
        }
    }

    private void run() {
        List<Pending<T>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending<T> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        closeConnection();
    }

    /**
     * Commits the batch in one transaction. If that fails, each record is retried in a transaction
     * of its own, so one bad record (a duplicate id, say) fails only its own caller.
     */
    private void commit(List<Pending<T>> batch) {
        try {
            insert(batch);
            batch.forEach(pending -> pending.committed().complete(null));
        } catch (SQLException | RuntimeException batchFailure) {
            rollbackQuietly();
            closeConnection();
            if (batch.size() == 1 || database.failure() != null) {
                // One record, or the store itself failed: retrying each record alone would only fail each again.
                batch.forEach(pending -> pending.committed().completeExceptionally(batchFailure));
                return;
            }
            for (Pending<T> pending : batch) {
                try {
                    insert(List.of(pending));
                    pending.committed().complete(null);
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly();
                    closeConnection();
                    pending.committed().completeExceptionally(e);
                }
            }
        }
    }

    /** Inserts the batch with the writer's one prepared statement (reused across batches) and commits. */
    private void insert(List<Pending<T>> batch) throws SQLException {
        Connection open = connection();
        for (Pending<T> pending : batch) {
            rows.bind(insert, pending.row());
            insert.addBatch();
        }
        insert.executeBatch();
        open.commit();
    }

    private Connection connection() throws SQLException {
        // A connection kept from before the store failed and recovered is one to the database H2
        // closed: its next batch would fail although the store takes writes again (DiskFullTest).
        if (connection != null && database.isStale(connection)) {
            closeConnection();
        }
        if (connection == null || connection.isClosed()) {
            connection = database.dataSource().getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(rows.insert());
        }
        return connection;
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is dropped next; the batch has already failed.
        }
    }

    private void closeConnection() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // Closing at shutdown or after a failure: nothing more to do with it.
        }
        connection = null;
        insert = null;
    }

    /** Stops taking rows, commits what is queued, and stops the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
