package org.medpolicy.security;

import java.time.Instant;
import java.util.Optional;

/** Where sessions live, by a hash of their token (never the token itself). Thread-safe. */
public interface SessionStore {

    void saveSession(String tokenHash, String username, String csrfToken, Instant createdAt, Instant expiresAt);

    /** The session's user name, CSRF token and expiry, if the session exists. */
    Optional<StoredSession> findSession(String tokenHash);

    void deleteSession(String tokenHash);

    /** A stored session row. */
    record StoredSession(String username, String csrfToken, Instant expiresAt) {
    }
}
