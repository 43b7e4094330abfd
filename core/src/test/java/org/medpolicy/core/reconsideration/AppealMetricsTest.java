package org.medpolicy.core.reconsideration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.cases.PriorAuthorizationReport;

/** "Approved after appeal" and the reconsideration counts, from concluded reconsiderations. */
class AppealMetricsTest {

    static final Instant RECEIVED = Instant.parse("2026-10-20T14:00:00Z");

    @Test
    void approvedAfterAppealCountsPlanReversalsAndIreOverturnsOfTheAppealsThatWereNotDismissed() {
        Reconsideration reversed = decided(ReconsiderationOutcome.REVERSED, List.of(0), false, Duration.ofDays(3));
        Reconsideration upheldThenOverturned = overturned(decided(ReconsiderationOutcome.UPHELD, List.of(), false, Duration.ofDays(31)));
        Reconsideration partly = decided(ReconsiderationOutcome.PARTLY_REVERSED, List.of(0), true, Duration.ofHours(10));
        Reconsideration missed = base(false).withForwarding(new Reconsideration.IreForwarding(List.of(0, 1), RECEIVED.plus(Duration.ofDays(31)),
                RECEIVED.plus(Duration.ofDays(31)), Reconsideration.ForwardReason.DEADLINE_MISSED, "engine"));
        Reconsideration dismissed = base(false).withDismissal(new Reconsideration.Dismissal(DismissalReason.WITHDRAWN, "asked", "ines",
                RECEIVED.plusSeconds(60)));

        PriorAuthorizationReport.Appeals appeals = AppealMetrics.of(List.of(reversed, upheldThenOverturned, partly, missed, dismissed));
        assertThat(appeals.concluded()).isEqualTo(5);
        assertThat(appeals.reversed()).isEqualTo(1);
        assertThat(appeals.upheld()).isEqualTo(1);
        assertThat(appeals.partlyReversed()).isEqualTo(1);
        assertThat(appeals.deadlineMissed()).isEqualTo(1);
        assertThat(appeals.dismissed()).isEqualTo(1);
        assertThat(appeals.forwardedToIre()).as("upheld, partly reversed, missed").isEqualTo(3);
        assertThat(appeals.ireOverturned()).isEqualTo(1);
        assertThat(appeals.approvedAfterAppealPercent()).as("2 of 4 appeals").isEqualTo(50.0);
        assertThat(appeals.onTimeStandardPercent()).as("reversed on time; upheld late; missed late").isEqualTo(33.33);
        assertThat(appeals.onTimeExpeditedPercent()).isEqualTo(100.0);
        assertThat(PriorAuthorizationReport.of(2026, List.of(), appeals).approvedAfterAppealPercent()).isEqualTo(50.0);
    }

    @Test
    void noAppealsIsNullNeverZero() {
        PriorAuthorizationReport.Appeals none = AppealMetrics.of(List.of());
        assertThat(none.approvedAfterAppealPercent()).isNull();
        assertThat(none.onTimeStandardPercent()).isNull();
        assertThat(PriorAuthorizationReport.of(2026, List.of(), none).approvedAfterAppealPercent()).isNull();
    }

    static Reconsideration base(boolean expedited) {
        return ReconsiderationClockTest.reconsideration(RECEIVED, expedited);
    }

    static Reconsideration decided(ReconsiderationOutcome outcome, List<Integer> reversed, boolean expedited, Duration after) {
        Reconsideration open = base(expedited);
        Instant at = RECEIVED.plus(after);
        var decision = new Reconsideration.Decision(outcome, reversed, "why", "dr.quinn", "dr.quinn", at);
        var forwarding = outcome == ReconsiderationOutcome.REVERSED ? null
                : new Reconsideration.IreForwarding(List.of(0), at, at, Reconsideration.ForwardReason.UPHELD, "dr.quinn");
        return open.withDecision(forwarding == null ? ReconsiderationState.DECIDED : ReconsiderationState.FORWARDED_TO_IRE, decision,
                null, forwarding);
    }

    static Reconsideration overturned(Reconsideration forwarded) {
        return forwarded.withIreDecision(new Reconsideration.IreDecision(Reconsideration.IreOutcome.OVERTURNED, "IRE-1", null,
                RECEIVED.plus(Duration.ofDays(50)), "ines", RECEIVED.plus(Duration.ofDays(50)), null));
    }
}
