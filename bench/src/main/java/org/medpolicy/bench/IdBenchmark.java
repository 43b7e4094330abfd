package org.medpolicy.bench;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.medpolicy.core.engine.TimeOrderedIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an unguessable id costs: {@link TimeOrderedIds} (per-thread DRBG) against the
 * {@code ThreadLocalRandom} UUIDv7 it replaced and {@code UUID.randomUUID()} (one shared
 * {@code SecureRandom}), on two threads, as two request threads would call them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Threads(2)
public class IdBenchmark {

    @Benchmark
    public String timeOrderedDrbg() {
        return TimeOrderedIds.next(System.currentTimeMillis());
    }

    @Benchmark
    public String timeOrderedThreadLocalRandom() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    @Benchmark
    public String randomUuid() {
        return UUID.randomUUID().toString();
    }
}
