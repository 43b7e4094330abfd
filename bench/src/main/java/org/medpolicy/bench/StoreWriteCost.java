package org.medpolicy.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What one store charges, in the writer's own CPU, to insert a decision-log row: rows of the log's
 * shape and size (a 0.9 KB request, a 2 KB response, the same columns, the primary key and the
 * random {@code request_id} index), inserted by one thread in batches of {@code batch} rows a
 * commit, as the server's group-commit writer does. It prints the writer thread's CPU and wall
 * time per row and the bytes it allocated per row, measured after the first quarter of the rows
 * (warm-up), and the file's size against the bytes of data inserted.
 *
 * <p>Why a harness of its own rather than {@link DecisionLogLoad}: this one compares candidate
 * stores for issue #12's embedded default (H2 as the server opens it, SQLite in WAL mode) on the
 * same rows without medpolicy's code on either side, so the difference is the store's. It counts
 * neither housekeeping nor garbage collection, which {@code bench/load.sh} does.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.medpolicy.bench.StoreWriteCost "jdbc:h2:file:/tmp/h2/db;WRITE_DELAY=0" 200000 16
 * java -cp bench/target/benchmarks.jar org.medpolicy.bench.StoreWriteCost "jdbc:sqlite:/tmp/sqlite/db" 200000 16 synchronous=FULL,page_size=4096
 * </pre>
 * The optional fourth argument is SQLite pragmas, comma-separated, run before WAL mode is set
 * ({@code synchronous=FULL} when none is given: a sync per commit; NORMAL in WAL mode survives a
 * killed process but not a power cut, as H2 with {@code WRITE_DELAY=0} does).
 */
public final class StoreWriteCost {

    private static final byte[] REQUEST = filled(900, 'q');
    private static final byte[] RESPONSE = filled(2_000, 'r');
    private static final String CHANNEL = "API";
    private static final String POLICY = "cell-and-gene-therapy";
    private static final String ENGINE = "0.1.0";
    private static final String STATUS = "APPROVED";
    private static final String MEMBER_KEY = "hmac-sha256:0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String POLICY_SET = "sha256:0123456789abcdef0123456789abcdef";
    private static final String MADE_BY = "client:bench";
    /** The bytes of every row's fixed values: texts and documents as their length, the timestamp as 8 and the date as 4. */
    private static final int FIXED_BYTES = CHANNEL.length() + POLICY.length() + ENGINE.length() + STATUS.length() + MEMBER_KEY.length()
            + POLICY_SET.length() + MADE_BY.length() + REQUEST.length + RESPONSE.length + 8 + 4;

    private StoreWriteCost() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 3) {
            System.err.println("usage: StoreWriteCost JDBC_URL ROWS BATCH [SQLITE_SYNCHRONOUS]");
            System.exit(2);
        }
        String url = args[0];
        int rows = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        try (Connection connection = DriverManager.getConnection(url)) {
            createTable(connection, sqlite, args.length > 3 ? args[3] : "synchronous=FULL");
            connection.setAutoCommit(false);
            Result result = insert(connection, sqlite, rows, batch);
            System.out.printf("%s, batch %d, %,d rows: writer CPU %.1f us a row (user %.1f), wall %.1f us a row, allocated %.1f KB a row;"
                    + " data %,d bytes%n", url, batch, rows, result.cpuNanos() / 1e3 / result.rows(), result.userNanos() / 1e3 / result.rows(),
                    result.wallNanos() / 1e3 / result.rows(),
                    result.allocatedBytes() / 1024.0 / result.rows(), result.dataBytes());
        }
    }

    private record Result(int rows, long cpuNanos, long userNanos, long wallNanos, long allocatedBytes, long dataBytes) {
    }

    private static void createTable(Connection connection, boolean sqlite, String pragmas) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (sqlite) {
                for (String pragma : pragmas.split(",")) {
                    statement.execute("PRAGMA " + pragma.strip());
                }
                statement.execute("PRAGMA journal_mode=WAL");
            }
            String binary = sqlite ? "BLOB" : "VARBINARY";
            statement.execute("CREATE TABLE determination_log (determination_id VARCHAR(36) NOT NULL PRIMARY KEY,"
                    + " request_id VARCHAR(64), channel VARCHAR(32) NOT NULL, decided_at " + (sqlite ? "TEXT" : "TIMESTAMP WITH TIME ZONE")
                    + " NOT NULL, policy_id VARCHAR(128) NOT NULL, policy_version DATE NOT NULL, engine_version VARCHAR(64) NOT NULL,"
                    + " status VARCHAR(32) NOT NULL, member_key VARCHAR(80), request_json " + binary + " NOT NULL, response_json "
                    + binary + " NOT NULL, policy_set VARCHAR(80), made_by VARCHAR(100))");
            statement.execute("CREATE INDEX determination_log_request_id ON determination_log (request_id)");
        }
    }

    private static Result insert(Connection connection, boolean sqlite, int rows, int batch) throws SQLException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int warmUp = rows / 4;
        long cpuStart = 0;
        long userStart = 0;
        long wallStart = 0;
        long allocatedStart = 0;
        long dataBytes = 0;
        long sequence = 0;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO determination_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int done = 0; done < rows; done += batch) {
                if (done >= warmUp && wallStart == 0) {
                    cpuStart = threads.getCurrentThreadCpuTime();
                    userStart = threads.getCurrentThreadUserTime();
                    allocatedStart = threads.getThreadAllocatedBytes(thread);
                    wallStart = System.nanoTime();
                }
                for (int i = 0; i < batch; i++) {
                    long now = System.currentTimeMillis();
                    // Time-ordered ids, as the server's UUIDv7 are: the primary key is appended to, not written all over.
                    String id = new UUID(now << 16 | 0x7000 | (sequence++ & 0xfff), ThreadLocalRandom.current().nextLong()).toString();
                    String requestId = "LOAD-" + ThreadLocalRandom.current().nextInt(1_000_000_000);
                    insert.setString(1, id);
                    insert.setString(2, requestId);
                    insert.setString(3, CHANNEL);
                    if (sqlite) {
                        insert.setString(4, Instant.ofEpochMilli(now).toString());
                        insert.setString(6, "2026-12-01");
                    } else {
                        insert.setObject(4, OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC));
                        insert.setObject(6, LocalDate.of(2026, 12, 1));
                    }
                    insert.setString(5, POLICY);
                    insert.setString(7, ENGINE);
                    insert.setString(8, STATUS);
                    insert.setString(9, MEMBER_KEY);
                    insert.setBytes(10, REQUEST);
                    insert.setBytes(11, RESPONSE);
                    insert.setString(12, POLICY_SET);
                    insert.setString(13, MADE_BY);
                    insert.addBatch();
                    dataBytes += id.length() + requestId.length() + FIXED_BYTES;
                }
                insert.executeBatch();
                connection.commit();
            }
        }
        return new Result(rows - warmUp, threads.getCurrentThreadCpuTime() - cpuStart, threads.getCurrentThreadUserTime() - userStart,
                System.nanoTime() - wallStart,
                threads.getThreadAllocatedBytes(thread) - allocatedStart, dataBytes);
    }

    private static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
