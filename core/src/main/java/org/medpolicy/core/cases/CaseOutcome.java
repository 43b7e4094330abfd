package org.medpolicy.core.cases;

import org.medpolicy.core.determination.Status;

/** What a case decides. DENIED and PARTIALLY_APPROVED are adverse: a physician must sign them. */
public enum CaseOutcome {
    APPROVED,
    PARTIALLY_APPROVED,
    DENIED,
    /** Not this policy's to decide: the letter says where the request goes (an NCD, the Medication Policy Manual). */
    REFERRED;

    public boolean isAdverse() {
        return this == DENIED || this == PARTIALLY_APPROVED;
    }

    /** The engine's status as a recommended outcome; null for PENDED (no recommendation until the questions are answered). */
    public static CaseOutcome recommendedBy(Status status) {
        return switch (status) {
            case APPROVED -> APPROVED;
            case PARTIALLY_APPROVED -> PARTIALLY_APPROVED;
            case DENIED -> DENIED;
            case NOT_APPLICABLE -> REFERRED;
            case PENDED -> null;
        };
    }
}
