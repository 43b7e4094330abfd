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
    private final String recovery;
    private final java.nio.file.Path files;
    private final StoreHealth health;
    private final DataSource guarded;
    private final H2Housekeeping housekeeping;

    private Database(String url, Kind kind, HikariDataSource pool, DataSource guarded, String recovery, java.nio.file.Path files,
            StoreHealth health, H2Housekeeping housekeeping) {
        this.health = health;
        this.housekeeping = housekeeping;
        this.guarded = guarded;
        this.url = url;
        this.kind = kind;
        this.pool = pool;
        this.recovery = recovery;
        this.files = files;
    }

    /**
     * What opening had to repair, for the operator's log: an embedded file that was not closed
     * cleanly and was recovered ({@link H2CrashRecovery}); null when there was nothing to repair.
     * After a failed write made H2 let go of the file, what reopening it had to repair instead.
     */
    public String recovery() {
        String reopened = health.reopenRecovery();
        return reopened != null ? reopened : recovery;
    }

    /**
     * Opens and migrates the database at {@code url}. For H2 file databases every commit is written
     * before it returns ({@code WRITE_DELAY=0}), and a file the last process did not close is
     * recovered first ({@link H2CrashRecovery}): an acknowledged write survives the process being
     * killed.
     */
    public static Database open(String url, String user, String password) {
        Kind kind = kindOf(url);
        String effective = url;
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (kind == Kind.H2 && !upper.contains("WRITE_DELAY")) {
            effective = effective + ";WRITE_DELAY=0";
        }
        // No AUTO_SERVER: an embedded store has no network listener. Commands reach a running
        // server's database through the server itself, over a socket file only its owner can open
        // (medpolicy's CommandSocket), and the file is locked to the process that has it open.
        // Not for an encrypted file (CIPHER=): its header cannot be read without the key.
        java.nio.file.Path files = kind == Kind.H2 && upper.startsWith("JDBC:H2:FILE:") && !upper.contains("CIPHER=") ? h2Base(url) : null;
        StoreHealth health = new StoreHealth();
        HikariConfig config = new HikariConfig();
        H2ReopenGuard reopening = null;
        if (files != null) {
            // Every connection to an embedded file is opened through the guard: see H2ReopenGuard.
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL(effective);
            h2.setUser(user == null ? "" : user);
            h2.setPassword(password == null ? "" : password);
            reopening = new H2ReopenGuard(h2, files, health);
            config.setDataSource(reopening);
        } else {
            config.setJdbcUrl(effective);
            if (user != null) {
                config.setUsername(user);
            }
            if (password != null) {
                config.setPassword(password);
            }
        }
        config.setPoolName("medpolicy");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(10_000);
        // Store failures (a full disk) mark the store failed and start its recovery: see StoreHealth.
        config.setExceptionOverride(health);
        String opened = null;
        // Not a file this JVM already has open: reading its header means opening and closing a file
        // descriptor, and on Linux closing any descriptor of a file drops the process's locks on it,
        // H2's included.
        boolean firstHere = files != null && OPEN_HERE.getOrDefault(files, 0) == 0;
        if (firstHere) {
            ownerOnlyFolder(files.getParent());
            try {
                H2CrashRecovery.Outcome recovery = H2CrashRecovery.recoverIfUnclean(files);
                opened = recovery.recovered() ? recovery.what() : null;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot read the embedded database " + files + ": " + e.getMessage(), e);
            }
        }
        HikariDataSource pool = new HikariDataSource(config);
        health.attach(pool, files, reopening);
        if (files != null) {
            ownerOnly(files);
        }
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
        if (files != null) {
            OPEN_HERE.merge(files, 1, Integer::sum);
        }
        // One housekeeper per file: a second pool on a file this JVM has open shares its store.
        DataSource guarded = files == null ? pool : new FailFastDataSource(pool, health);
        H2Housekeeping housekeeping = firstHere ? H2Housekeeping.start(guarded) : null;
        return new Database(effective, kind, pool, guarded, opened, files, health, housekeeping);
    }

    /** The embedded files this JVM has open, with how many times. */
    private static final java.util.concurrent.ConcurrentHashMap<java.nio.file.Path, Integer> OPEN_HERE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The file an embedded H2 URL names, absolute and without H2's suffixes ({@code
     * jdbc:h2:file:./data/medpolicy;…} → {@code /…/data/medpolicy}); null for any other URL.
     */
    public static java.nio.file.Path embeddedFile(String url) {
        return url.startsWith("jdbc:h2:file:") ? h2Base(url) : null;
    }

    /** The path an H2 file URL names, without H2's suffixes ({@code jdbc:h2:file:./data/medpolicy;…} → {@code ./data/medpolicy}). */
    static java.nio.file.Path h2Base(String url) {
        String path = url.substring("jdbc:h2:file:".length());
        int options = path.indexOf(';');
        path = options < 0 ? path : path.substring(0, options);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);   // as H2 reads it
        }
        return java.nio.file.Path.of(path).toAbsolutePath().normalize();
    }

    /**
     * Creates the folder of an embedded database owner-only (700) when it does not exist yet. A
     * folder that exists is left as its owner set it; the files in it are made owner-only anyway.
     */
    private static void ownerOnlyFolder(java.nio.file.Path folder) {
        try {
            if (folder != null && !java.nio.file.Files.exists(folder)) {
                java.nio.file.Files.createDirectories(folder);
                java.nio.file.Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // Not a POSIX file system, or not ours to change: H2 reports what it cannot write.
        }
    }

    /**
     * Makes the embedded database's files readable by their owner only (600): the data file holds
     * PHI. H2 creates its files with the default umask (644), which let any local user read it.
     */
    private static void ownerOnly(java.nio.file.Path base) {
        java.nio.file.Path folder = base.getParent();
        String name = base.getFileName().toString();
        try (var files = java.nio.file.Files.list(folder)) {
            for (java.nio.file.Path file : (Iterable<java.nio.file.Path>) files::iterator) {
                if (file.getFileName().toString().startsWith(name + ".") && java.nio.file.Files.isRegularFile(file)) {
                    java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // Not a POSIX file system, or a file H2 removed meanwhile: nothing more to protect here.
        }
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

    /**
     * The connections. While an embedded store is down (H2 closed its database after a failed write),
     * asking for one fails at once instead of waiting the pool's 5 s to open a database that cannot
     * open: every caller gets its refusal quickly, and the recovery ({@link StoreHealth}) uses the
     * pool itself.
     */
    public DataSource dataSource() {
        return guarded;
    }

    public Kind kind() {
        return kind;
    }

    /** The embedded file's housekeeper; null for PostgreSQL, memory databases and second opens. */
    H2Housekeeping housekeeping() {
        return housekeeping;
    }

    /** The URL without credentials, for logs. */
    public String url() {
        return url;
    }


    /**
     * True when the store takes writes and a connection answers within a second. False from the
     * first write that failed because of the store (a full disk) until a recovery proved a write
     * again ({@link StoreHealth}).
     */
    public boolean isReachable() {
        if (health.failure() != null) {
            return false;
        }
        try (Connection connection = pool.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * True for a connection to an embedded database H2 has closed (after a failed write): the file
     * has been, or will be, reopened with a new store, and this connection can do nothing more. For
     * whoever keeps a connection between uses (GroupCommitWriter).
     */
    boolean isStale(Connection connection) throws SQLException {
        if (files == null) {
            return false;
        }
        org.h2.mvstore.MVStore store = H2ReopenGuard.storeOf(connection);
        return store != null && store.isClosed();
    }

    /** What failed, while the store does not take writes; null when it does. */
    public String failure() {
        return health.failure();
    }

    @Override
    public void close() {
        if (housekeeping != null) {
            housekeeping.close();
        }
        health.close();
        pool.close();
        if (files != null) {
            OPEN_HERE.computeIfPresent(files, (path, count) -> count <= 1 ? null : count - 1);
        }
    }
}
