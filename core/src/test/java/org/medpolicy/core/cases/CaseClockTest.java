package org.medpolicy.core.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medpolicy.core.TestPolicies;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLoader;

/**
 * The regulatory clock, case by case: calendar days end at the same local time in the plan's zone
 * (across daylight-saving changes, month ends and leap days); hours are exact; the rules in effect
 * on the day of receipt apply (14 days before 2026, 7 from 2026). Every row is checked twice: the
 * case clock's due time, and the {@code decisionDueBy} of the engine's determination for the same
 * request (one rule for each deadline).
 */
class CaseClockTest {

    static final CoverageEngine ENGINE = CoverageEngines.create(PolicyLoader.load(Path.of("..", "policies")),
            Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC), ZoneId.of("America/New_York"));
    /** The case clock on the engine's rule: one rule for each deadline. */
    static final CaseClock CLOCK = new CaseClock(ENGINE.regulatoryClock());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what                                     | received              | expedited | Part B | due
            "standard, ordinary week                    | 2026-06-10T14:00:00Z | false | false | 2026-06-17T14:00:00Z",
            "standard across spring forward (167 h)     | 2026-03-05T15:00:00Z | false | false | 2026-03-12T14:00:00Z",
            "standard across fall back (169 h)          | 2026-10-30T14:00:00Z | false | false | 2026-11-06T15:00:00Z",
            "standard across a month end                | 2026-01-28T17:00:00Z | false | false | 2026-02-04T17:00:00Z",
            "standard across a leap day                 | 2028-02-25T12:00:00Z | false | false | 2028-03-03T12:00:00Z",
            "standard across a year end                 | 2026-12-29T20:00:00Z | false | false | 2027-01-05T20:00:00Z",
            "standard received in 2025: 14 days         | 2025-12-20T15:00:00Z | false | false | 2026-01-03T15:00:00Z",
            "standard, late evening local (next UTC day) | 2026-03-06T03:30:00Z | false | false | 2026-03-13T02:30:00Z",
            "expedited: 72 exact hours across DST       | 2026-03-07T12:00:00Z | true  | false | 2026-03-10T12:00:00Z",
            "Part B drug, standard: 72 hours            | 2026-06-10T14:00:00Z | false | true  | 2026-06-13T14:00:00Z",
            "Part B drug, expedited: 24 hours           | 2026-11-01T05:30:00Z | true  | true  | 2026-11-02T05:30:00Z"})
    void dueTimes(String what, Instant received, boolean expedited, boolean partBDrug, Instant due) {
        assertThat(CLOCK.dueAt(received, expedited, partBDrug)).isEqualTo(due);
        // The determination a provider receives for the same request says the same instant.
        ObjectNode overrides = TestPolicies.JSON.createObjectNode();
        overrides.put("receivedAt", received.toString());
        overrides.put("urgency", expedited ? "EXPEDITED" : "STANDARD");
        overrides.putArray("items").addObject().put(partBDrug ? "product" : "therapy", partBDrug ? "Kymriah" : "TUMOR_INFILTRATING_LYMPHOCYTES");
        var assessment = ENGINE.assess(TestPolicies.read(TestPolicies.request(overrides)));
        assertThat(assessment.partBDrug()).isEqualTo(partBDrug);
        assertThat(assessment.determination().decisionDueBy()).isEqualTo(due);
    }

    @ParameterizedTest(name = "{0} + {1} days")
    @CsvSource({
            "2026-03-05T15:00:00Z, 14, 2026-03-19T14:00:00Z",
            "2026-02-20T17:00:00Z, 14, 2026-03-06T17:00:00Z",
            "2028-02-22T12:00:00Z, 7, 2028-02-29T12:00:00Z",
            "2026-10-25T14:00:00Z, 14, 2026-11-08T15:00:00Z"})
    void extensionsAreCalendarDays(Instant due, int days, Instant extended) {
        assertThat(CLOCK.extend(due, days)).isEqualTo(extended);
    }

    @ParameterizedTest
    @CsvSource({"false, 14", "true, 0"})
    void partBDrugsCannotBeExtended(boolean partBDrug, int days) {
        assertThat(CLOCK.maxExtensionDays(Instant.parse("2026-06-10T14:00:00Z"), partBDrug)).isEqualTo(days);
    }

    @ParameterizedTest(name = "{0}: overdue {3}, within 24 h {4}")
    @CsvSource({
            "RECOMMENDED, 2026-06-17T14:00:00Z, 2026-06-17T14:00:01Z, true, false",
            "RECOMMENDED, 2026-06-17T14:00:00Z, 2026-06-17T14:00:00Z, false, true",
            "PENDED, 2026-06-17T14:00:00Z, 2026-06-16T14:00:01Z, false, true",
            "RECEIVED, 2026-06-17T14:00:00Z, 2026-06-16T14:00:00Z, false, false",
            "DECIDED, 2026-06-17T14:00:00Z, 2026-06-20T00:00:00Z, false, false",
            "WITHDRAWN, 2026-06-17T14:00:00Z, 2026-06-17T13:00:00Z, false, false"})
    void flags(CaseState state, Instant due, Instant now, boolean overdue, boolean within24Hours) {
        ReviewCase reviewCase = new ReviewCase("c", state, Instant.parse("2026-06-10T14:00:00Z"), false, false, false, due, due, null,
                null, new Contact("n", "a", null, null), null, null, null, null, "u", 1);
        assertThat(CLOCK.isOverdue(reviewCase, now)).isEqualTo(overdue);
        assertThat(CLOCK.isDueWithin24Hours(reviewCase, now)).isEqualTo(within24Hours);
    }
}
