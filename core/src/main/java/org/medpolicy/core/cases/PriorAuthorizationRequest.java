package org.medpolicy.core.cases;

import java.time.Instant;
import java.util.List;

/**
 * How a case arrived over Da Vinci PAS: the submitted Claim's identifier ({@code system|value}), the
 * patient's member identifier, the Claim item sequences the answer must echo, and the submitted
 * request Bundle as received (so the answer can name the same patient, insurer and provider).
 * Immutable.
 */
public record PriorAuthorizationRequest(String caseId, String claimKey, String patientKey, List<Integer> itemSequences,
                                        String requestBundleJson, String submittedBy, Instant submittedAt) {

    public PriorAuthorizationRequest {
        itemSequences = List.copyOf(itemSequences);
    }
}
