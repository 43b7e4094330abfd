package org.medpolicy.core.cases;

import java.time.Instant;

/** The one extension a case may have: how many days, why, who granted it and when. Immutable. */
public record CaseExtension(int days, String reason, String grantedBy, Instant grantedAt) {
}
