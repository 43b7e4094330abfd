package org.medpolicy.core.cases;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a case stands. RECEIVED → PENDED (information requested) → RECOMMENDED (the engine's outcome)
 * → DECIDED → NOTIFIED; WITHDRAWN from any state before a decision. NOTIFIED and WITHDRAWN are final.
 * A case the engine could not decide at all (no policy governs it) goes from PENDED to DECIDED by a
 * person; {@code CaseService} allows that only then.
 */
public enum CaseState {
    RECEIVED,
    PENDED,
    RECOMMENDED,
    DECIDED,
    NOTIFIED,
    WITHDRAWN;

    /** The states this one may move to. */
    public Set<CaseState> next() {
        return switch (this) {
            case RECEIVED -> EnumSet.of(PENDED, RECOMMENDED, WITHDRAWN);
            case PENDED -> EnumSet.of(PENDED, RECOMMENDED, DECIDED, WITHDRAWN);
            case RECOMMENDED -> EnumSet.of(PENDED, RECOMMENDED, DECIDED, WITHDRAWN);
            case DECIDED -> EnumSet.of(NOTIFIED);
            case NOTIFIED, WITHDRAWN -> EnumSet.noneOf(CaseState.class);
        };
    }

    /** Still waiting for a decision: the clock runs. */
    public boolean isOpen() {
        return this == RECEIVED || this == PENDED || this == RECOMMENDED;
    }
}
