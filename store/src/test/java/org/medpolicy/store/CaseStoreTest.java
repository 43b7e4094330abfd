package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.cases.CaseDecision;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseExtension;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Passwords;
import org.medpolicy.security.User;

/** Cases, their history, notices, users and sessions on H2 and on real PostgreSQL. */
class CaseStoreTest {

    @TempDir
    static Path folder;

    private static Database open(String kind, String name) {
        return TestDatabases.open(kind, name, folder);
    }

    static final org.medpolicy.core.engine.CoverageEngine ENGINE = org.medpolicy.core.engine.CoverageEngines.create(
            org.medpolicy.core.policy.PolicyLoader.load(Path.of("..", "policies")), java.time.Clock.systemUTC());

    static ReviewCase received(String id, Instant due) {
        Instant at = Instant.parse("2026-06-10T14:00:00.123Z");
        var request = new org.medpolicy.core.request.CoverageRequest(id, org.medpolicy.core.request.RequestKind.PRE_SERVICE,
                "MEDICARE_ADVANTAGE", java.time.LocalDate.parse("2026-12-15"), at, org.medpolicy.core.request.Urgency.STANDARD,
                new org.medpolicy.core.request.Requester(org.medpolicy.core.request.RequesterRole.TREATING_PROVIDER, "NPI-1"),
                new org.medpolicy.core.request.Member("M1", "Zoë Ünïcode", "OR"),
                List.of(org.medpolicy.core.request.RequestItem.ofTherapy("TUMOR_INFILTRATING_LYMPHOCYTES"),
                        org.medpolicy.core.request.RequestItem.ofProduct("Kymriah").answered(java.util.Map.of("therapy", "CAR_T"))));
        return new ReviewCase(id, CaseState.RECOMMENDED, at, false, false, false, due, due, null,
                request, new Contact("Dr. A", "1 Way", "503", null), ENGINE.decide(request), CaseOutcome.DENIED, null, null, "ines", 2);
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void casesHistoryAndNotices(String kind) throws Exception {
        try (Database database = open(kind, "cases-" + kind)) {
            JdbcCaseRepository cases = new JdbcCaseRepository(database, TestPhi.SEAL);
            Instant due = Instant.parse("2026-06-17T14:00:00.123Z");
            ReviewCase first = received("case-1", due);
            cases.create(first, List.of(new CaseEvent("case-1", 1, first.receivedAt(), "ines", "RECEIVE", null, CaseState.RECEIVED, "standard"),
                    new CaseEvent("case-1", 2, first.receivedAt(), "engine", "RECOMMEND", CaseState.RECEIVED, CaseState.RECOMMENDED, "DENIED")));
            cases.create(received("case-2", due.minusSeconds(3600)), List.of(
                    new CaseEvent("case-2", 1, first.receivedAt(), "ines", "RECEIVE", null, CaseState.RECEIVED, null)));
            assertThat(cases.find("case-1")).contains(first);
            assertThat(cases.openQueue(10)).extracting(ReviewCase::caseId).containsExactly("case-2", "case-1");

            ReviewCase extended = first.withExtension(new CaseExtension(14, "records", "rita", Instant.parse("2026-06-11T10:00:00Z")),
                    due.plusSeconds(14 * 86_400));
            assertThat(cases.update(extended, 2, new CaseEvent("case-1", 3, Instant.now(), "rita", "EXTEND", CaseState.RECOMMENDED,
                    CaseState.RECOMMENDED, "14 days"))).isTrue();
            assertThat(cases.update(first.withState(CaseState.WITHDRAWN), 2, new CaseEvent("case-1", 3, Instant.now(), "ines", "WITHDRAW",
                    CaseState.RECOMMENDED, CaseState.WITHDRAWN, "stale"))).as("a stale version changes nothing").isFalse();
            assertThat(cases.find("case-1")).contains(extended);
            assertThat(cases.history("case-1")).extracting(CaseEvent::action).containsExactly("RECEIVE", "RECOMMEND", "EXTEND");

            Instant decidedAt = Instant.parse("2026-06-12T09:30:00Z");
            ReviewCase decided = extended.withDecision(new CaseDecision(CaseOutcome.DENIED, CaseOutcome.DENIED, null, "dr.paul", "dr.paul", decidedAt));
            assertThat(cases.update(decided, 3, new CaseEvent("case-1", 4, decidedAt, "dr.paul", "SIGN", CaseState.RECOMMENDED,
                    CaseState.DECIDED, "DENIED"))).isTrue();
            assertThat(cases.find("case-1")).contains(decided);
            assertThat(cases.decidedIn(2026)).extracting(ReviewCase::caseId).containsExactly("case-1");
            assertThat(cases.decidedIn(2025)).isEmpty();
            assertThat(cases.openQueue(10)).extracting(ReviewCase::caseId).containsExactly("case-2");

            byte[] pdf = {'%', 'P', 'D', 'F', 0, (byte) 0xff};
            cases.saveNotice("case-1", pdf);
            assertThat(cases.notice("case-1")).hasValueSatisfying(stored -> assertThat(stored).isEqualTo(pdf));
            assertThat(cases.notice("case-2")).isEmpty();
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("UPDATE case_event SET actor = 'someone else'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void usersAndSessions(String kind) {
        try (Database database = open(kind, "users-" + kind)) {
            JdbcUserDirectory users = new JdbcUserDirectory(database);
            User user = new User("dr.paul", "Dr. Paul", Set.of(Role.PHYSICIAN, Role.REVIEWER), Passwords.hash("a long password!".toCharArray()),
                    Instant.parse("2026-01-01T00:00:00Z"), null);
            users.add(user);
            assertThat(users.find("dr.paul")).contains(user);
            assertThatThrownBy(() -> users.add(user)).isInstanceOf(IllegalArgumentException.class);
            Instant now = Instant.parse("2026-06-01T00:00:00Z");
            users.saveSession("hash-1", "dr.paul", "csrf", now, now.plusSeconds(3600));
            assertThat(users.findSession("hash-1")).hasValueSatisfying(session -> assertThat(session.username()).isEqualTo("dr.paul"));
            assertThat(users.disable("dr.paul", now)).isTrue();
            assertThat(users.findSession("hash-1")).as("disabling ends sessions").isEmpty();
            assertThat(users.disable("dr.paul", now)).isFalse();
            assertThat(users.list()).singleElement().satisfies(u -> assertThat(u.isDisabled()).isTrue());
        }
    }
}
