package org.medpolicy.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Makes guessing passwords slow and keeps password checks from starving everything else.
 *
 * <p>Each account and each address may fail a few times for free ({@code accountFree},
 * {@code addressFree}); after that every further failure doubles the wait before the next attempt is
 * even checked (from {@code base}, at most {@code max}), and an attempt made during the wait is
 * answered with a 429 and the seconds left, at no cost: the hash is not computed. A success clears
 * the account's count. Counting by account defeats one guesser spread over many addresses; by
 * address, one guesser spread over many accounts.
 *
 * <p>Why bounded workers: a PBKDF2 check costs about a quarter of a second of CPU by design, so a
 * handful of parallel wrong sign-ins would otherwise take every core from the API's other callers.
 * At most {@code hashingSlots} checks run at once; a sign-in that cannot get a slot within a second
 * is answered "busy" rather than queued without bound.
 *
 * <p>The counts live in a {@link SignInFailures}: this process's memory, or the database every
 * server of a deployment shares. Thread-safe.
 */
public final class SignInThrottle {

    /** An attempt refused before it was checked: wait this long. */
    public static final class Throttled extends Exception {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds, String message) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** A check that does not throw on a wrong password but reports it (so the throttle can count it). */
    @FunctionalInterface
    public interface Check<T> {
        T run() throws AuthenticationException;
    }

    private final Clock clock;
    private final int accountFree;
    private final int addressFree;
    private final Duration base;
    private final Duration max;
    private final Semaphore hashing;
    private final SignInFailures failures;

    public SignInThrottle(Clock clock, int accountFree, int addressFree, Duration base, Duration max, int hashingSlots) {
        this(clock, accountFree, addressFree, base, max, hashingSlots, SignInFailures.inMemory());
    }

    public SignInThrottle(Clock clock, int accountFree, int addressFree, Duration base, Duration max, int hashingSlots,
                          SignInFailures failures) {
        this.failures = failures;
        this.clock = clock;
        this.accountFree = accountFree;
        this.addressFree = addressFree;
        this.base = base;
        this.max = max;
        this.hashing = new Semaphore(hashingSlots, true);
    }

    /**
     * 5 free failures per account, 20 per address (an IPv6 /64), then 1 s doubling to 15 minutes;
     * checks on half the cores at once (at least one), so wrong passwords can never take the whole
     * machine from the API's other callers; counted here.
     */
    public static SignInThrottle defaults(Clock clock) {
        return defaults(clock, SignInFailures.inMemory());
    }

    /** As {@link #defaults(Clock)}, counted in {@code failures} (a deployment's database). */
    public static SignInThrottle defaults(Clock clock, SignInFailures failures) {
        return new SignInThrottle(clock, 5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15),
                hashingSlots(Runtime.getRuntime().availableProcessors()), failures);
    }

    /** Half of {@code cores}, at least one: the password checks that may run at once. */
    static int hashingSlots(int cores) {
        return Math.max(1, cores / 2);
    }

    /**
     * Runs {@code check} for {@code username} from {@code address} unless either must wait; counts
     * a wrong password (the check's {@link AuthenticationException}, passed on) and clears the
     * account on success.
     */
    public <T> T attempt(String username, String address, Check<T> check) throws Throttled, AuthenticationException {
        String account = "account:" + User.canonicalName(username);
        String from = "address:" + addressKey(address);
        Instant now = clock.instant();
        long wait = Math.max(secondsLeft(account, now), secondsLeft(from, now));
        if (wait > 0) {
            throw new Throttled(wait, "Too many failed sign-ins; wait " + wait + " s before trying again.");
        }
        boolean slot;
        try {
            slot = hashing.tryAcquire(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slot = false;
        }
        if (!slot) {
            throw new Throttled(1, "Sign-in is busy; try again in a moment.");
        }
        try {
            T result = check.run();
            failures.clear(account);
            return result;
        } catch (AuthenticationException wrong) {
            // The wait counts from the answer, not from the start of the (deliberately slow) check.
            Instant answered = clock.instant();
            failed(account, accountFree, answered);
            failed(from, addressFree, answered);
            throw wrong;
        } finally {
            hashing.release();
        }
    }

    /**
     * What an address is counted as: an IPv4 address itself, an IPv6 address by its /64. One host
     * is routinely given a whole /64, so counting its addresses one by one would give a guesser
     * 2^64 fresh allowances. An address that is not a literal (it should always be one) counts as written.
     */
    static String addressKey(String address) {
        if (address == null) {
            return "";
        }
        // Jetty gives an IPv6 remote address in brackets ([2001:db8::1]); a zone (%eth0) names no other host.
        String literal = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        int zone = literal.indexOf('%');
        literal = zone < 0 ? literal : literal.substring(0, zone);
        // Only an IPv6 literal is parsed: getByName looks up anything that does not begin like one.
        if (literal.indexOf(':') < 0 || !literal.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*")) {
            return address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(literal).getAddress();   // a literal: no lookup
            if (bytes.length != 16) {
                return java.net.InetAddress.getByAddress(bytes).getHostAddress();   // ::ffff:a.b.c.d counts as a.b.c.d
            }
            return java.util.HexFormat.of().formatHex(bytes, 0, 8) + "/64";
        } catch (java.net.UnknownHostException notALiteral) {
            return address;
        }
    }

    private long secondsLeft(String key, Instant now) {
        SignInFailures.Counted known = failures.find(key);
        if (known == null || known.waitUntil() == null || !known.waitUntil().isAfter(now)) {
            return 0;
        }
        return Math.max(1, Duration.between(now, known.waitUntil()).toSeconds() + 1);
    }

    private void failed(String key, int free, Instant now) {
        failures.add(key, now, count -> {
            if (count <= free) {
                return null;
            }
            int doublings = Math.min(30, count - free - 1);
            Duration wait = base.multipliedBy(1L << doublings);
            return now.plus(wait.compareTo(max) > 0 ? max : wait);
        });
    }
}
