package org.medpolicy.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.IntFunction;
import org.medpolicy.security.SignInFailures;

/**
 * Failed sign-ins counted in {@code sign_in_failure}, so every server on the database throttles the
 * same guesser: with counts per server, N servers gave N times the free failures.
 *
 * <p>Adding a failure reads the row with {@code SELECT … FOR UPDATE} and writes it in the same
 * transaction: two servers counting the same key at once are serialized by the row lock, and two
 * inserting a first row at once meet at the primary key (the loser counts again, now as an update).
 * A sign-in costs a quarter of a second of hashing by design, so two statements more do not show.
 * Rows a day past their last failure whose wait is over are deleted as failures are added.
 * Thread-safe; stateless beyond the database.
 */
public final class JdbcSignInFailures implements SignInFailures {

    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final Database database;

    public JdbcSignInFailures(Database database) {
        this.database = database;
    }

    @Override
    public Counted find(String key) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT failures, wait_until FROM sign_in_failure WHERE throttle_key = ?")) {
            select.setString(1, hashed(key));
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? counted(row) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the sign-in failures: " + e.getMessage(), e);
        }
    }

    @Override
    public Counted add(String key, Instant now, IntFunction<Instant> waitFor) {
        String hashed = hashed(key);
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                Counted counted = addIn(connection, hashed, now, waitFor);
                forgetOld(connection, now);
                connection.commit();
                return counted;
            } catch (SQLException e) {
                connection.rollback();
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                // Another server inserted the first row meanwhile: count again, as an update.
                Counted counted = addIn(connection, hashed, now, waitFor);
                connection.commit();
                return counted;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count a failed sign-in: " + e.getMessage(), e);
        }
    }

    private static Counted addIn(Connection connection, String hashed, Instant now, IntFunction<Instant> waitFor) throws SQLException {
        int before = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT failures FROM sign_in_failure WHERE throttle_key = ? FOR UPDATE")) {
            select.setString(1, hashed);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    before = row.getInt(1);
                }
            }
        }
        int count = before + 1;
        Instant waitUntil = waitFor.apply(count);
        String sql = before == 0
                ? "INSERT INTO sign_in_failure (failures, wait_until, last_failed_at, throttle_key) VALUES (?, ?, ?, ?)"
                : "UPDATE sign_in_failure SET failures = ?, wait_until = ?, last_failed_at = ? WHERE throttle_key = ?";
        try (PreparedStatement write = connection.prepareStatement(sql)) {
            write.setInt(1, count);
            write.setTimestamp(2, waitUntil == null ? null : Timestamp.from(waitUntil));
            write.setTimestamp(3, Timestamp.from(now));
            write.setString(4, hashed);
            write.executeUpdate();
        }
        return new Counted(count, waitUntil);
    }

    private static void forgetOld(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement forget = connection.prepareStatement(
                "DELETE FROM sign_in_failure WHERE last_failed_at < ? AND (wait_until IS NULL OR wait_until < ?)")) {
            forget.setTimestamp(1, Timestamp.from(now.minus(FORGET_AFTER)));
            forget.setTimestamp(2, Timestamp.from(now));
            forget.executeUpdate();
        }
    }

    @Override
    public void clear(String key) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM sign_in_failure WHERE throttle_key = ?")) {
            delete.setString(1, hashed(key));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot clear the sign-in failures: " + e.getMessage(), e);
        }
    }

    private static Counted counted(ResultSet row) throws SQLException {
        Timestamp waitUntil = row.getTimestamp(2);
        return new Counted(row.getInt(1), waitUntil == null ? null : waitUntil.toInstant());
    }

    private static String hashed(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
