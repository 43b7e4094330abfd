package org.medpolicy.core.cases;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The prior-authorization metrics CMS-0057-F requires plans to publish each year, computed from the
 * cases decided in that year: for standard and for expedited requests, the share approved and
 * denied, the share approved after an extension, and the average and median time from receipt to
 * decision; and "approved after appeal" with the reconsiderations concluded that year
 * ({@link Appeals}, computed by {@code core.reconsideration}): null only when there were none, never
 * a made-up zero. Immutable.
 *
 * <p>An approval is APPROVED (PARTIALLY_APPROVED counts as denied: something asked for was not
 * approved); REFERRED cases were not this plan's prior-authorization decision and are counted apart.
 */
public record PriorAuthorizationReport(int year, Group standard, Group expedited, int referred, Double approvedAfterAppealPercent,
                                       Appeals reconsiderations) {

    /**
     * The reconsiderations concluded in the year: by outcome (a missed deadline counts apart, as it
     * is forwarded as if upheld), how many went to the IRE and how many the IRE overturned, and the
     * share decided on time, standard and expedited (a missed deadline is late; null when none).
     * "Approved after appeal" is the share of appeals (dismissals aside) that ended with every
     * contested item approved: reversed by the plan, or overturned by the IRE.
     */
    public record Appeals(int concluded, int reversed, int partlyReversed, int upheld, int deadlineMissed, int dismissed,
                          int forwardedToIre, int ireOverturned, Double approvedAfterAppealPercent, Double onTimeStandardPercent,
                          Double onTimeExpeditedPercent) {
    }

    /** The metrics of one kind of request. Percentages are of the group's decided cases, null when there are none. */
    public record Group(int decided, int approved, int denied, int approvedAfterExtension, Double approvedPercent,
                        Double deniedPercent, Double approvedAfterExtensionPercent, Double averageDecisionHours,
                        Double medianDecisionHours) {
    }

    public static PriorAuthorizationReport of(int year, Collection<ReviewCase> decided) {
        return of(year, decided, null);
    }

    /** The report of the cases decided and the reconsiderations concluded ({@code appeals}, null when unknown) in {@code year}. */
    public static PriorAuthorizationReport of(int year, Collection<ReviewCase> decided, Appeals appeals) {
        List<ReviewCase> standard = new ArrayList<>();
        List<ReviewCase> expedited = new ArrayList<>();
        int referred = 0;
        for (ReviewCase reviewCase : decided) {
            if (reviewCase.decision() == null) {
                continue;
            }
            if (reviewCase.decision().outcome() == CaseOutcome.REFERRED) {
                referred++;
            } else {
                (reviewCase.expedited() ? expedited : standard).add(reviewCase);
            }
        }
        return new PriorAuthorizationReport(year, group(standard), group(expedited), referred,
                appeals == null ? null : appeals.approvedAfterAppealPercent(), appeals);
    }

    private static Group group(List<ReviewCase> cases) {
        int approved = 0;
        int afterExtension = 0;
        List<Double> hours = new ArrayList<>(cases.size());
        for (ReviewCase reviewCase : cases) {
            boolean approval = reviewCase.decision().outcome() == CaseOutcome.APPROVED;
            approved += approval ? 1 : 0;
            afterExtension += approval && reviewCase.extension() != null ? 1 : 0;
            hours.add(Duration.between(reviewCase.receivedAt(), reviewCase.decision().decidedAt()).toSeconds() / 3600.0);
        }
        int decided = cases.size();
        int denied = decided - approved;
        hours.sort(Double::compare);
        Double average = decided == 0 ? null : round(hours.stream().mapToDouble(Double::doubleValue).sum() / decided);
        Double median = decided == 0 ? null : round(decided % 2 == 1 ? hours.get(decided / 2)
                : (hours.get(decided / 2 - 1) + hours.get(decided / 2)) / 2);
        return new Group(decided, approved, denied, afterExtension, percent(approved, decided), percent(denied, decided),
                percent(afterExtension, decided), average, median);
    }

    /** {@code part} of {@code whole} in percent, to two places; null when {@code whole} is 0. */
    public static Double percent(int part, int whole) {
        return whole == 0 ? null : round(100.0 * part / whole);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
