package org.medpolicy.core.cases;

import java.time.Instant;
import java.util.List;

/**
 * How a case arrived over Da Vinci PAS: the client that submitted it (a request belongs to it: no
 * other client finds, updates or is told of it), the submitted Claim's identifier
 * ({@code system|value}), the patient's member identifier (read back from the store, its keyed
 * hash), the Claim item sequences the answer must echo, and the submitted request Bundle as
 * received (so the answer can name the same patient, insurer and provider). Immutable.
 */
public record PriorAuthorizationRequest(String caseId, String clientId, String claimKey, String patientKey, List<Integer> itemSequences,
                                        String requestBundleJson, String submittedBy, Instant submittedAt) {

    public PriorAuthorizationRequest {
        itemSequences = List.copyOf(itemSequences);
    }
}
