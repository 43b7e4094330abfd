package org.medpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.medpolicy.security.AuditEntry;
import org.medpolicy.security.AuditQuery;
import org.medpolicy.security.AuditTrail;

/**
 * The access audit in the append-only {@code access_audit} table.
 *
 * <p>Why written behind the response rather than before it: the audit records that a call happened
 * and how it ended, which is known only once the response is complete; making every caller wait for
 * a second commit would double the cost of durability for every request. Entries go to one writer
 * thread that inserts whatever is waiting as one batch and commits. The price, stated in SECURITY.md:
 * a crash can lose the entries of the last 50 milliseconds or so (the decision log, which carries the
 * determinations themselves, loses nothing). When the queue is full, callers wait (up to a second)
 * rather than entries being dropped silently; {@link #dropped()} counts any that still are.
 *
 * <p>Thread-safe: any thread may record; only the writer thread inserts.
 */
public final class JdbcAuditTrail implements AuditTrail {

    private static final int MAX_BATCH = 1_000;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final String INSERT = "INSERT INTO access_audit (at, client_id, client_kind, scopes, method, route, status, "
            + "correlation_id, remote_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database database;
    private final Jdbi jdbi;
    private final BlockingQueue<AuditEntry> queue = new ArrayBlockingQueue<>(65_536);
    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;

    public JdbcAuditTrail(Database database) {
        this.database = database;
        this.jdbi = Jdbi.create(database.dataSource());
        this.writer = new Thread(this::run, "medpolicy-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    @Override
    public void record(AuditEntry entry) {
        try {
            if (running && queue.offer(entry, 1, TimeUnit.SECONDS)) {
                enqueued.incrementAndGet();
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.incrementAndGet();
    }

    /** Entries that could not be queued (the writer was stopped or more than a second behind). */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public List<AuditEntry> find(AuditQuery query) {
        awaitWritten(enqueued.get());
        StringBuilder sql = new StringBuilder("SELECT at, client_id, client_kind, scopes, method, route, status, correlation_id, "
                + "remote_address FROM access_audit WHERE at >= :from AND at < :to");
        if (query.clientId() != null) {
            sql.append(" AND client_id = :client");
        }
        sql.append(" ORDER BY at DESC, audit_id DESC LIMIT ").append(query.limit());
        return jdbi.withHandle(handle -> {
            var select = handle.createQuery(sql.toString())
                    .bind("from", query.from().atOffset(ZoneOffset.UTC))
                    .bind("to", query.to().atOffset(ZoneOffset.UTC));
            if (query.clientId() != null) {
                select.bind("client", query.clientId());
            }
            return select.map((row, context) -> new AuditEntry(row.getObject("at", OffsetDateTime.class).toInstant(),
                    row.getString("client_id"), row.getString("client_kind"), row.getString("scopes"), row.getString("method"),
                    row.getString("route"), row.getInt("status"), row.getString("correlation_id"),
                    row.getString("remote_address"))).list();
        });
    }

    private void awaitWritten(long target) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (written.get() + dropped.get() < target && System.nanoTime() < deadline && writer.isAlive()) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        List<AuditEntry> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                AuditEntry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch);
                insert(batch);
                written.addAndGet(batch.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException e) {
                // The database is away: count the batch as lost rather than hold the queue forever.
                dropped.addAndGet(batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Adds what arrives within {@link #LINGER_NANOS} of the batch's first entry (up to
     * {@link #MAX_BATCH}). Each commit rewrites the table's changed pages whatever the number of rows,
     * so committing every handful of entries made the audit writer 15% of the server's JFR samples
     * under load; gathering for 50 ms cut that to 6.5% (BENCHMARKS.md). The audit is written behind
     * the response, so no caller waits for this.
     */
    private void gather(List<AuditEntry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + LINGER_NANOS;
        queue.drainTo(batch, MAX_BATCH - batch.size());
        while (running && batch.size() < MAX_BATCH) {
            long left = deadline - System.nanoTime();
            AuditEntry next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, MAX_BATCH - batch.size());
        }
    }

    private void insert(List<AuditEntry> batch) throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (AuditEntry entry : batch) {
                    insert.setObject(1, entry.at().atOffset(ZoneOffset.UTC));
                    insert.setString(2, entry.clientId());
                    insert.setString(3, entry.clientKind());
                    insert.setString(4, entry.scopes());
                    insert.setString(5, entry.method());
                    insert.setString(6, entry.route());
                    insert.setInt(7, entry.status());
                    setOrNull(insert, 8, entry.correlationId());
                    setOrNull(insert, 9, entry.remoteAddress());
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void setOrNull(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** Writes what is queued, then stops the writer; the database stays open. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
