package org.medpolicy.core.reconsideration;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a reconsideration stands. IN_REVIEW (its clock runs) → DECIDED (reversed: effectuation
 * follows), FORWARDED_TO_IRE (upheld in whole or part, or out of time) or DISMISSED;
 * FORWARDED_TO_IRE → IRE_DECIDED. DISMISSED is final; DECIDED and IRE_DECIDED stay only to record
 * their effectuation.
 */
public enum ReconsiderationState {
    IN_REVIEW,
    DECIDED,
    FORWARDED_TO_IRE,
    IRE_DECIDED,
    DISMISSED;

    /** The states this one may move to (itself included where an action records something without moving). */
    public Set<ReconsiderationState> next() {
        return switch (this) {
            case IN_REVIEW -> EnumSet.of(IN_REVIEW, DECIDED, FORWARDED_TO_IRE, DISMISSED);
            case DECIDED -> EnumSet.of(DECIDED);
            case FORWARDED_TO_IRE -> EnumSet.of(FORWARDED_TO_IRE, IRE_DECIDED);
            case IRE_DECIDED -> EnumSet.of(IRE_DECIDED);
            case DISMISSED -> EnumSet.of(DISMISSED);
        };
    }

    /** Waiting for the plan's decision: the reconsideration clock runs. */
    public boolean isOpen() {
        return this == IN_REVIEW;
    }
}
