package org.medpolicy.core.policy;

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
                            List<ReconsiderationWindow> reconsiderationWindows, List<ReconsiderationRules> reconsiderations) {

    public MedicareRules {
        decisionTimeframes = decisionTimeframes.stream()
                .sorted(Comparator.comparing(DecisionTimeframe::from).reversed()).toList();
        reconsiderationWindows = reconsiderationWindows.stream()
                .sorted(Comparator.comparing(ReconsiderationWindow::from).reversed()).toList();
        reconsiderations = reconsiderations == null ? List.of() : reconsiderations.stream()
                .sorted(Comparator.comparing(ReconsiderationRules::from).reversed()).toList();
    }

    /**
     * How long a pre-service decision may take, for requests received on or after {@code from}, and
     * the one extension the plan may take ({@code extension}, null when none; never for Part B drugs).
     */
    public record DecisionTimeframe(LocalDate from, RegulatoryPeriod standard, RegulatoryPeriod expedited,
                                    RegulatoryPeriod partBDrugStandard, RegulatoryPeriod partBDrugExpedited,
                                    RegulatoryPeriod extension, List<Citation> citations) implements Timeframes {
    }

    /**
     * The clocks of one kind of review, read by {@link RegulatoryClock}: standard and expedited, for
     * items and services and for Part B drugs, and the one extension (null when none; never for Part
     * B drugs).
     */
    public interface Timeframes {
        RegulatoryPeriod standard();

        RegulatoryPeriod expedited();

        RegulatoryPeriod partBDrugStandard();

        RegulatoryPeriod partBDrugExpedited();

        RegulatoryPeriod extension();
    }

    /** A reconsideration's clocks, each with the confidence of its source (facts.md). */
    public record ReconsiderationTimeframes(RegulatoryPeriod standard, RegulatoryPeriod expedited, RegulatoryPeriod partBDrugStandard,
                                            RegulatoryPeriod partBDrugExpedited, RegulatoryPeriod extension,
                                            Confidence standardConfidence, Confidence expeditedConfidence,
                                            Confidence partBDrugConfidence, Confidence extensionConfidence) implements Timeframes {
    }

    /**
     * The rules of a member's reconsideration for requests received on or after {@code from}: who
     * may ask (and whether a physician's request for speed is granted as asked), its clocks, which
     * denied item outcomes only a physician may reverse or uphold, how soon an upheld expedited
     * case goes to the independent review entity, how soon a reversal (the plan's or the IRE's) is
     * effectuated, and why a request may be dismissed. Each group carries its confidence.
     */
    public record ReconsiderationRules(LocalDate from, List<String> whoMayRequest, Confidence whoMayRequestConfidence,
                                       boolean expeditedOnPhysicianRequest, ReconsiderationTimeframes timeframes,
                                       List<String> physicianDecidesOutcomes, Confidence physicianDecidesConfidence,
                                       RegulatoryPeriod ireForwardingExpedited, Confidence ireForwardingConfidence,
                                       RegulatoryPeriod effectuationStandard, RegulatoryPeriod effectuationExpedited,
                                       RegulatoryPeriod effectuationPartBDrugStandard, Confidence effectuationConfidence, RegulatoryPeriod ireEffectuationStandard,
                                       RegulatoryPeriod ireEffectuationExpedited, Confidence ireEffectuationConfidence,
                                       List<String> dismissalReasons, Confidence dismissalConfidence, List<Citation> citations) {

        public ReconsiderationRules {
            whoMayRequest = List.copyOf(whoMayRequest);
            physicianDecidesOutcomes = List.copyOf(physicianDecidesOutcomes);
            dismissalReasons = List.copyOf(dismissalReasons);
            citations = List.copyOf(citations);
        }
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

    /** The reconsideration rules in effect on {@code date}; empty when the data has none (older data). */
    public java.util.Optional<ReconsiderationRules> reconsiderationRulesOn(LocalDate date) {
        return reconsiderations.stream().filter(rules -> !date.isBefore(rules.from())).findFirst();
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
