package org.medpolicy.core.reconsideration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.Confidence;
import org.medpolicy.core.policy.PolicyLoader;

/**
 * A reconsideration's clock, from the Medicare rules data and the engine's regulatory clock (one
 * rule): 30 calendar days standard and 72 hours expedited; Part B drugs 7 calendar days and 72
 * hours; the 65-day filing window from the date of the notice; forwarding, effectuation and IRE
 * effectuation deadlines; across both daylight-saving changes, month ends and year ends.
 */
class ReconsiderationClockTest {

    static final CoverageEngine ENGINE = CoverageEngines.create(PolicyLoader.load(Path.of("..", "policies")),
            Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC), ZoneId.of("America/New_York"));
    static final ReconsiderationClock CLOCK = new ReconsiderationClock(ENGINE.regulatoryClock(), ENGINE.library().medicareRules());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // what                                        | received             | expedited | Part B | due
            "standard, 30 calendar days                    | 2026-06-10T14:00:00Z | false | false | 2026-07-10T14:00:00Z",
            "standard across spring forward (719 h)        | 2026-02-20T15:00:00Z | false | false | 2026-03-22T14:00:00Z",
            "standard across fall back (721 h)             | 2026-10-20T14:00:00Z | false | false | 2026-11-19T15:00:00Z",
            "standard across a month end (February)        | 2027-02-10T17:00:00Z | false | false | 2027-03-12T17:00:00Z",
            "standard across a year end                    | 2026-12-15T20:00:00Z | false | false | 2027-01-14T20:00:00Z",
            "standard, late evening local (next UTC day)   | 2026-12-31T04:30:00Z | false | false | 2027-01-30T04:30:00Z",
            "expedited: 72 exact hours across spring fwd   | 2026-03-07T12:00:00Z | true  | false | 2026-03-10T12:00:00Z",
            "expedited: 72 exact hours across fall back    | 2026-10-31T12:00:00Z | true  | false | 2026-11-03T12:00:00Z",
            "Part B drug, standard: 7 calendar days        | 2026-03-05T15:00:00Z | false | true  | 2026-03-12T14:00:00Z",
            "Part B drug, expedited: 72 hours              | 2026-12-30T05:30:00Z | true  | true  | 2027-01-02T05:30:00Z"})
    void dueTimes(String what, Instant received, boolean expedited, boolean partBDrug, Instant due) {
        assertThat(CLOCK.dueAt(received, expedited, partBDrug)).isEqualTo(due);
    }

    @Test
    void oneExtensionOfFourteenDaysExceptForPartBDrugs() {
        Instant received = Instant.parse("2026-10-20T14:00:00Z");
        assertThat(CLOCK.maxExtensionDays(received, false)).isEqualTo(14);
        assertThat(CLOCK.maxExtensionDays(received, true)).isZero();
        assertThat(CLOCK.extend(Instant.parse("2026-10-30T14:00:00Z"), 14)).as("calendar days across fall back")
                .isEqualTo(Instant.parse("2026-11-13T15:00:00Z"));
    }

    @ParameterizedTest(name = "notice {0}")
    @CsvSource({
            // notice (UTC)            last day to ask (plan's zone)
            "2026-12-02T15:00:00Z,     2027-02-05",
            "2026-12-02T03:00:00Z,     2027-02-04",   // 22:00 on Dec 1 in New York
            "2026-10-28T12:00:00Z,     2027-01-01",
            "2024-12-20T12:00:00Z,     2025-02-18"})  // a notice before 2025: 60 days
    void theFilingWindowCountsFromTheDateOfTheNotice(Instant notice, LocalDate lastDay) {
        assertThat(CLOCK.filingDeadline(notice)).isEqualTo(lastDay);
        Instant endOfLastDay = lastDay.plusDays(1).atStartOfDay(ZoneId.of("America/New_York")).toInstant();
        assertThat(CLOCK.isLate(endOfLastDay.minusSeconds(1), lastDay)).isFalse();
        assertThat(CLOCK.isLate(endOfLastDay, lastDay)).isTrue();
    }

    @Test
    void forwardingAndEffectuationDeadlines() {
        Instant received = Instant.parse("2026-10-20T14:00:00Z");
        Reconsideration standard = reconsideration(received, false);
        Reconsideration expedited = reconsideration(received, true);
        Instant decided = Instant.parse("2026-10-22T09:00:00Z");
        assertThat(CLOCK.forwardingDue(standard, decided)).as("within the reconsideration timeframe").isEqualTo(standard.dueAt());
        assertThat(CLOCK.forwardingDue(expedited, decided)).as("24 hours after an expedited decision")
                .isEqualTo(Instant.parse("2026-10-23T09:00:00Z"));
        assertThat(CLOCK.effectuationDue(standard)).as("30 days from receipt, across fall back")
                .isEqualTo(Instant.parse("2026-11-19T15:00:00Z"));
        assertThat(CLOCK.effectuationDue(expedited)).isEqualTo(Instant.parse("2026-10-23T14:00:00Z"));
        Reconsideration partB = new Reconsideration("r", "c", ReconsiderationState.IN_REVIEW, List.of(0),
                new Reconsideration.Requester(RequestedBy.MEMBER, null), false, true, null, standard.filing(), received,
                CLOCK.dueAt(received, false, true), CLOCK.dueAt(received, false, true), null, null, null, null, null, null, null, null,
                List.of(), "ines", 1);
        assertThat(CLOCK.effectuationDue(partB)).as("a Part B drug: 7 days from receipt").isEqualTo(Instant.parse("2026-10-27T14:00:00Z"));
        Instant extendedDue = CLOCK.extend(standard.dueAt(), 14);
        Reconsideration extended = new Reconsideration("r", "c", ReconsiderationState.IN_REVIEW, List.of(0), standard.requester(), false,
                false, null, standard.filing(), received, standard.dueAt(), extendedDue,
                new org.medpolicy.core.cases.CaseExtension(14, "records", "rita", received), null, null, null, null, null, null, null,
                List.of(), "ines", 1);
        assertThat(CLOCK.effectuationDue(extended)).as("never before the extended deadline").isEqualTo(extendedDue);
        Instant ireNotice = Instant.parse("2026-11-01T04:00:00Z");
        assertThat(CLOCK.ireEffectuationDue(standard, ireNotice)).isEqualTo(Instant.parse("2026-11-04T04:00:00Z"));
        assertThat(CLOCK.ireEffectuationDue(expedited, ireNotice)).isEqualTo(Instant.parse("2026-11-02T04:00:00Z"));
    }

    @Test
    void everyRuleCarriesTheConfidenceOfItsSource() {
        var rules = CLOCK.rulesFor(Instant.parse("2026-12-01T00:00:00Z")).orElseThrow();
        assertThat(rules.timeframes().standardConfidence()).isEqualTo(Confidence.VERIFIED);
        assertThat(rules.timeframes().partBDrugConfidence()).as("facts.md marks it ⚠️").isEqualTo(Confidence.SECONDARY);
        assertThat(rules.physicianDecidesConfidence()).isEqualTo(Confidence.SECONDARY);
        assertThat(rules.whoMayRequest()).containsExactly("MEMBER", "REPRESENTATIVE", "PHYSICIAN");
        assertThat(rules.citations()).isNotEmpty().allSatisfy(citation -> assertThat(citation.quote()).isNotBlank());
    }

    static Reconsideration reconsideration(Instant received, boolean expedited) {
        Instant due = CLOCK.dueAt(received, expedited, false);
        return new Reconsideration("r", "c", ReconsiderationState.IN_REVIEW, List.of(0),
                new Reconsideration.Requester(RequestedBy.MEMBER, null), expedited, false, null,
                new Reconsideration.Filing(LocalDate.of(2026, 12, 1), false, null), received, due, due, null, null, null, null, null, null,
                null, null, List.of(), "ines", 1);
    }
}
