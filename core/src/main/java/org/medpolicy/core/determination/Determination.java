package org.medpolicy.core.determination;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.medpolicy.core.request.RequestKind;

/**
 * A coverage determination: the contract's response. {@code decisionDueBy} and
 * {@code memberNotice} only for PRE_SERVICE (the notice only with an adverse item). Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"determinationId", "requestId", "kind", "status", "policy", "items", "warnings", "decidedAt",
        "decisionDueBy", "memberNotice"})
public record Determination(
        String determinationId,
        String requestId,
        RequestKind kind,
        Status status,
        PolicyReference policy,
        List<ItemDetermination> items,
        List<String> warnings,
        Instant decidedAt,
        Instant decisionDueBy,
        MemberNotice memberNotice) {

    public Determination {
        items = List.copyOf(items);
        warnings = List.copyOf(warnings);
    }
}
