package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.cases.CaseDecision;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseExtension;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.cases.PriorAuthorizationRequest;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.log.PhiSeal;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationEvent;
import org.medpolicy.core.reconsideration.ReconsiderationState;
import org.medpolicy.core.reconsideration.RequestedBy;
import org.medpolicy.core.reconsideration.StoredDocument;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.Member;
import org.medpolicy.core.request.RequestItem;

/**
 * On H2 and on real PostgreSQL: a case, its history and notice, a PAS submission and a
 * reconsideration with its documents, each carrying a member's name, id, birth date and free text,
 * leave none of them in any column of any table; read back, every value is as written; a sealed
 * value copied to another row does not open, and a database opened with another key says which key
 * it needs.
 */
class SealedColumnsTest {

    static final String NAME = "Quillon Farthingale";
    static final String MEMBER_ID = "MQF-440021";
    static final String BIRTH = "1931-04-17";
    static final String FREE_TEXT = "Farthingale's daughter called about the melanoma";

    @TempDir
    static Path folder;

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void nothingThatNamesTheMemberIsStoredInClearAndEverythingReadsBackAsWritten(String kind) throws Exception {
        try (Database database = TestDatabases.open(kind, "sealed-" + kind, folder)) {
            JdbcCaseRepository cases = new JdbcCaseRepository(database, TestPhi.SEAL);
            ReviewCase received = withMember(CaseStoreTest.received("case-s", Instant.parse("2026-06-17T14:00:00Z")));
            CaseEvent receive = new CaseEvent("case-s", 1, received.receivedAt(), "ines", "RECEIVE", null, CaseState.RECEIVED,
                    "phoned in by " + NAME);
            cases.create(received, List.of(receive));
            Instant decidedAt = Instant.parse("2026-06-12T09:00:00Z");
            ReviewCase decided = new ReviewCase("case-s", CaseState.DECIDED, received.receivedAt(), false, false, false,
                    received.originalDueAt(), received.dueAt().plusSeconds(14 * 86_400),
                    new CaseExtension(14, "records from " + NAME + "'s oncologist", "rita", decidedAt),
                    received.request(), received.requester(), received.recommendation(), received.recommended(),
                    new CaseDecision(CaseOutcome.DENIED, CaseOutcome.DENIED, FREE_TEXT, "dr.paul", "dr.paul", decidedAt),
                    null, "ines", received.version() + 1);
            CaseEvent decide = new CaseEvent("case-s", 2, decidedAt, "dr.paul", "DECIDE", CaseState.RECEIVED, CaseState.DECIDED, FREE_TEXT);
            assertThat(cases.update(decided, received.version(), decide)).isTrue();
            byte[] notice = ("%PDF-1.7 Dear " + NAME).getBytes(StandardCharsets.UTF_8);
            cases.saveNotice("case-s", notice);

            JdbcPriorAuthorizationRequests pas = new JdbcPriorAuthorizationRequests(database, TestPhi.SEAL, TestPhi.HASHER);
            String bundle = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"text\":\""
                    + NAME + "\"}],\"birthDate\":\"" + BIRTH + "\"}}]}";
            pas.save(new PriorAuthorizationRequest("case-s", "gateway", "urn:claims|PA-1", "urn:members|" + MEMBER_ID, List.of(1),
                    bundle, "client:gateway", decidedAt));

            JdbcReconsiderationRepository appeals = new JdbcReconsiderationRepository(database, TestPhi.SEAL);
            Reconsideration filed = new Reconsideration("rec-s", "case-s", ReconsiderationState.IN_REVIEW, List.of(0),
                    new Reconsideration.Requester(RequestedBy.MEMBER, NAME), false, false, FREE_TEXT,
                    new Reconsideration.Filing(LocalDate.parse("2026-06-13"), false, null), decidedAt, decidedAt.plusSeconds(30 * 86_400),
                    decidedAt.plusSeconds(30 * 86_400), null, decided.request(), decided.recommendation(), null, null, null, null, null,
                    List.of(), "ines", 1);
            ReconsiderationEvent file = new ReconsiderationEvent("rec-s", 1, decidedAt, "ines", "FILE", null,
                    ReconsiderationState.IN_REVIEW, "by " + NAME);
            assertThat(appeals.create(filed, List.of(file), 0)).isTrue();
            Reconsideration noted = new Reconsideration("rec-s", "case-s", ReconsiderationState.IN_REVIEW, filed.items(), filed.requester(),
                    false, false, filed.reason(), filed.filing(), filed.receivedAt(), filed.originalDueAt(), filed.dueAt(), null,
                    filed.request(), filed.recommendation(), null, null, null, null, null, List.of(), "ines", 2);
            ReconsiderationEvent note = new ReconsiderationEvent("rec-s", 2, decidedAt, "ines", "NOTE", ReconsiderationState.IN_REVIEW,
                    ReconsiderationState.IN_REVIEW, FREE_TEXT);
            StoredDocument caseFile = new StoredDocument(StoredDocument.CASE_FILE_BUNDLE, "application/json", bundle.getBytes(StandardCharsets.UTF_8));
            assertThat(appeals.update(noted, 1, note, List.of(caseFile))).isTrue();

            String everything = everyValue(database);
            assertThat(everything).as("what a copy of the database holds").contains("mp1." + TestPhi.SEAL.keyId() + ".")
                    .doesNotContain("Quillon").doesNotContain("Farthingale").doesNotContain(MEMBER_ID).doesNotContain(BIRTH)
                    .doesNotContain("melanoma").doesNotContain("%PDF");
            assertThat(everything).as("what the queue, the clock and the report select on").contains("DECIDED").contains("IN_REVIEW")
                    .contains("case-s");

            assertThat(cases.find("case-s")).contains(decided);
            assertThat(cases.history("case-s")).containsExactly(receive, decide);
            assertThat(cases.notice("case-s")).hasValueSatisfying(pdf -> assertThat(pdf).isEqualTo(notice));
            assertThat(pas.find("gateway", "urn:claims|PA-1", "urn:members|" + MEMBER_ID)).map(PriorAuthorizationRequest::requestBundleJson)
                    .contains(bundle);
            assertThat(pas.latestFor("case-s")).map(PriorAuthorizationRequest::patientKey)
                    .contains(TestPhi.HASHER.hash("urn:members|" + MEMBER_ID));
            assertThat(appeals.find("rec-s")).contains(noted);
            assertThat(appeals.history("rec-s")).containsExactly(file, note);
            assertThat(appeals.document("rec-s", StoredDocument.CASE_FILE_BUNDLE)).hasValueSatisfying(
                    document -> assertThat(document.body()).isEqualTo(caseFile.body()));

            // A sealed rationale copied onto another case's row does not open there.
            cases.create(CaseStoreTest.received("case-t", Instant.parse("2026-06-17T14:00:00Z")).withState(CaseState.DECIDED), List.of());
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE review_case SET request_json = (SELECT request_json FROM review_case WHERE case_id = 'case-s') "
                        + "WHERE case_id = 'case-t'");
            }
            assertThatThrownBy(() -> cases.find("case-t")).isInstanceOf(PhiSeal.SealException.class)
                    .hasMessageContaining("review_case|case-t|request_json").hasMessageContaining("moved from another record");

