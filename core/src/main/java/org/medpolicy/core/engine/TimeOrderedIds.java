package org.medpolicy.core.engine;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Ids of determinations, cases and reconsiderations: UUID version 7 (RFC 9562), a millisecond
 * timestamp then 74 random bits. Time-ordered ids keep a store's index append-mostly.
 *
 * <p>Why the random bits come from a CSPRNG: an id is what a caller names to read something back,
 * and a tester predicted 37 of 39 later ids' random bits from earlier ones when they came from
 * {@code ThreadLocalRandom}. Access is checked on every read, but an id that cannot be guessed is
 * the second lock. Why one DRBG per thread: {@code UUID.randomUUID()} shares one
 * {@code SecureRandom}, whose lock every request thread would queue on as cores are added; a
 * per-thread NIST SP 800-90A DRBG, seeded from the operating system, is as strong and shares
 * nothing. On this 2-core machine the two cost about the same, some 0.5 µs an id
 * ({@code IdBenchmark} in {@code bench/}, BENCHMARKS.md). Thread-safe.
 */
public final class TimeOrderedIds {

    /** Which ids an engine makes: unguessable ones (the server's) or fast ones (batch work); see {@link #next} and {@link #fast}. */
    public enum Kind implements java.util.function.LongFunction<String> {
        UNGUESSABLE {
            @Override
            public String apply(long epochMillis) {
                return next(epochMillis);
            }
        },
        FAST {
            @Override
            public String apply(long epochMillis) {
                return fast(epochMillis);
            }
        }
    }

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(TimeOrderedIds::newRandom);

    private TimeOrderedIds() {
    }

    /**
     * An id whose random bits need not be unguessable, for determinations nobody reads back by id
     * (batch screening, Spark, policy-impact analysis). The DRBG's bits are most of the cost of a
     * decision ({@code EngineBenchmark.decideMix} median 230 ns without, about 700 ns with), not
     * to be spent where they protect nothing.
     */
    public static String fast(long epochMillis) {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long most = (epochMillis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    public static String next(long epochMillis) {
        byte[] bytes = new byte[10];
        RANDOM.get().nextBytes(bytes);
        long randomA = ((bytes[0] & 0xFFL) << 8 | (bytes[1] & 0xFFL)) & 0x0FFFL;
        long randomB = 0;
        for (int i = 2; i < 10; i++) {
            randomB = randomB << 8 | (bytes[i] & 0xFFL);
        }
        long most = (epochMillis << 16) | 0x7000L | randomA;
        long least = (randomB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
