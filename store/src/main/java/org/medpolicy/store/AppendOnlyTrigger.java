package org.medpolicy.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** H2 trigger that refuses every UPDATE and DELETE of the decision log (PostgreSQL does it in PL/pgSQL). */
public final class AppendOnlyTrigger implements Trigger {
    @Override
    public void fire(Connection connection, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("determination_log is append-only: " + (newRow == null ? "DELETE" : "UPDATE") + " is not allowed");
    }
}
