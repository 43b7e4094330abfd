package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Token buckets with a clock the test moves. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(now::get);

    @Test
    void aFullBucketAllowsTheBurstThenRefillsAtTheRate() {
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("a", 10, 5)).isZero();
        }
        long wait = limiter.tryAcquire("a", 10, 5);
        assertThat(wait).isEqualTo(100_000_000L);
        assertThat(limiter.isExhausted("a", 10, 5)).isTrue();
        now.addAndGet(wait);
        assertThat(limiter.isExhausted("a", 10, 5)).isFalse();
        assertThat(limiter.tryAcquire("a", 10, 5)).isZero();
        assertThat(limiter.tryAcquire("a", 10, 5)).isPositive();
    }

    /** Issue #12: with servers sharing the work, each takes its share of the rate and the burst (at least 1). */
    @Test
    void serversSharingADeploymentEachTakeTheirShare() {
        java.util.concurrent.atomic.AtomicInteger servers = new java.util.concurrent.atomic.AtomicInteger(2);
        limiter.shareAmong(servers::get);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("shared", 10, 10)).isZero();
        }
        assertThat(limiter.tryAcquire("shared", 10, 10)).as("half of the rate of 10: a token every 200 ms").isEqualTo(200_000_000L);
        servers.set(20);
        assertThat(limiter.tryAcquire("tiny", 10, 10)).as("a share never below 1").isZero();
        assertThat(limiter.tryAcquire("tiny", 10, 10)).isEqualTo(1_000_000_000L);
    }

    @Test
    void anExpensiveCallTakesItsCostAndWaitsForAllOfIt() {
        assertThat(limiter.tryAcquire("a", 10, 20, 10)).isZero();
        assertThat(limiter.tryAcquire("a", 10, 20, 10)).isZero();
        // Empty: the next heavy call waits for ten tokens (1 s at 10/s), a light one for one.
        assertThat(limiter.tryAcquire("a", 10, 20, 10)).isEqualTo(1_000_000_000L);
        assertThat(limiter.tryAcquire("a", 10, 20, 1)).isEqualTo(100_000_000L);
        now.addAndGet(500_000_000L);
        assertThat(limiter.tryAcquire("a", 10, 20, 1)).as("five tokens back, one taken").isZero();
        assertThat(limiter.tryAcquire("a", 10, 20, 10)).as("four left of ten").isEqualTo(600_000_000L);
        // A cost above the burst could never be met: it costs a full bucket instead.
        now.addAndGet(10_000_000_000L);
        assertThat(limiter.tryAcquire("b", 1, 3, 50)).isZero();
        assertThat(limiter.tryAcquire("b", 1, 3, 1)).isPositive();
    }

    @Test
    void bucketsAreIndependentAndNeverHoldMoreThanTheBurst() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a", 1, 3);
        }
        assertThat(limiter.tryAcquire("a", 1, 3)).isPositive();
        assertThat(limiter.tryAcquire("b", 1, 3)).isZero();
        now.addAndGet(3_600_000_000_000L);
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += limiter.tryAcquire("a", 1, 3) == 0 ? 1 : 0;
        }
        assertThat(granted).isEqualTo(3);
        assertThat(limiter.isExhausted("never-seen", 1, 1)).isFalse();
    }

    /** Whatever the timing of the calls, no more are let through than the burst plus the rate times the time passed. */
    @Property(tries = 300)
    void neverMoreThanBurstPlusRateTimesElapsed(@ForAll @IntRange(min = 1, max = 1_000) int rate, @ForAll @IntRange(min = 1, max = 100) int burst,
                                                @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 50_000_000) Integer> gapsNanos) {
        AtomicLong clock = new AtomicLong(0);
        RateLimiter bucket = new RateLimiter(clock::get);
        long granted = 0;
        for (int gap : gapsNanos) {
            clock.addAndGet(gap);
            granted += bucket.tryAcquire("k", rate, burst) == 0 ? 1 : 0;
        }
        double allowed = burst + rate * (clock.get() / 1e9);
        assertThat((double) granted).isLessThanOrEqualTo(allowed + 1e-9);
    }
}
