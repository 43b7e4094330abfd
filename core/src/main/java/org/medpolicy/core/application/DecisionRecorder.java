package org.medpolicy.core.application;

import com.fasterxml.jackson.databind.JsonNode;
import org.medpolicy.core.EngineVersion;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.MemberKeyHasher;

/**
 * Turns a determination into its log record (member id hashed, response as sent) and appends it
 * durably. Thread-safe.
 */
final class DecisionRecorder {

    private static final Utf8Json EMPTY = Utf8Json.of("{}");

    private final DeterminationLog log;
    private final MemberKeyHasher hasher;

    DecisionRecorder(DeterminationLog log, MemberKeyHasher hasher) {
        this.log = log;
        this.hasher = hasher;
    }

    /** Appends the record; returns once it is committed. {@code responseJson} is exactly what will be sent. */
    void record(Channel channel, String madeBy, JsonNode request, Determination determination, Utf8Json responseJson) {
        JsonNode redacted = hasher.redact(request);
        String memberKey = redacted != null && redacted.path("member").hasNonNull("id") ? redacted.path("member").get("id").asText() : null;
        log.append(new DecisionRecord(determination.determinationId(), determination.requestId(), channel.name(),
                determination.decidedAt(), determination.policy().id(), determination.policy().version(), EngineVersion.get(),
                determination.status().name(), memberKey, redacted == null ? EMPTY : ContractJson.writeUtf8(redacted), responseJson,
                determination.policy().dataVersion(), madeBy));
    }

    DeterminationLog log() {
        return log;
    }
}
