package org.medpolicy.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/**
 * An H2 data source whose commits are on disk before they return: after {@code commit()}, and when
 * a connection that committed statement by statement is handed back, the store's unsaved changes
 * are written synchronously.
 *
 * <p>Why not H2's own {@code WRITE_DELAY=0}: it writes each commit itself, but it also stops the
 * store's background thread, and that thread is what rewrites and frees chunks of superseded pages.
 * Measured with the decision log under load (BENCHMARKS.md, {@code DecisionLogLoad}), the file then
 * grew by 12.4 KB for each row of about 3.8 KB, and each row cost 214 µs of CPU; with the background
 * thread on and the writes forced here, 6.9 KB and 144 µs, and half as many rows again per second.
 *
 * <p>Concurrent committers share one write: the store writes under its own lock, and a caller who
 * arrives while another is writing finds its changes already saved (group commit for free).
 * Processes that reach the database through the owner's {@code AUTO_SERVER} port (the CLI while the
 * server runs) cannot touch the store; they run {@code CHECKPOINT}, which does the same in the owner.
 *
 * <p>Thread-safe: the wrapper holds only the pool and the store, and each connection is used by one
 * thread at a time, as JDBC requires.
 */
final class DurableH2Commits implements DataSource {

    private final DataSource pool;
    private final MVStore store;

    private DurableH2Commits(DataSource pool, MVStore store) {
        this.pool = pool;
        this.store = store;
    }

    /** Wraps {@code pool}; finds the store once, through a first connection. */
    static DurableH2Commits over(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            var session = connection.unwrap(JdbcConnection.class).getSession();
            MVStore store = session instanceof SessionLocal local && local.getDatabase().getStore() != null
                    ? local.getDatabase().getStore().getMvStore()
                    : null;
            return new DurableH2Commits(pool, store);
        }
    }

    /** Writes what is unsaved, through {@code connection} when the store is in another process. */
    void flush(Connection connection) throws SQLException {
        if (store == null) {
            try (Statement checkpoint = connection.createStatement()) {
                checkpoint.execute("CHECKPOINT");
            }
        } else if (store.hasUnsavedChanges()) {
            store.commit();
        }
    }

    /** True when committed or uncommitted changes are not yet in the file (for tests: false after every commit returns). */
    boolean hasUnsavedChanges() {
        return store != null && store.hasUnsavedChanges();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return durable(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return durable(pool.getConnection(username, password));
    }

    private Connection durable(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(connection));
    }

    /** Forwards every call; writes the store after a commit and before a connection goes back to the pool. */
    private final class Handler implements InvocationHandler {
        private final Connection connection;

        Handler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            String name = method.getName();
            if (name.equals("close") && !connection.isClosed()) {
                try {
                    if (connection.getAutoCommit()) {
                        flush(connection);
                    }
                } finally {
                    connection.close();
                }
                return null;
            }
            Object result;
            try {
                result = method.invoke(connection, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (name.equals("commit")) {
                flush(connection);
            }
            return result;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
