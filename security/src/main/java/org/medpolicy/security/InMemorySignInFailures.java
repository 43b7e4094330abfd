package org.medpolicy.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * {@link SignInFailures} in a map of this process. Thread-safe. Memory is bounded: past
 * {@value #MAX_TRACKED} keys, those whose wait is over are forgotten.
 */
final class InMemorySignInFailures implements SignInFailures {

    static final int MAX_TRACKED = 100_000;

    private final Map<String, Counted> counted = new ConcurrentHashMap<>();

    @Override
    public Counted find(String key) {
        return counted.get(key);
    }

    @Override
    public Counted add(String key, Instant now, IntFunction<Instant> waitFor) {
        if (counted.size() > MAX_TRACKED) {
            counted.values().removeIf(c -> c.waitUntil() == null || !c.waitUntil().isAfter(now));
        }
        return counted.compute(key, (k, before) -> {
            int count = before == null ? 1 : before.count() + 1;
            return new Counted(count, waitFor.apply(count));
        });
    }

    @Override
    public void clear(String key) {
        counted.remove(key);
    }
}
