package org.medpolicy.core.policy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How sure the reference data is of a fact (the marks of {@code shared/reference/facts.md}). */
public enum Confidence {
    /** ✅ confirmed in at least one public source. */
    @JsonProperty("verified") VERIFIED,
    /** ⚠️ secondary sources only. */
    @JsonProperty("secondary") SECONDARY,
    /** ❓ not confirmed; never alone the ground of a denial. */
    @JsonProperty("unverified") UNVERIFIED
}
