package org.medpolicy.core.log;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One logged determination. {@code requestJson} is the request as received with the member id
 * replaced by its keyed hash; {@code responseJson} is exactly what the caller was sent;
 * {@code memberKey} is the same hash, for finding a member's determinations without storing who
 * they are. Immutable.
 */
public record DecisionRecord(
        String determinationId,
        String requestId,
        String channel,
        Instant decidedAt,
        String policyId,
        LocalDate policyVersion,
        String engineVersion,
        String status,
        String memberKey,
        String requestJson,
        String responseJson) {
}
