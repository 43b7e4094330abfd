package org.medpolicy.core.cases;

import java.time.Instant;

/**
 * The human decision, kept beside the engine's recommendation: the outcome, who decided, who
 * signed (a physician, for an adverse outcome), the written rationale (required when it differs
 * from the recommendation: an override), and when. Immutable.
 */
public record CaseDecision(CaseOutcome outcome, CaseOutcome recommended, String rationale, String decidedBy, String signedBy,
                           Instant decidedAt) {

    public boolean isOverride() {
        return recommended != outcome;
    }
}
