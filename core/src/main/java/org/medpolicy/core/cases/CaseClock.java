package org.medpolicy.core.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.medpolicy.core.policy.MedicareRules;
import org.medpolicy.core.policy.RegulatoryClock;

/**
 * A case's clock: when it is due and whether it is late, by the {@link RegulatoryClock} the engine
 * uses too (one rule for each deadline; the arithmetic and its reasons are there).
 *
 * <p>Immutable and thread-safe.
 */
public final class CaseClock {

    private final RegulatoryClock rules;

    public CaseClock(RegulatoryClock rules) {
        this.rules = rules;
    }

    public CaseClock(MedicareRules rules, ZoneId zone) {
        this(new RegulatoryClock(rules, zone));
    }

    public ZoneId zone() {
        return rules.zone();
    }

    /** The due time of a request received at {@code receivedAt}. */
    public Instant dueAt(Instant receivedAt, boolean expedited, boolean partBDrug) {
        return rules.decisionDue(receivedAt, expedited, partBDrug);
    }

    /** The most days one extension may add for this request: 0 when none is allowed (Part B drugs). */
    public int maxExtensionDays(Instant receivedAt, boolean partBDrug) {
        return rules.maxExtensionDays(receivedAt, partBDrug);
    }

    /** {@code due} moved by {@code days} calendar days. */
    public Instant extend(Instant due, int days) {
        return rules.plusDays(due, days);
    }

    public boolean isOverdue(ReviewCase reviewCase, Instant now) {
        return reviewCase.state().isOpen() && now.isAfter(reviewCase.dueAt());
    }

    public boolean isDueWithin24Hours(ReviewCase reviewCase, Instant now) {
        return reviewCase.state().isOpen() && !now.isAfter(reviewCase.dueAt()) && now.plus(Duration.ofHours(24)).isAfter(reviewCase.dueAt());
    }
}
