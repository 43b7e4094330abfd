package org.medpolicy.core.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CMS-0057-F metrics from a handful of decided cases whose numbers can be checked by hand. */
class PriorAuthorizationReportTest {

    static ReviewCase decided(boolean expedited, CaseOutcome outcome, long hours, boolean extended) {
        Instant received = Instant.parse("2026-05-01T12:00:00Z");
        return new ReviewCase("c-" + hours, CaseState.NOTIFIED, received, expedited, false, false, received, received,
                extended ? new CaseExtension(14, "records from a non-contract provider", "r", received) : null, null,
                new Contact("n", "a", null, null), null, outcome,
                new CaseDecision(outcome, outcome, null, "r", "p", received.plus(Duration.ofHours(hours))), received, "u", 5);
    }

    @Test
    void standardAndExpeditedApart() {
        PriorAuthorizationReport report = PriorAuthorizationReport.of(2026, List.of(
                decided(false, CaseOutcome.APPROVED, 24, false),
                decided(false, CaseOutcome.APPROVED, 48, true),
                decided(false, CaseOutcome.DENIED, 100, false),
                decided(false, CaseOutcome.PARTIALLY_APPROVED, 160, false),
                decided(true, CaseOutcome.APPROVED, 10, false),
                decided(true, CaseOutcome.DENIED, 30, false),
                decided(true, CaseOutcome.REFERRED, 5, false)));
        assertThat(report.standard().decided()).isEqualTo(4);
        assertThat(report.standard().approvedPercent()).isEqualTo(50.0);
        assertThat(report.standard().deniedPercent()).isEqualTo(50.0);
        assertThat(report.standard().approvedAfterExtensionPercent()).isEqualTo(25.0);
        assertThat(report.standard().averageDecisionHours()).isEqualTo(83.0);
        assertThat(report.standard().medianDecisionHours()).isEqualTo(74.0);
        assertThat(report.expedited().decided()).isEqualTo(2);
        assertThat(report.expedited().averageDecisionHours()).isEqualTo(20.0);
        assertThat(report.expedited().medianDecisionHours()).isEqualTo(20.0);
        assertThat(report.referred()).isEqualTo(1);
        assertThat(report.approvedAfterAppealPercent()).as("not known, so not reported as zero").isNull();
    }

    @Test
    void anEmptyYearHasNoPercentages() {
        PriorAuthorizationReport report = PriorAuthorizationReport.of(2025, List.of());
        assertThat(report.standard().decided()).isZero();
        assertThat(report.standard().approvedPercent()).isNull();
        assertThat(report.standard().medianDecisionHours()).isNull();
    }
}
