package org.medpolicy.core.log;

import java.time.Instant;
import org.medpolicy.core.json.Utf8Json;

/** A logged request, without its response: what replaying the log needs. Immutable. */
public record LoggedRequest(String determinationId, String requestId, String channel, Instant decidedAt, Utf8Json requestJson) {
}
