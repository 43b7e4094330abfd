package org.medpolicy.core.engine;

import java.time.Clock;
import org.medpolicy.core.policy.PolicyLibrary;

/** Creates engines. */
public final class CoverageEngines {

    private CoverageEngines() {
    }

    /** An engine over {@code library}; {@code clock} gives "now" (default receipt time, review-overdue, ids). */
    public static CoverageEngine create(PolicyLibrary library, Clock clock) {
        return new PolicyEngine(library, clock);
    }
}
