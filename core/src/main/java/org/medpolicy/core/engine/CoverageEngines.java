package org.medpolicy.core.engine;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.medpolicy.core.policy.PolicyLibrary;

/** Creates engines. */
public final class CoverageEngines {

    private CoverageEngines() {
    }

    /**
     * An engine over {@code library} for batch work and analysis (screening, Spark, policy impact),
     * whose determinations are not read back by id, so their ids need not be unguessable
     * ({@link TimeOrderedIds#fast}); {@code clock} gives "now" (default receipt time,
     * review-overdue, ids); calendar-day deadlines end in {@code zone}, the plan's time zone.
     */
    public static CoverageEngine create(PolicyLibrary library, Clock clock, ZoneId zone) {
        return new PolicyEngine(library, clock, zone, null, TimeOrderedIds.Kind.FAST);
    }

    /**
     * An engine over the policy data of {@code set} (already loaded as {@code library}), as the
     * server decides with: its determinations name the set's id as {@code policy.dataVersion},
     * and their ids are unguessable ({@link TimeOrderedIds#next}), for callers read them back by id.
     */
    public static CoverageEngine create(PolicyLibrary library, String setId, Clock clock, ZoneId zone) {
        return new PolicyEngine(library, clock, zone, setId, TimeOrderedIds.Kind.UNGUESSABLE);
    }

    /** An engine whose calendar-day deadlines end in UTC (batch screening and benchmarks, which set no clock). */
    public static CoverageEngine create(PolicyLibrary library, Clock clock) {
        return create(library, clock, ZoneOffset.UTC);
    }
}