            PhiSeal other = new PhiSeal("another-deployment's-32-byte-key".getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> new JdbcCaseRepository(database, other).find("case-s")).hasStackTraceContaining(
                    "sealed with PHI key " + TestPhi.SEAL.keyId());
            PhiSeal rotated = new PhiSeal("another-deployment's-32-byte-key".getBytes(StandardCharsets.US_ASCII),
                    List.of("store-tests-phi-key-of-32-bytes!".getBytes(StandardCharsets.US_ASCII)));
            assertThat(new JdbcCaseRepository(database, rotated).find("case-s")).as("a rotated ring still opens the old key's values")
                    .contains(decided);
        }
    }

    /** The case received, its member with a name and an id, and one item's free text. */
    private static ReviewCase withMember(ReviewCase c) {
        CoverageRequest r = c.request();
        List<RequestItem> items = new ArrayList<>(r.items());
        RequestItem first = items.get(0);
        items.set(0, new RequestItem(first.code(), first.therapy(), first.product(), FREE_TEXT, first.diagnoses(), first.units(),
                first.answers()));
        CoverageRequest request = new CoverageRequest(r.requestId(), r.kind(), r.lineOfBusiness(), r.dateOfService(), r.receivedAt(),
                r.urgency(), r.requester(), new Member(MEMBER_ID, NAME, "OR"), items);
        return new ReviewCase(c.caseId(), CaseState.RECEIVED, c.receivedAt(), c.expedited(), c.expeditedByPhysician(), c.partBDrug(),
                c.originalDueAt(), c.dueAt(), null, request, new Contact(NAME, "12 Elm St", "503-555-0100", null), c.recommendation(),
                c.recommended(), null, null, c.createdBy(), 1);
    }

    /** Every value of every column of every table, as the database holds it (bytes read as UTF-8). */
    static String everyValue(Database database) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection connection = database.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet found = meta.getTables(null, null, "%", new String[] {"TABLE", "BASE TABLE"})) {
                while (found.next()) {
                    String schema = found.getString("TABLE_SCHEM");
                    if (schema != null && (schema.equalsIgnoreCase("public"))) {
                        tables.add(found.getString("TABLE_NAME"));
                    }
                }
            }
            assertThat(tables).as("tables found").hasSizeGreaterThan(10);
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    try (ResultSet rows = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                        int columns = rows.getMetaData().getColumnCount();
                        while (rows.next()) {
                            for (int i = 1; i <= columns; i++) {
                                int type = rows.getMetaData().getColumnType(i);
                                boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                                        || type == Types.BLOB;
                                byte[] bytes = binary ? rows.getBytes(i) : null;
                                out.append(binary ? (bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8)) : rows.getString(i))
                                        .append('|');
                            }
                            out.append('\n');
                        }
                    }
                }
            }
        }
        return out.toString();
    }
}
