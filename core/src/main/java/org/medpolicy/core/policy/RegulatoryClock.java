package org.medpolicy.core.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The one rule for when a plan must decide a pre-service request, used by the engine (a
 * determination's {@code decisionDueBy}) and by the case clock alike, so what a provider is told
 * and what the reviewer's queue shows are the same instant.
 *
 * <p>Why two kinds of arithmetic: the regulations count the standard timeframe and the extension in
 * <em>calendar days</em> (7 days, 14 days) and the expedited and Part B drug timeframes in
 * <em>hours</em> (72, 24). Calendar days are added in the plan's time zone, so a request received
 * at 10:00 is due at 10:00 local time seven days later even across a daylight-saving change (167 or
 * 169 hours); hours are added as exact durations. Month ends and leap days fall out of
 * {@link java.time.ZonedDateTime#plusDays}. The rules in effect on the day of receipt (in the
 * plan's zone) apply.
 *
 * <p>Immutable and thread-safe.
 */
public final class RegulatoryClock {

    private final MedicareRules rules;
    private final ZoneId zone;

    public RegulatoryClock(MedicareRules rules, ZoneId zone) {
        this.rules = rules;
        this.zone = zone;
    }

    /** The plan's time zone, in which calendar days end. */
    public ZoneId zone() {
        return zone;
    }

    /** When a request received at {@code receivedAt} must be decided. */
    public Instant decisionDue(Instant receivedAt, boolean expedited, boolean partBDrug) {
        return due(timeframe(receivedAt), receivedAt, expedited, partBDrug);
    }

    /** The most days one extension may add for this request: 0 when none is allowed (Part B drugs). */
    public int maxExtensionDays(Instant receivedAt, boolean partBDrug) {
        return maxExtensionDays(timeframe(receivedAt), partBDrug);
    }

    /**
     * When a review under {@code timeframes} of a request received at {@code receivedAt} is due:
     * the organization determination's clocks and the reconsideration's share this one rule.
     */
    public Instant due(MedicareRules.Timeframes timeframes, Instant receivedAt, boolean expedited, boolean partBDrug) {
        RegulatoryPeriod period = partBDrug ? (expedited ? timeframes.partBDrugExpedited() : timeframes.partBDrugStandard())
                : expedited ? timeframes.expedited() : timeframes.standard();
        return after(receivedAt, period);
    }

    /** The most days one extension under {@code timeframes} may add: 0 when none is allowed (Part B drugs). */
    public static int maxExtensionDays(MedicareRules.Timeframes timeframes, boolean partBDrug) {
        RegulatoryPeriod extension = timeframes.extension();
        return partBDrug || extension == null || extension.unit() != RegulatoryPeriod.Unit.DAYS ? 0 : (int) extension.amount();
    }

    /**
     * {@code start} plus {@code period}, counted as the regulation counts it: calendar days in the
     * plan's zone, hours exactly.
     */
    public Instant after(Instant start, RegulatoryPeriod period) {
        return period.unit() == RegulatoryPeriod.Unit.DAYS ? plusDays(start, period.amount())
                : start.plus(Duration.ofHours(period.amount()));
    }

    /** {@code instant} moved by {@code days} calendar days in the plan's zone. */
    public Instant plusDays(Instant instant, long days) {
        return instant.atZone(zone).plusDays(days).toInstant();
    }

    /** The day {@code instant} falls on in the plan's zone. */
    public LocalDate dayOf(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    private MedicareRules.DecisionTimeframe timeframe(Instant receivedAt) {
        return rules.timeframeOn(dayOf(receivedAt));
    }
}
