package org.medpolicy.core.reconsideration;

import java.util.Collection;
import org.medpolicy.core.cases.PriorAuthorizationReport;

/** Counts the reconsiderations concluded in a year for the CMS-0057-F report. Stateless. */
public final class AppealMetrics {

    private AppealMetrics() {
    }

    public static PriorAuthorizationReport.Appeals of(Collection<Reconsideration> concluded) {
        int reversed = 0;
        int partly = 0;
        int upheld = 0;
        int missed = 0;
        int dismissed = 0;
        int forwarded = 0;
        int overturned = 0;
        int[] onTime = new int[2];
        int[] timed = new int[2];
        for (Reconsideration reconsideration : concluded) {
            if (reconsideration.dismissal() != null) {
                dismissed++;
                continue;
            }
            int kind = reconsideration.expedited() ? 1 : 0;
            timed[kind]++;
            if (reconsideration.decision() != null) {
                switch (reconsideration.decision().outcome()) {
                    case REVERSED -> reversed++;
                    case PARTLY_REVERSED -> partly++;
                    case UPHELD -> upheld++;
                }
                onTime[kind] += reconsideration.decision().decidedAt().isAfter(reconsideration.dueAt()) ? 0 : 1;
            } else if (reconsideration.forwarding() != null) {
                missed++;
            }
            forwarded += reconsideration.forwarding() != null ? 1 : 0;
            overturned += reconsideration.ireDecision() != null
                    && reconsideration.ireDecision().outcome() == Reconsideration.IreOutcome.OVERTURNED ? 1 : 0;
        }
        int appeals = reversed + partly + upheld + missed;
        return new PriorAuthorizationReport.Appeals(concluded.size(), reversed, partly, upheld, missed, dismissed, forwarded, overturned,
                PriorAuthorizationReport.percent(reversed + overturned, appeals), PriorAuthorizationReport.percent(onTime[0], timed[0]),
                PriorAuthorizationReport.percent(onTime[1], timed[1]));
    }
}
