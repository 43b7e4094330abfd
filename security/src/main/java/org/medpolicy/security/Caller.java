package org.medpolicy.security;

import java.time.Instant;

/**
 * Who is calling, once authenticated: the client, how it authenticated, the scopes its token
 * carries (none for an EHR's CDS Hooks call, which is authorized by the hook itself), and when
 * its credential expires. Immutable.
 */
public record Caller(String clientId, Client.Kind kind, Scopes scopes, Instant expiresAt) {

    /**
     * How the caller is named in case histories and the decision log: {@code client:ID} for a
     * registered client, the username for a person. One rule, so "who made this" compares.
     */
    public String name() {
        return kind == Client.Kind.USER ? clientId : "client:" + clientId;
    }

    /**
     * Checks that the caller holds {@code requiredScope}.
     *
     * @throws AuthenticationException 403 when it does not
     */
    public void require(String requiredScope) throws AuthenticationException {
        if (!scopes.grants(requiredScope)) {
            throw AuthenticationException.insufficientScope(requiredScope);
        }
    }
}
