package org.medpolicy.security;

import java.time.Instant;

/**
 * Remembers the {@code jti} of every JWT accepted until it expires, so a captured assertion or
 * CDS Hooks JWT cannot be used twice. Thread-safe; implementations that keep the ids in the
 * database also stop a replay across a restart or to another server instance.
 */
public interface ReplayGuard {

    /**
     * Records {@code jti} of {@code issuer}; returns false if it was already recorded (a replay).
     * Atomic: of two concurrent calls with the same id, exactly one returns true.
     */
    boolean firstUse(String issuer, String jti, Instant expiresAt);
}
