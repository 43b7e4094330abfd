package org.medpolicy.core.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.medpolicy.core.policy.MedicareRules;

/**
 * When a case must be decided, from the Medicare rules in effect on the day of receipt.
 *
 * <p>Why two kinds of arithmetic: the regulations count the standard timeframe and the extension in
 * <em>calendar days</em> (7 days, 14 days) and the expedited and Part B drug timeframes in
 * <em>hours</em> (72, 24). Calendar days are added in the plan's time zone, so a request received
 * at 10:00 is due at 10:00 local time seven days later even across a daylight-saving change (167 or
 * 169 hours); hours are added as exact durations. Month ends and leap days fall out of
 * {@link java.time.ZonedDateTime#plusDays}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CaseClock {

    private final MedicareRules rules;
    private final ZoneId zone;

    public CaseClock(MedicareRules rules, ZoneId zone) {
        this.rules = rules;
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The due time of a request received at {@code receivedAt}. */
    public Instant dueAt(Instant receivedAt, boolean expedited, boolean partBDrug) {
        MedicareRules.DecisionTimeframe timeframe = timeframe(receivedAt);
        if (partBDrug) {
            return receivedAt.plus(expedited ? timeframe.partBDrugExpedited() : timeframe.partBDrugStandard());
        }
        if (expedited) {
            return receivedAt.plus(timeframe.expedited());
        }
        return receivedAt.atZone(zone).plusDays(timeframe.standard().toDays()).toInstant();
    }

    /** The most days one extension may add for this request: 0 when none is allowed (Part B drugs). */
    public int maxExtensionDays(Instant receivedAt, boolean partBDrug) {
        Duration extension = timeframe(receivedAt).extension();
        return partBDrug || extension == null ? 0 : (int) extension.toDays();
    }

    /** {@code due} moved by {@code days} calendar days. */
    public Instant extend(Instant due, int days) {
        return due.atZone(zone).plusDays(days).toInstant();
    }

    public boolean isOverdue(ReviewCase reviewCase, Instant now) {
        return reviewCase.state().isOpen() && now.isAfter(reviewCase.dueAt());
    }

    public boolean isDueWithin24Hours(ReviewCase reviewCase, Instant now) {
        return reviewCase.state().isOpen() && !now.isAfter(reviewCase.dueAt()) && now.plus(Duration.ofHours(24)).isAfter(reviewCase.dueAt());
    }

    private MedicareRules.DecisionTimeframe timeframe(Instant receivedAt) {
        return rules.timeframeOn(receivedAt.atOffset(ZoneOffset.UTC).toLocalDate());
    }
}
