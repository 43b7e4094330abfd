package org.medpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.LogUnavailableException;

/**
 * Writes decision records with group commit: callers hand their record to one writer thread and
 * wait; the writer takes everything waiting (up to {@link #MAX_BATCH}), inserts it as one JDBC
 * batch in one transaction, commits, and only then releases every caller of that batch.
 *
 * <p>Why: durability costs one commit (one log flush) per transaction, whatever its size. A commit
 * per request would cap the service at the disk's flush rate; one commit per batch lets a busy
 * server pay that cost once for hundreds of determinations, while a quiet one still commits each
 * record alone, at once. No caller is answered before its record is committed.
 *
 * <p>Thread-safe: any thread may {@link #write}; only the writer thread touches the connection.
 */
final class GroupCommitWriter implements AutoCloseable {

    static final int MAX_BATCH = 512;
    private static final long WAIT_SECONDS = 10;
    private static final String INSERT = "INSERT INTO determination_log (determination_id, request_id, channel, decided_at, "
            + "policy_id, policy_version, engine_version, status, member_key, request_json, response_json) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private record Pending(DecisionRecord record, CompletableFuture<Void> committed) {
    }

    private final Database database;
    private final JsonDocuments documents;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;
    private PreparedStatement insert;

    GroupCommitWriter(Database database) {
        this.database = database;
        this.documents = JsonDocuments.of(database.kind());
        this.thread = new Thread(this::run, "medpolicy-log-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Returns once {@code record} is committed. */
    void write(DecisionRecord record) {
        if (!running) {
            throw new LogUnavailableException("the decision log is closed", null);
        }
        Pending pending = new Pending(record, new CompletableFuture<>());
        try {
            if (!queue.offer(pending, WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new LogUnavailableException("the decision log is overloaded", null);
            }
            pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LogUnavailableException("interrupted while storing a determination", e);
        } catch (ExecutionException e) {
            throw new LogUnavailableException("the determination could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw new LogUnavailableException("the decision log did not commit in " + WAIT_SECONDS + " s", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
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
    private void commit(List<Pending> batch) {
        try {
            insert(batch);
            batch.forEach(pending -> pending.committed().complete(null));
        } catch (SQLException | RuntimeException batchFailure) {
            rollbackQuietly();
            closeConnection();
            if (batch.size() == 1) {
                batch.get(0).committed().completeExceptionally(batchFailure);
                return;
            }
            for (Pending pending : batch) {
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
    private void insert(List<Pending> batch) throws SQLException {
        Connection open = connection();
        for (Pending pending : batch) {
            DecisionRecord record = pending.record();
            insert.setString(1, record.determinationId());
            insert.setString(2, record.requestId());
            insert.setString(3, record.channel());
            insert.setObject(4, record.decidedAt().atOffset(ZoneOffset.UTC));
            insert.setString(5, record.policyId());
            insert.setObject(6, record.policyVersion());
            insert.setString(7, record.engineVersion());
            insert.setString(8, record.status());
            insert.setString(9, record.memberKey());
            documents.bind(insert, 10, record.requestJson());
            documents.bind(insert, 11, record.responseJson());
            insert.addBatch();
        }
        insert.executeBatch();
        open.commit();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = database.dataSource().getConnection();
            connection.setAutoCommit(false);
            insert = connection.prepareStatement(INSERT);
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

    /** Stops taking records, commits what is queued, and stops the thread. */
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
