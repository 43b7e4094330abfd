package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Free failures, then doubling waits that refuse without checking; a success clears the account; per address too. */
class SignInThrottleTest {

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final MovableClock clock = new MovableClock();
    final SignInThrottle throttle = new SignInThrottle(clock, 3, 10, Duration.ofSeconds(1), Duration.ofMinutes(15), 2);
    final AtomicInteger checks = new AtomicInteger();

    String wrong() throws AuthenticationException {
        checks.incrementAndGet();
        throw AuthenticationException.invalid("The username or password is not right.");
    }

    @Test
    void afterTheFreeFailuresEachWaitDoublesAndRefusedAttemptsCostNothing() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.1", this::wrong)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.1", this::wrong)).isInstanceOf(AuthenticationException.class);
        int checked = checks.get();
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.2", this::wrong)).as("another address, the same account")
                .isInstanceOfSatisfying(SignInThrottle.Throttled.class, t -> assertThat(t.retryAfterSeconds()).isPositive());
        assertThat(checks.get()).as("a refused attempt computes no hash").isEqualTo(checked);
        clock.now = clock.now.plusSeconds(2);
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.1", this::wrong)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.1", this::wrong))
                .isInstanceOfSatisfying(SignInThrottle.Throttled.class, t -> assertThat(t.retryAfterSeconds()).isBetween(2L, 3L));
        clock.now = clock.now.plusSeconds(3);
        assertThat(throttle.attempt("ines", "10.0.0.1", () -> "signed in")).isEqualTo("signed in");
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.1", this::wrong)).as("a success clears the account")
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void oneAddressGuessingManyAccountsIsSlowedToo() throws Exception {
        for (int i = 0; i < 10; i++) {
            String account = "user" + i;
            assertThatThrownBy(() -> throttle.attempt(account, "203.0.113.9", this::wrong)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> throttle.attempt("user10", "203.0.113.9", this::wrong)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> throttle.attempt("user11", "203.0.113.9", this::wrong)).isInstanceOf(SignInThrottle.Throttled.class);
        assertThat(throttle.attempt("user11", "198.51.100.7", () -> "ok")).as("the accounts themselves are not locked").isEqualTo("ok");
    }

    @Test
    void theWaitIsCappedAtTheMaximum() throws Exception {
        SignInThrottle capped = new SignInThrottle(clock, 0, 100, Duration.ofSeconds(1), Duration.ofSeconds(5), 1);
        for (int i = 0; i < 10; i++) {
            clock.now = clock.now.plusSeconds(10);
            assertThatThrownBy(() -> capped.attempt("ada", "10.0.0.1", this::wrong)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> capped.attempt("ada", "10.0.0.1", this::wrong))
                .isInstanceOfSatisfying(SignInThrottle.Throttled.class, t -> assertThat(t.retryAfterSeconds()).isLessThanOrEqualTo(6));
    }

    @Test
    void anAccountIsCountedByTheNameItSignsInAsWhateverItsCaseOrSpacing() throws Exception {
        for (String typed : new String[] {"Ines", " ines", "INES "}) {
            assertThatThrownBy(() -> throttle.attempt(typed, "10.0.0.1", this::wrong)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> throttle.attempt("iNeS", "10.0.0.9", this::wrong)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> throttle.attempt("ines", "10.0.0.8", this::wrong)).as("the fourth failure set a wait for every spelling")
                .isInstanceOf(SignInThrottle.Throttled.class);
    }

    @Test
    void anIpv6HostIsCountedByItsSlash64() throws Exception {
        for (int i = 0; i < 11; i++) {
            String account = "user" + i;
            String address = "2001:db8:1:2::" + Integer.toHexString(i + 1);
            assertThatThrownBy(() -> throttle.attempt(account, address, this::wrong)).isInstanceOf(AuthenticationException.class);
        }
        assertThatThrownBy(() -> throttle.attempt("user11", "2001:db8:1:2:ffff::1", this::wrong)).as("the same /64")
                .isInstanceOf(SignInThrottle.Throttled.class);
        assertThat(throttle.attempt("user11", "2001:db8:1:3::1", () -> "ok")).as("the next /64").isEqualTo("ok");
        assertThat(SignInThrottle.addressKey("[2001:db8:1:2::1]")).as("as Jetty gives it").isEqualTo(SignInThrottle.addressKey("2001:db8:1:2::ff"));
        assertThat(SignInThrottle.addressKey("fe80::1%eth0")).isEqualTo(SignInThrottle.addressKey("fe80::2"));
        assertThat(SignInThrottle.addressKey(".::")).as("does not begin like a literal: never looked up").isEqualTo(".::");
        assertThat(SignInThrottle.addressKey("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(SignInThrottle.addressKey("203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(SignInThrottle.addressKey("not-an-address:80")).as("never looked up").isEqualTo("not-an-address:80");
    }

    @Test
    void passwordChecksRunOnHalfTheCoresAtMost() {
        assertThat(SignInThrottle.hashingSlots(1)).isEqualTo(1);
        assertThat(SignInThrottle.hashingSlots(2)).isEqualTo(1);
        assertThat(SignInThrottle.hashingSlots(8)).isEqualTo(4);
    }

    @Test
    void aCheckBeyondTheSlotsIsAnsweredBusyInsteadOfRunning() throws Exception {
        SignInThrottle oneSlot = new SignInThrottle(clock, 100, 100, Duration.ofSeconds(1), Duration.ofMinutes(15), 1);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread first = new Thread(() -> {
            try {
                oneSlot.attempt("ada", "10.0.0.1", () -> {
                    // Holds the slot until the test has tried a second check.
                    running.countDown();
                    awaitQuietly(release);
                    return "done";
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        first.start();
        running.await();
        try {
            assertThatThrownBy(() -> oneSlot.attempt("bob", "10.0.0.2", this::wrong)).as("the one slot is taken")
                    .isInstanceOf(SignInThrottle.Throttled.class).hasMessageContaining("busy");
            assertThat(checks.get()).as("the second check never ran").isZero();
        } finally {
            release.countDown();
            first.join();
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
