package org.medpolicy.core.reconsideration;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.medpolicy.core.policy.MedicareRules;
import org.medpolicy.core.policy.RegulatoryClock;
import org.medpolicy.core.policy.RegulatoryPeriod;

/**
 * A reconsideration's deadlines, by the one {@link RegulatoryClock} rule the organization
 * determination uses (calendar days end at the same local time in the plan's zone; hours are
 * exact), with the periods of the reconsideration rules in effect on the day of receipt: the
 * decision (30 days / 72 hours; Part B drugs 7 days / 72 hours), the filing window (65 days from
 * the notice's date), forwarding an upheld case to the IRE, and effectuating a reversal.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReconsiderationClock {

    private final RegulatoryClock clock;
    private final MedicareRules rules;

    public ReconsiderationClock(RegulatoryClock clock, MedicareRules rules) {
        this.clock = clock;
        this.rules = rules;
    }

    /** The rules for a request received at {@code receivedAt}; empty when the policy data has none for that day. */
    public Optional<MedicareRules.ReconsiderationRules> rulesFor(Instant receivedAt) {
        return rules.reconsiderationRulesOn(clock.dayOf(receivedAt));
    }

    private MedicareRules.ReconsiderationRules rules(Instant receivedAt) {
        return rulesFor(receivedAt).orElseThrow(() -> new IllegalStateException("no reconsideration rules in effect on "
                + clock.dayOf(receivedAt)));
    }

    /** When the plan must decide a reconsideration received at {@code receivedAt}. */
    public Instant dueAt(Instant receivedAt, boolean expedited, boolean partBDrug) {
        return clock.due(rules(receivedAt).timeframes(), receivedAt, expedited, partBDrug);
    }

    /** The most days the one extension may add: 0 when none is allowed (Part B drugs). */
    public int maxExtensionDays(Instant receivedAt, boolean partBDrug) {
        return RegulatoryClock.maxExtensionDays(rules(receivedAt).timeframes(), partBDrug);
    }

    /** {@code due} moved by {@code days} calendar days. */
    public Instant extend(Instant due, int days) {
        return clock.plusDays(due, days);
    }

    /**
     * The last day (in the plan's zone) a member may ask without good cause: the window in effect on
     * the date of the determination's notice, counted from that date.
     */
    public LocalDate filingDeadline(Instant noticeAt) {
        LocalDate noticeDay = clock.dayOf(noticeAt);
        return noticeDay.plusDays(rules.reconsiderationOn(noticeDay).days());
    }

    /** Whether a request received at {@code receivedAt} came after {@code deadline}. */
    public boolean isLate(Instant receivedAt, LocalDate deadline) {
        return clock.dayOf(receivedAt).isAfter(deadline);
    }

    /**
     * By when a reversal must be effectuated: counted from the receipt of the reconsideration
     * request (7 days for a standard Part B drug request), and never before the reconsideration's
     * own deadline when an extension moved it.
     */
    public Instant effectuationDue(Reconsideration reconsideration) {
        var rule = rules(reconsideration.receivedAt());
        RegulatoryPeriod period = reconsideration.expedited() ? rule.effectuationExpedited()
                : reconsideration.partBDrug() ? rule.effectuationPartBDrugStandard() : rule.effectuationStandard();
        Instant due = clock.after(reconsideration.receivedAt(), period);
        return reconsideration.extension() != null && reconsideration.dueAt().isAfter(due) ? reconsideration.dueAt() : due;
    }

    /**
     * By when an upheld case must reach the IRE: within the reconsideration timeframe (its due time)
     * for a standard request, within the expedited forwarding period of the decision for an expedited one.
     */
    public Instant forwardingDue(Reconsideration reconsideration, Instant decidedAt) {
        if (!reconsideration.expedited()) {
            return reconsideration.dueAt().isAfter(decidedAt) ? reconsideration.dueAt() : decidedAt;
        }
        return clock.after(decidedAt, rules(reconsideration.receivedAt()).ireForwardingExpedited());
    }

    /** By when an IRE reversal noticed at {@code ireNoticeAt} must be effectuated. */
    public Instant ireEffectuationDue(Reconsideration reconsideration, Instant ireNoticeAt) {
        var rule = rules(reconsideration.receivedAt());
        return clock.after(ireNoticeAt, reconsideration.expedited() ? rule.ireEffectuationExpedited() : rule.ireEffectuationStandard());
    }

    /** The deadline of the work outstanding: the decision while in review, else an effectuation; null when none. */
    public Instant workDue(Reconsideration reconsideration) {
        if (reconsideration.state().isOpen()) {
            return reconsideration.dueAt();
        }
        Reconsideration.Effectuation owed = reconsideration.outstandingEffectuation();
        return owed == null ? null : owed.dueAt();
    }

    public boolean isOverdue(Reconsideration reconsideration, Instant now) {
        Instant due = workDue(reconsideration);
        return due != null && now.isAfter(due);
    }

    public boolean isDueWithin24Hours(Reconsideration reconsideration, Instant now) {
        Instant due = workDue(reconsideration);
        return due != null && !now.isAfter(due) && now.plus(Duration.ofHours(24)).isAfter(due);
    }
}
