package org.medpolicy.security;

import java.time.Instant;

/** Which audit entries to read: a time window (from inclusive, to exclusive), optionally one client, at most {@code limit}, newest first. */
public record AuditQuery(Instant from, Instant to, String clientId, int limit) {

    public static final int MAX_LIMIT = 1_000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
