package org.medpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.medpolicy.security.ReplayGuard;

/**
 * Replay protection in the {@code used_jti} table: "first use?" is one INSERT, and the primary key
 * answers it atomically (a duplicate key means a replay) on H2 and PostgreSQL alike, across
 * restarts and server instances.
 *
 * <p>Why through a {@link GroupCommitWriter}: every CDS Hooks call and token request inserts one
 * row, and a commit per row would cost every call a log flush. Concurrent calls share one commit;
 * a batch holding a duplicate fails as a whole and is retried row by row, so each caller learns
 * about its own row only. Expired ids are deleted at most once a minute, by whichever call comes
 * first. Thread-safe.
 */
public final class JdbcReplayGuard implements ReplayGuard, AutoCloseable {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final long PURGE_EVERY_MILLIS = 60_000;

    private record UsedJti(String issuer, String jti, Instant expiresAt) {
    }

    private final Database database;
    private final Clock clock;
    private final AtomicLong lastPurge = new AtomicLong();
    private final GroupCommitWriter<UsedJti> writer;

    public JdbcReplayGuard(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.writer = new GroupCommitWriter<>(database, new GroupCommitWriter.Rows<>() {
            @Override
            public String insert() {
                return "INSERT INTO used_jti (issuer, jti, expires_at) VALUES (?, ?, ?)";
            }

            @Override
            public void bind(PreparedStatement statement, UsedJti row) throws SQLException {
                statement.setString(1, row.issuer());
                statement.setString(2, row.jti());
                statement.setObject(3, row.expiresAt().atOffset(ZoneOffset.UTC));
            }
        }, "medpolicy-replay-writer");
    }

    @Override
    public boolean firstUse(String issuer, String jti, Instant expiresAt) {
        purgeExpiredNowAndThen();
        try {
            writer.write(new UsedJti(issuer, jti, expiresAt));
            return true;
        } catch (GroupCommitWriter.NotCommitted e) {
            if (isDuplicate(e.getCause())) {
                return false;
            }
            throw new IllegalStateException("the replay guard cannot store the jti: " + e.getMessage(), e);
        }
    }

    private static boolean isDuplicate(Throwable cause) {
        for (Throwable at = cause; at != null; at = at.getCause()) {
            if (at instanceof SQLException sql) {
                for (SQLException next = sql; next != null; next = next.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void purgeExpiredNowAndThen() {
        long now = clock.millis();
        long last = lastPurge.get();
        if (now - last < PURGE_EVERY_MILLIS || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM used_jti WHERE expires_at < ?")) {
            delete.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            delete.executeUpdate();
        } catch (SQLException e) {
            // Purging is housekeeping: the next minute tries again, and the insert path reports real failures.
        }
    }

    /** Commits what is queued, then stops the writer; the database stays open. */
    @Override
    public void close() {
        writer.close();
    }
}
