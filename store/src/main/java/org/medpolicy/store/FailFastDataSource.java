package org.medpolicy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * An embedded store's pool that refuses at once while the store is down ({@link StoreHealth}),
 * rather than let each caller wait out the pool's timeout on a database that cannot open. Thread-safe.
 */
final class FailFastDataSource extends ForwardingDataSource {

    private final StoreHealth health;

    FailFastDataSource(DataSource pool, StoreHealth health) {
        super(pool);
        this.health = health;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileDown();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileDown();
        return delegate.getConnection(username, password);
    }

    private void refuseWhileDown() throws SQLException {
        String failure = health.failure();
        if (failure != null) {
            throw new SQLTransientConnectionException("the embedded store is down until it recovers: " + failure);
        }
    }
}
