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
 * restarts and server instances. Expired ids are deleted at most once a minute, by whichever call
 * comes first. Thread-safe.
 */
public final class JdbcReplayGuard implements ReplayGuard {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final long PURGE_EVERY_MILLIS = 60_000;

    private final Database database;
    private final Clock clock;
    private final AtomicLong lastPurge = new AtomicLong();

    public JdbcReplayGuard(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String issuer, String jti, Instant expiresAt) {
        purgeExpiredNowAndThen();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO used_jti (issuer, jti, expires_at) VALUES (?, ?, ?)")) {
            insert.setString(1, issuer);
            insert.setString(2, jti);
            insert.setObject(3, expiresAt.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("the replay guard cannot reach the database", e);
        }
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
}
