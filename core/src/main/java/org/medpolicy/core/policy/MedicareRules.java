package org.medpolicy.core.policy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import org.medpolicy.core.determination.Citation;

/**
 * Regulatory rules shared by every policy ({@code policies/reference/medicare-rules.yaml}, schema
 * {@code medpolicy.medicare-rules/1}): decision timeframes and reconsideration windows, each in
 * effect from a date. Immutable once loaded.
 */
public record MedicareRules(String schema, String source, String lineOfBusiness, List<DecisionTimeframe> decisionTimeframes,
                            List<ReconsiderationWindow> reconsiderationWindows) {

    public MedicareRules {
        decisionTimeframes = decisionTimeframes.stream()
                .sorted(Comparator.comparing(DecisionTimeframe::from).reversed()).toList();
        reconsiderationWindows = reconsiderationWindows.stream()
                .sorted(Comparator.comparing(ReconsiderationWindow::from).reversed()).toList();
    }

    /**
     * How long a pre-service decision may take, for requests received on or after {@code from}, and
     * the one extension the plan may take ({@code extension}, null when none; never for Part B drugs).
     */
    public record DecisionTimeframe(LocalDate from, Duration standard, Duration expedited, Duration partBDrugStandard,
                                    Duration partBDrugExpedited, Duration extension, List<Citation> citations) {
    }

    /** How many days a member has to ask for reconsideration of a decision made on or after {@code from}. */
    public record ReconsiderationWindow(LocalDate from, int days, Citation citation) {
    }

    /** The timeframe in effect on {@code date}. */
    public DecisionTimeframe timeframeOn(LocalDate date) {
        for (DecisionTimeframe timeframe : decisionTimeframes) {
            if (!date.isBefore(timeframe.from())) {
                return timeframe;
            }
        }
        throw new IllegalStateException("no decision timeframe in effect on " + date);
    }

    /** The reconsideration window in effect on {@code date}. */
    public ReconsiderationWindow reconsiderationOn(LocalDate date) {
        for (ReconsiderationWindow window : reconsiderationWindows) {
            if (!date.isBefore(window.from())) {
                return window;
            }
        }
        throw new IllegalStateException("no reconsideration window in effect on " + date);
    }
}
