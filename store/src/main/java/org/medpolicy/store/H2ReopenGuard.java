package org.medpolicy.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * How the pool opens an embedded H2 file: a file H2 let go of in this process is recovered
 * ({@link H2CrashRecovery}) before it is opened again.
 *
 * <p>Why it exists. When a write to the file fails (a full disk), H2 closes the database at once
 * without writing a clean header, and takes it out of its engine
 * ({@code Database.shutdownImmediately}); the next connection anyone asks for opens the file anew,
 * in this process, with a normal open. That open follows the header, which after commits written
 * into gaps of the file names an older chunk (the H2 defect {@link H2CrashRecovery} describes), and
 * drops every commit after it. On a full disk the gaps are the only place a commit can still be
 * written, so the last acknowledged writes before the failure were exactly the ones lost: in
 * {@code DiskFullTest}, the last 2 or 3 acknowledged determinations, in 6 of 15 runs, before this. The
 * pool itself asked for that connection (Hikari refills after evicting the failed ones), before
 * {@link StoreHealth}'s recovery ran, so the recovery found the file already open and did nothing.
 *
 * <p>How. Every physical connection is opened here. It notes the MVStore the connection's database
 * has open; when the noted store is closed, the file was let go of, and the next open first
 * recovers the file if it was not closed cleanly (a clean close costs one read of the header). While
 * the disk is still short of space ({@link StoreHealth#lowSpace}) it refuses instead: a recovery
 * writes, and a store reopened on a full disk fails again with the next commit.
 *
 * <p>Thread-safe: opens of one file are serialized (all pools of this JVM on it share the note), so
 * no connection can open the file between the check and the recovery. Opening a connection to a
 * database H2 already has open is cheap, and the pool does it rarely.
 */
final class H2ReopenGuard extends ForwardingDataSource {

    /** Per embedded file (its base path): the store H2 had open when a connection was last opened to it. */
    private static final ConcurrentHashMap<Path, MVStore> OPENED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path files;
    private final StoreHealth health;
    private volatile String lastRecovery;

    H2ReopenGuard(DataSource h2, Path files, StoreHealth health) {
        super(h2);
        this.files = files;
        this.health = health;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return open(null, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return open(username, password);
    }

    /** True when the store H2 last opened this file with is still open: a connection that fails now is one to a closed database. */
    boolean hasOpenStore() {
        MVStore noted = OPENED.get(files);
        return noted != null && !noted.isClosed();
    }

    /** What the last reopen that had to recover the file did, for the operator; null while none had to. */
    String lastRecovery() {
        return lastRecovery;
    }

    private Connection open(String username, String password) throws SQLException {
        synchronized (LOCKS.computeIfAbsent(files, path -> new Object())) {
            MVStore noted = OPENED.get(files);
            if (noted != null && noted.isClosed()) {
                recoverBeforeReopening();
                // Recovered (or clean): the file is closed cleanly now, whether or not this open succeeds.
                OPENED.remove(files, noted);
            }
            // May still fail once after a recovery: H2 drops its closed database from its engine lazily.
            Connection connection = username == null ? delegate.getConnection() : delegate.getConnection(username, password);
            try {
                MVStore store = storeOf(connection);
                if (store != null) {
                    OPENED.put(files, store);
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
    }

    private void recoverBeforeReopening() throws SQLException {
        String lowSpace = health.lowSpace();
        if (lowSpace != null) {
            throw new SQLTransientConnectionException("the embedded store is not reopened yet: " + lowSpace);
        }
        try {
            H2CrashRecovery.Outcome outcome = H2CrashRecovery.recoverIfUnclean(files);
            if (outcome.recovered()) {
                lastRecovery = outcome.what();
            }
        } catch (java.io.IOException e) {
            throw new SQLTransientConnectionException("the embedded store could not be recovered: " + e.getMessage(), e);
        }
    }

    /** The store of an in-process connection's database; null for any other. */
    static MVStore storeOf(Connection connection) throws SQLException {
        JdbcConnection h2 = connection.unwrap(JdbcConnection.class);
        if (h2.getSession() instanceof SessionLocal session && session.getDatabase().getStore() != null) {
            return session.getDatabase().getStore().getMvStore();
        }
        return null;
    }
}
