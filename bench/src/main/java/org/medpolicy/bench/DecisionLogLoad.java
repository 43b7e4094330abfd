package org.medpolicy.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.medpolicy.core.engine.TimeOrderedIds;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;

/**
 * The decision log alone under load, without HTTP: {@code threads} callers append records of the
 * server's size (a 0.3 KB request, a 3 KB response with non-ASCII text) as fast as the log commits
 * them. Request ids are random, as callers' are, so the request-id index is written all over.
 * Every 5 s it prints the rows committed per second, the process CPU per row, the append latency
 * (p50, p99) and, for an H2 file, the file's size: that is how the growth of H2 files without
 * housekeeping was measured.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.medpolicy.bench.DecisionLogLoad jdbc:h2:file:/tmp/log 60 16</pre>
 */
public final class DecisionLogLoad {

    private DecisionLogLoad() {
    }

    /** Append latencies in 0.1 ms buckets up to 1 s, counted without locks; drained every window. */
    private static final class Latencies {
        private final AtomicLongArray buckets = new AtomicLongArray(10_001);

        void record(long nanos) {
            buckets.incrementAndGet((int) Math.min(10_000, nanos / 100_000));
        }

        long[] drain() {
            long[] counts = new long[buckets.length()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = buckets.getAndSet(i, 0);
            }
            return counts;
        }

        static double percentile(long[] counts, double fraction) {
            long total = Arrays.stream(counts).sum();
            long seen = 0;
            for (int i = 0; i < counts.length; i++) {
                seen += counts[i];
                if (seen >= Math.ceil(total * fraction) && total > 0) {
                    return (i + 1) / 10.0;
                }
            }
            return Double.NaN;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DecisionLogLoad JDBC_URL SECONDS THREADS");
            System.exit(2);
        }
        String url = args[0];
        int seconds = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Utf8Json request = Utf8Json.of("{\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\",\"dateOfService\":\"2026-12-01\","
                + "\"requester\":{\"role\":\"TREATING_PROVIDER\"},\"member\":{\"id\":\"hmac-sha256:00112233445566778899aabbccddeeff\"},"
                + "\"requestId\":\"LOAD-1\",\"items\":[{\"product\":\"Kymriah\"}]}");
        StringBuilder response = new StringBuilder("{\"status\":\"DENIED\",\"items\":[");
        while (response.length() < 3_000) {
            response.append("{\"explanation\":\"The policy does not cover \u201cthis\u201d item (\u00a7 2.1) in any setting.\"},");
        }
        Utf8Json responseJson = Utf8Json.of(response.append("{}]}").toString());
        Path file = url.startsWith("jdbc:h2:file:") ? Path.of(url.substring("jdbc:h2:file:".length()).split(";")[0] + ".mv.db") : null;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Database database = Database.open(url, System.getenv("MEDPOLICY_DB_USER"), System.getenv("MEDPOLICY_DB_PASSWORD"));
                JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            AtomicLong committed = new AtomicLong();
            Latencies latencies = new Latencies();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService callers = Executors.newFixedThreadPool(threads);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(callers.submit(() -> {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        String requestId = "LOAD-" + ThreadLocalRandom.current().nextInt(1_000_000);
                        log.append(new DecisionRecord(TimeOrderedIds.next(System.currentTimeMillis()), requestId, "API", Instant.now(),
                                "ma-immunological-cellular-gene-therapies", LocalDate.parse("2025-07-01"), "bench", "DENIED",
                                "hmac-sha256:00112233445566778899aabbccddeeff", request, responseJson, "bench", "client:bench"));
                        latencies.record(System.nanoTime() - started);
                        committed.incrementAndGet();
                    }
                    return null;
                }));
            }
            long before = 0;
            long cpuBefore = os.getProcessCpuTime();
            for (int at = 5; at <= seconds; at += 5) {
                Thread.sleep(5_000);
                long now = committed.get();
                long cpu = os.getProcessCpuTime();
                long rows = Math.max(1, now - before);
                long[] window = latencies.drain();
                System.out.printf("%4d s  %7.0f rows/s  %5.0f µs CPU/row  append p50 %5.1f p99 %5.1f ms%s%n", at, (now - before) / 5.0,
                        (cpu - cpuBefore) / 1_000.0 / rows, Latencies.percentile(window, 0.50), Latencies.percentile(window, 0.99),
                        file != null && Files.exists(file) ? String.format("  file %,d MB", Files.size(file) >> 20) : "");
                before = now;
                cpuBefore = cpu;
            }
            stop.set(true);
            callers.shutdown();
            callers.awaitTermination(30, TimeUnit.SECONDS);
            for (Future<?> caller : running) {
                caller.get();
            }
        }
    }
}
