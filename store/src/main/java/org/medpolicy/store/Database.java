package org.medpolicy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * An open, migrated database: embedded H2 ({@code jdbc:h2:file:…}) or PostgreSQL
 * ({@code jdbc:postgresql://…}). Opening runs the Flyway migrations for that database, so a
 * fresh database is usable at once and an old one is brought up to date before anything reads it.
 * Thread-safe; close it once, at shutdown.
 */
public final class Database implements AutoCloseable {

    /** The databases medpolicy runs on. */
    public enum Kind {
        H2("h2"),
        POSTGRESQL("postgresql");

        private final String vendor;

        Kind(String vendor) {
            this.vendor = vendor;
        }
    }

    private final String url;
    private final Kind kind;
    private final HikariDataSource pool;

    private Database(String url, Kind kind, HikariDataSource pool) {
        this.url = url;
        this.kind = kind;
        this.pool = pool;
    }

    /**
     * Opens and migrates the database at {@code url}. For H2 file databases every commit is written
     * before it returns ({@code WRITE_DELAY=0}): the decision log promises that an acknowledged
     * determination survives the process being killed.
     */
    public static Database open(String url, String user, String password) {
        Kind kind = kindOf(url);
        String effective = url;
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (kind == Kind.H2 && !upper.contains("WRITE_DELAY")) {
            effective = effective + ";WRITE_DELAY=0";
        }
        if (kind == Kind.H2 && upper.startsWith("JDBC:H2:FILE:") && !upper.contains("AUTO_SERVER")) {
            // The server holds the file open; AUTO_SERVER lets `medpolicy clients` and `medpolicy token`
            // reach the same database while it runs (H2 hands them a TCP connection to the owner).
            effective = effective + ";AUTO_SERVER=TRUE";
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(effective);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setPoolName("medpolicy");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration/" + kind.vendor)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(effective, kind, pool);
    }

    static Kind kindOf(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return Kind.H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        throw new IllegalArgumentException("unsupported database URL '" + url
                + "': use jdbc:h2:file:PATH or jdbc:postgresql://HOST/DB");
    }

    public DataSource dataSource() {
        return pool;
    }

    public Kind kind() {
        return kind;
    }

    /** The URL without credentials, for logs. */
    public String url() {
        return url;
    }


    /** True when a connection answers a trivial query within a second. */
    public boolean isReachable() {
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
