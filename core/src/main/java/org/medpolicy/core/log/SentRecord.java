package org.medpolicy.core.log;

import org.medpolicy.core.json.Utf8Json;

/**
 * What a channel sent for a determination when that is not the determination itself: the CDS Hooks
 * response (cards and system actions) or the PAS response Bundle, byte for byte, with its media type.
 * Kept beside the determination it rests on, so an audit can show both what was decided and what
 * the caller was told. Immutable.
 */
public record SentRecord(String determinationId, String channel, String contentType, Utf8Json body) {
}
