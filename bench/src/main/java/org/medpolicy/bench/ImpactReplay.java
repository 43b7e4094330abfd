package org.medpolicy.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.medpolicy.core.application.PolicyImpact;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;

/**
 * How fast {@code medpolicy policy impact} replays a decision log: fills a log with {@code rows}
 * logged requests (six kinds the seed decides differently, about 0.3 KB each, spread over 2026),
 * then times reading the log alone and replaying it through the packaged policies and a candidate
 * (the same data without Ryoncil, so some answers change), with one worker per core. Prints rows per
 * second for each, and the transitions found.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.medpolicy.bench.ImpactReplay 1000000 "jdbc:h2:file:/tmp/impact/log"</pre>
 */
public final class ImpactReplay {

    private ImpactReplay() {
    }

    private static final String[] ITEMS = {
            "{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}",
            "{\"product\":\"Kymriah\"}",
            "{\"code\":{\"system\":\"CPT\",\"value\":\"36511\"}}",
            "{\"product\":\"Ryoncil\",\"therapy\":\"GENE_THERAPY\"}",
            "{\"code\":{\"system\":\"CPT\",\"value\":\"36511\"},\"description\":\"leukapheresis for CIK cell therapy\"}",
            "{\"code\":{\"system\":\"HCPCS\",\"value\":\"J3490\"},\"description\":\"Amtagvi (lifileucel) suspension\"}"};

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String url = args.length > 1 ? args[1] : "jdbc:h2:mem:impact;DB_CLOSE_DELAY=-1";
        PolicyLibrary live = PolicyLoader.loadBundled();
        PolicyLibrary candidate = withoutRyoncil();
        try (Database database = Database.open(url, System.getenv("MEDPOLICY_DB_USER"), System.getenv("MEDPOLICY_DB_PASSWORD"));
             JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            long filling = System.nanoTime();
            fill(database, rows);
            System.out.printf("filled %,d rows in %.1f s%n", rows, (System.nanoTime() - filling) / 1e9);

            Instant from = Instant.EPOCH;
            Instant to = Instant.parse("9999-01-01T00:00:00Z");
            AtomicLong read = new AtomicLong();
            long reading = System.nanoTime();
            log.forEachRequest(from, to, row -> read.incrementAndGet());
            double readSeconds = (System.nanoTime() - reading) / 1e9;
            System.out.printf("read only: %,d rows in %.1f s (%,.0f rows/s)%n", read.get(), readSeconds, read.get() / readSeconds);

            int workers = Runtime.getRuntime().availableProcessors();
            PolicyImpact impact = new PolicyImpact(live, candidate, ZoneOffset.UTC);
            long replaying = System.nanoTime();
            impact.replayAll(log, from, to, workers);
            double replaySeconds = (System.nanoTime() - replaying) / 1e9;
            var report = impact.report();
            System.out.printf("replayed by live and candidate on %d workers: %,d rows in %.1f s (%,.0f rows/s), %,d changed%n",
                    workers, report.get("determinations").asLong(), replaySeconds, report.get("determinations").asLong() / replaySeconds,
                    report.get("determinationsChanged").asLong());
            System.out.print(PolicyImpact.toText(report));
        }
    }

    /** Rows written straight to the table in batches: the log's own path commits one group at a time and would take minutes. */
    private static void fill(Database database, int rows) throws Exception {
        try (Connection connection = database.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            boolean bytes = database.url().startsWith("jdbc:h2:");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO determination_log (determination_id, request_id, "
                    + "channel, decided_at, policy_id, policy_version, engine_version, status, member_key, request_json, response_json, "
                    + "policy_set) VALUES (?, ?, 'API', ?, 'ma-immunological-cellular-gene-therapies', DATE '2025-07-01', 'bench', 'DENIED', "
                    + "'hmac-sha256:00', ?, ?, NULL)")) {
                Instant start = Instant.parse("2026-01-01T00:00:00Z");
                for (int i = 0; i < rows; i++) {
                    String request = "{\"requestId\":\"IMPACT-" + i + "\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                            + "\"dateOfService\":\"2026-12-15\",\"requester\":{\"role\":\"TREATING_PROVIDER\"},"
                            + "\"member\":{\"id\":\"hmac-sha256:00\"},\"items\":[" + ITEMS[i % ITEMS.length] + "]}";
                    insert.setString(1, String.format("%08x-0000-7000-8000-%012x", i, i));
                    insert.setString(2, "IMPACT-" + i);
                    insert.setObject(3, start.plusSeconds(i * 31L % 31_536_000L).atOffset(ZoneOffset.UTC));
                    if (bytes) {
                        insert.setBytes(4, request.getBytes(StandardCharsets.UTF_8));
                        insert.setBytes(5, "{}".getBytes(StandardCharsets.UTF_8));
                    } else {
                        insert.setString(4, request);
                        insert.setString(5, "{}");
                    }
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
                insert.executeBatch();
                connection.commit();
            }
        }
    }

    private static PolicyLibrary withoutRyoncil() throws Exception {
        Path folder = Files.createTempDirectory("impact-candidate");
        for (var file : PolicySet.bundled().files().entrySet()) {
            Path target = folder.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
        Path products = folder.resolve("reference/fda-approved-products.yaml");
        String text = Files.readString(products);
        Files.writeString(products, text.substring(0, text.indexOf("  - id: ryoncil\n")) + text.substring(text.indexOf("  - id: encelto\n")));
        return PolicyLoader.load(folder);
    }
}
