package org.medpolicy.core.log;

import java.time.Instant;
import java.time.LocalDate;
import org.medpolicy.core.json.Utf8Json;

/**
 * One logged determination. {@code requestJson} is the request as received with the member id
 * replaced by its keyed hash; {@code responseJson} is exactly what the caller was sent, byte for byte;
 * {@code memberKey} is the same hash, for finding a member's determinations without storing who
 * they are; {@code policySet} is the id of the policy data it was decided under (null for records
 * logged before sets were kept); {@code madeBy} is who asked ({@code client:ID} for a registered client,
 * a username for a person; null for records logged before it was kept), so a client reads back only
 * its own determinations. Immutable.
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
        Utf8Json requestJson,
        Utf8Json responseJson,
        String policySet,
        String madeBy) {

    /** This record with {@code request} as its logged request (sealed or opened). */
    public DecisionRecord withRequestJson(Utf8Json request) {
        return new DecisionRecord(determinationId, requestId, channel, decidedAt, policyId, policyVersion, engineVersion, status,
                memberKey, request, responseJson, policySet, madeBy);
    }
}
