package org.medpolicy.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * An embedded store's pool that refuses at once while the store is down ({@link StoreHealth}),
 * rather than let each caller wait out the pool's timeout on a database that cannot open. Thread-safe.
 */
final class FailFastDataSource implements DataSource {

    private final DataSource pool;
    private final StoreHealth health;

    FailFastDataSource(DataSource pool, StoreHealth health) {
        this.pool = pool;
        this.health = health;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileDown();
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileDown();
        return pool.getConnection(username, password);
    }

    private void refuseWhileDown() throws SQLException {
        String failure = health.failure();
        if (failure != null) {
            throw new SQLTransientConnectionException("the embedded store is down until it recovers: " + failure);
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
