package org.medpolicy.core.reconsideration;

import java.time.Instant;

/** One step in a reconsideration's history: who, when, from which state to which, what they did and why. Append-only. */
public record ReconsiderationEvent(String reconsiderationId, int sequence, Instant at, String actor, String action,
                                   ReconsiderationState from, ReconsiderationState to, String reason) {
}
