package org.medpolicy.core.determination;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a rule is written. {@code source} is {@code policy} for a passage of the policy document
 * itself (then {@code section} and an exact {@code quote}), otherwise the public source the policy
 * names (e.g. {@code SSA §1862(a)(1)(A)}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Citation(String source, String section, String quote) {

    public static final String POLICY = "policy";

    @JsonIgnore
    public boolean isPolicyPassage() {
        return POLICY.equals(source);
    }
}
