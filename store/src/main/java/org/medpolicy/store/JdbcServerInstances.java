package org.medpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How many servers share this database now, for limits meant for the whole deployment (a client's
 * rate). Each server writes its own row of {@code server_instance} every {@link #BEAT} and counts
 * the rows written within {@link #ALIVE}; a server that stops deletes its row, and one that was
 * killed stops counting once its last beat is older than that.
 *
 * <p>Why a count in the database and not shared buckets: a shared bucket would cost every call a
 * database round trip. Dividing a client's rate by the number of live servers keeps the intent (the
 * client's registered rate, deployment-wide) when the load balancer spreads a client's calls over
 * the servers, at no cost per call; a client whose calls all reach one server gets its share there.
 *
 * <p>Thread-safe; {@link #live} never touches the database. Close it once, before the database.
 */
public final class JdbcServerInstances implements AutoCloseable {

    /** How often this server says it is alive. */
    public static final Duration BEAT = Duration.ofSeconds(2);
    /** How recent a beat must be for its server to count (three beats). */
    public static final Duration ALIVE = Duration.ofSeconds(6);

    private final Database database;
    private final String id = UUID.randomUUID().toString();
    private final ScheduledExecutorService beats;
    private volatile Instant started;
    private volatile int live = 1;

    public JdbcServerInstances(Database database) {
        this.database = database;
        beat();
        this.beats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "medpolicy-instance-beat");
            thread.setDaemon(true);
            return thread;
        });
        beats.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The servers alive on this database at the last beat, this one included (at least 1). */
    public int live() {
        return live;
    }

    /** This server's id in {@code server_instance}. */
    public String id() {
        return id;
    }

    private void beat() {
        try (Connection connection = database.dataSource().getConnection()) {
            // The database's clock, not this server's: servers on several hosts compare their beats on one clock.
            Instant now;
            try (PreparedStatement time = connection.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rows = time.executeQuery()) {
                rows.next();
                now = rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            if (started == null) {
                started = now;
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE server_instance SET seen_at = ? WHERE instance_id = ?")) {
                update.setTimestamp(1, Timestamp.from(now));
                update.setString(2, id);
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO server_instance (instance_id, started_at, seen_at) VALUES (?, ?, ?)")) {
                        insert.setString(1, id);
                        insert.setTimestamp(2, Timestamp.from(started));
                        insert.setTimestamp(3, Timestamp.from(now));
                        insert.executeUpdate();
                    }
                }
            }
            try (PreparedStatement forget = connection.prepareStatement("DELETE FROM server_instance WHERE seen_at < ?")) {
                forget.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
                forget.executeUpdate();
            }
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM server_instance WHERE seen_at >= ? OR instance_id = ?")) {
                count.setTimestamp(1, Timestamp.from(now.minus(ALIVE)));
                count.setString(2, id);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    live = Math.max(1, rows.getInt(1));
                }
            }
        } catch (SQLException | RuntimeException e) {
            // The store is down (its health says so): keep the last count and try at the next beat.
        }
    }

    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM server_instance WHERE instance_id = ?")) {
            delete.setString(1, id);
            delete.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // Not deleted: it stops counting once its last beat is older than ALIVE.
        }
    }
}
