package org.medpolicy.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per key (a client id, or a remote address for calls not yet authenticated).
 * A bucket holds up to {@code burst} tokens and refills at {@code ratePerSecond}; a call takes one
 * token or is refused with the time until one is there.
 *
 * <p>Why buckets of longs under a lock per bucket: a call costs one map lookup and a few
 * arithmetic operations on a bucket no other client touches, so clients never contend with each
 * other, and the refill is computed lazily from the clock instead of by a timer thread.
 *
 * <p>Thread-safe. Buckets of keys unseen for a while are dropped when the map grows large, so a
 * flood of addresses cannot grow it without bound.
 */
public final class RateLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_BUCKETS = 100_000;

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(int ratePerSecond, int burst, long now, int cost) {
            tokens = Math.min(burst, tokens + (now - refilledAt) * (double) ratePerSecond / NANOS_PER_SECOND);
            refilledAt = now;
            if (tokens >= cost) {
                tokens -= cost;
                return 0;
            }
            return (long) Math.ceil((cost - tokens) * NANOS_PER_SECOND / ratePerSecond);
        }

        synchronized double peek(int ratePerSecond, int burst, long now) {
            return Math.min(burst, tokens + (now - refilledAt) * (double) ratePerSecond / NANOS_PER_SECOND);
        }

        synchronized boolean isIdle(long now, long idleNanos) {
            return now - refilledAt > idleNanos;
        }
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile java.util.function.IntSupplier servers = () -> 1;

    public RateLimiter() {
        this(System::nanoTime);
    }

    RateLimiter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * Makes every rate and burst the deployment's: with {@code servers} servers sharing the work (the
     * live count from the store), each enforces its share, {@code rate / servers} and {@code burst /
     * servers} (at least 1). Set once, when the server is assembled.
     */
    public void shareAmong(java.util.function.IntSupplier servers) {
        this.servers = servers;
    }

    private static int share(int limit, int servers) {
        return Math.max(1, limit / servers);
    }

    /**
     * Takes one token from {@code key}'s bucket.
     *
     * @return 0 when the call may proceed, otherwise the nanoseconds until a token will be there
     */
    public long tryAcquire(String key, int ratePerSecond, int burst) {
        return tryAcquire(key, ratePerSecond, burst, 1);
    }

    /**
     * Takes {@code cost} tokens from {@code key}'s bucket (at most its {@code burst}: a call the
     * bucket could never hold costs a full bucket).
     *
     * @return 0 when the call may proceed, otherwise the nanoseconds until the tokens will be there
     */
    public long tryAcquire(String key, int registeredRate, int registeredBurst, int cost) {
        int sharing = Math.max(1, servers.getAsInt());
        int ratePerSecond = share(registeredRate, sharing);
        int burst = share(registeredBurst, sharing);
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                evictIdle(now);
            }
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        }
        return bucket.take(ratePerSecond, burst, now, Math.max(1, Math.min(cost, burst)));
    }

    /**
     * True when {@code key}'s bucket has no token now; takes nothing. Used to refuse a caller before
     * doing expensive work whose failure would cost it a token anyway.
     */
    public boolean isExhausted(String key, int registeredRate, int registeredBurst) {
        int sharing = Math.max(1, servers.getAsInt());
        Bucket bucket = buckets.get(key);
        return bucket != null && bucket.peek(share(registeredRate, sharing), share(registeredBurst, sharing), nanoTime.getAsLong()) < 1;
    }

    private void evictIdle(long now) {
        buckets.entrySet().removeIf(entry -> entry.getValue().isIdle(now, 60 * NANOS_PER_SECOND));
    }
}
