package org.medpolicy.security;

import java.util.List;

/**
 * The append-only access audit, kept apart from the decision log. Thread-safe.
 */
public interface AuditTrail extends AutoCloseable {

    /** Appends {@code entry}; may return before it is written (see the implementation's note on durability). */
    void record(AuditEntry entry);

    /** Entries matching {@code query}, newest first; includes everything recorded before the call. */
    List<AuditEntry> find(AuditQuery query);

    @Override
    void close();
}
