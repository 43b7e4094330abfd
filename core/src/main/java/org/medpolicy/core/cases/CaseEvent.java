package org.medpolicy.core.cases;

import java.time.Instant;

/** One step in a case's history: who, when, from which state to which, what they did and why. Append-only. */
public record CaseEvent(String caseId, int sequence, Instant at, String actor, String action, CaseState from, CaseState to,
                        String reason) {
}
