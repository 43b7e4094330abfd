package org.medpolicy.security;

import java.time.Instant;
import java.util.function.IntFunction;

/**
 * Where {@link SignInThrottle} counts failed sign-ins: in this process ({@link #inMemory}), or in
 * the database every server of a deployment shares (the store's {@code JdbcSignInFailures}), so
 * that N servers behind a load balancer do not give a guesser N times the free failures.
 * Implementations are thread-safe.
 */
public interface SignInFailures {

    /** The failures counted for one key, and until when its next attempt must wait (null: no wait). */
    record Counted(int count, Instant waitUntil) {
    }

    /** What is counted for {@code key}; null when nothing is. */
    Counted find(String key);

    /**
     * Counts one more failure of {@code key} at {@code now} and sets the wait {@code waitFor} gives
     * for the new count (null: none yet), as one step no other server's failure of the same key can
     * interleave with; returns what is counted now.
     */
    Counted add(String key, Instant now, IntFunction<Instant> waitFor);

    /** Forgets {@code key} (an account that signed in). */
    void clear(String key);

    /** Counts in this process only: for one server, or tests. Bounded in memory. */
    static SignInFailures inMemory() {
        return new InMemorySignInFailures();
    }
}
