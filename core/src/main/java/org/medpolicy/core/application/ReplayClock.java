package org.medpolicy.core.application;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that reads, on each thread, the instant that thread set: replaying a logged determination
 * asks the engine "what would you have answered then", so review-overdue warnings, member notices
 * and default receipt times come out as they did at {@code decidedAt}. One engine (compiled once)
 * then replays any number of determinations, each at its own time, on any number of threads.
 *
 * <p>Thread-safe: each thread sees only its own instant.
 */
public final class ReplayClock extends Clock {

    private final ThreadLocal<Instant> now = ThreadLocal.withInitial(Instant::now);

    /** Sets this thread's now. */
    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a replay clock is UTC; engines take their zone separately");
    }
}
