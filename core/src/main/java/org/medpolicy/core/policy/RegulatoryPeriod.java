package org.medpolicy.core.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A regulatory timeframe as the rules write it: a number of <em>calendar days</em> ({@code P30D})
 * or of <em>hours</em> ({@code PT72H}), never both. The unit matters and is not a matter of size:
 * 72 hours and 3 calendar days differ across a daylight-saving change, so the period keeps the unit
 * its rule was written in and {@link RegulatoryClock#after} adds each the way the regulation
 * counts it. Immutable.
 */
public record RegulatoryPeriod(long amount, Unit unit) {

    /** How a period is counted. */
    public enum Unit {
        /** Calendar days: the same local time in the plan's zone, {@code amount} days later. */
        DAYS,
        /** Exact hours. */
        HOURS
    }

    private static final Pattern ISO = Pattern.compile("P(?:(\\d{1,4})D|T(\\d{1,5})H)");

    public RegulatoryPeriod {
        if (amount < 0 || unit == null) {
            throw new IllegalArgumentException("a period is a non-negative number of days or hours");
        }
    }

    public static RegulatoryPeriod days(long days) {
        return new RegulatoryPeriod(days, Unit.DAYS);
    }

    public static RegulatoryPeriod hours(long hours) {
        return new RegulatoryPeriod(hours, Unit.HOURS);
    }

    /** {@code P<n>D} or {@code PT<n>H}; anything else (both, minutes, weeks) is refused. */
    @JsonCreator
    public static RegulatoryPeriod parse(String iso) {
        Matcher matcher = ISO.matcher(iso == null ? "" : iso.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + iso + "' is not a period of calendar days (P30D) or of hours (PT72H)");
        }
        return matcher.group(1) != null ? days(Long.parseLong(matcher.group(1))) : hours(Long.parseLong(matcher.group(2)));
    }

    /** The ISO-8601 form the rules are written in. */
    @JsonValue
    @Override
    public String toString() {
        return unit == Unit.DAYS ? "P" + amount + "D" : "PT" + amount + "H";
    }

    /** The period in words, for letters and pages: "30 calendar days", "72 hours". */
    public String inWords() {
        return amount + (unit == Unit.DAYS ? (amount == 1 ? " calendar day" : " calendar days") : (amount == 1 ? " hour" : " hours"));
    }
}
