package org.medpolicy.core.request;

import java.time.Instant;

/**
 * The instants a caller may state anywhere (a request's receipt, a reconsideration's dates, an
 * audit query's bounds): 1900 to 2199. Outside them a database column or a clock's arithmetic
 * fails (PostgreSQL holds no year past 294276, a year 10,000 has no ISO form without a sign), and
 * no real value lies there; a stated instant outside is a 400 naming the field, not a 500.
 */
public final class InstantRange {

    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant TOO_LATE = Instant.parse("2200-01-01T00:00:00Z");

    /** What a refusal says of a value outside the range. */
    public static final String RULE = "between 1900 and 2199";

    private InstantRange() {
    }

    public static boolean holds(Instant instant) {
        return !instant.isBefore(EARLIEST) && instant.isBefore(TOO_LATE);
    }
}
