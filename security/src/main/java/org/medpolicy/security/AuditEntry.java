package org.medpolicy.security;

import java.time.Instant;

/**
 * One authenticated call in the access audit: who (client and how it authenticated), what it was
 * allowed (scopes), what it asked (method and route template: never the query string or a body,
 * so no PHI), what it got (status), when, from where, and the correlation id shared with the
 * server's request log. Immutable.
 */
public record AuditEntry(Instant at, String clientId, String clientKind, String scopes, String method, String route,
                         int status, String correlationId, String remoteAddress) {
}
