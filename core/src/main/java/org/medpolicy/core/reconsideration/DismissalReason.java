package org.medpolicy.core.reconsideration;

/** Why a reconsideration request is dismissed; which the plan may use is the Medicare rules' {@code dismissalReasons}. */
public enum DismissalReason {
    /** Not from the member, a representative with an appointment, or a physician. */
    NOT_PROPER_PARTY,
    /** Filed after the window with no good cause the plan accepts. */
    LATE_WITHOUT_GOOD_CAUSE,
    /** The person who asked withdrew the request. */
    WITHDRAWN
}
