package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationEvent;
import org.medpolicy.core.reconsideration.ReconsiderationState;
import org.medpolicy.core.reconsideration.RequestedBy;
import org.medpolicy.core.reconsideration.StoredDocument;

/**
 * Reconsiderations on H2 and on real PostgreSQL: read back exactly as written, the filing count
 * check, the version check, documents with the change that made them, the queue, the deadline
 * sweep's query and the report's, and the append-only history and documents.
 */
class ReconsiderationStoreTest {

    @TempDir
    static Path folder;

    static Reconsideration filed(String id, String caseId, ReviewCase reviewCase, Instant received, Instant due) {
        return new Reconsideration(id, caseId, ReconsiderationState.IN_REVIEW, List.of(0, 1),
                new Reconsideration.Requester(RequestedBy.REPRESENTATIVE, "Sam Ünïcode"), false, false, "because",
                new Reconsideration.Filing(LocalDate.parse("2026-08-14"), false, null), received, due, due, null,
                reviewCase.request(), reviewCase.recommendation(), null, null, null, null, null, List.of(), "ines", 2);
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void reconsiderationsReadBackAsWrittenAndChangeOnceAtATime(String kind) throws Exception {
        try (Database database = TestDatabases.open(kind, "appeals-" + kind, folder)) {
            JdbcCaseRepository cases = new JdbcCaseRepository(database, TestPhi.SEAL);
            ReviewCase reviewCase = CaseStoreTest.received("case-r", Instant.parse("2026-06-17T14:00:00.123Z"));
            cases.create(reviewCase, List.of(new CaseEvent("case-r", 1, reviewCase.receivedAt(), "ines", "RECEIVE", null,
                    CaseState.RECEIVED, "standard")));
            JdbcReconsiderationRepository store = new JdbcReconsiderationRepository(database, TestPhi.SEAL);
            Instant received = Instant.parse("2026-06-20T10:00:00.456Z");
            Instant due = Instant.parse("2026-07-20T10:00:00.456Z");
            Reconsideration first = filed("rec-1", "case-r", reviewCase, received, due);
            List<ReconsiderationEvent> events = List.of(new ReconsiderationEvent("rec-1", 1, received, "ines", "FILE", null,
                    ReconsiderationState.IN_REVIEW, "standard"), new ReconsiderationEvent("rec-1", 2, received, "engine", "RECOMMEND",
                    ReconsiderationState.IN_REVIEW, ReconsiderationState.IN_REVIEW, "DENIED"));
            assertThat(store.create(first, events, 0)).isTrue();
            assertThat(store.create(filed("rec-2", "case-r", reviewCase, received, due), events.subList(0, 0), 0))
                    .as("the case has one reconsideration now, not none").isFalse();
            assertThat(store.find("rec-2")).isEmpty();
            assertThat(store.find("rec-1")).contains(first);
            assertThat(store.ofCase("case-r")).containsExactly(first);
            assertThat(store.openQueue(10)).containsExactly(first);
            assertThat(store.overdue(due.minusMillis(1), 10)).isEmpty();
            assertThat(store.overdue(due.plusMillis(1), 10)).containsExactly(first);

            Instant decided = Instant.parse("2026-06-25T09:00:00Z");
            var forwarded = new Reconsideration("rec-1", "case-r", ReconsiderationState.FORWARDED_TO_IRE, first.items(), first.requester(),
                    false, false, first.reason(), first.filing(), received, due, due, null, first.request(), first.recommendation(),
                    new Reconsideration.Decision(org.medpolicy.core.reconsideration.ReconsiderationOutcome.UPHELD, List.of(), "why",
                            "dr.quinn", "dr.quinn", decided), null,
                    new Reconsideration.IreForwarding(List.of(0, 1), decided, due, Reconsideration.ForwardReason.UPHELD, "dr.quinn"),
                    null, null, List.of(), "ines", 3);
            ReconsiderationEvent event = new ReconsiderationEvent("rec-1", 3, decided, "dr.quinn", "DECIDE_AND_FORWARD",
                    ReconsiderationState.IN_REVIEW, ReconsiderationState.FORWARDED_TO_IRE, "UPHELD");
            List<StoredDocument> file = List.of(new StoredDocument(StoredDocument.CASE_FILE_BUNDLE, "application/json", "{}".getBytes()),
                    new StoredDocument(StoredDocument.CASE_FILE_PDF, "application/pdf", new byte[] {37, 80, 68, 70}));
            assertThat(store.update(forwarded, 2, event, file)).isTrue();
            assertThat(store.update(forwarded, 2, event, file)).as("the version moved on").isFalse();
            assertThat(store.find("rec-1")).contains(forwarded);
            assertThat(store.document("rec-1", StoredDocument.CASE_FILE_PDF).orElseThrow().body()).containsExactly(37, 80, 68, 70);
            assertThat(store.history("rec-1")).extracting(ReconsiderationEvent::action).containsExactly("FILE", "RECOMMEND", "DECIDE_AND_FORWARD");
            assertThat(store.openQueue(10)).as("nothing left to do").isEmpty();
            assertThat(store.concludedIn(2026)).containsExactly(forwarded);
            assertThat(store.concludedIn(2025)).isEmpty();

            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("UPDATE reconsideration_event SET reason = 'x'")).as("history is append-only")
                        .hasMessageContaining("append-only");
                assertThatThrownBy(() -> statement.execute("DELETE FROM reconsideration_document")).as("documents are kept as sent")
                        .hasMessageContaining("append-only");
            }
        }
    }
}
