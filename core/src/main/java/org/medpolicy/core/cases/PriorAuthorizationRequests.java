package org.medpolicy.core.cases;

import java.util.Optional;

/** Where PAS submissions are kept beside their cases. Thread-safe; the store implements it. */
public interface PriorAuthorizationRequests {

    /** @throws IllegalArgumentException when the claim identifier was already submitted */
    void save(PriorAuthorizationRequest request);

    /** The submission of a claim identifier by a patient, for {@code $inquire}. */
    Optional<PriorAuthorizationRequest> find(String claimKey, String patientKey);

    /** The latest submission (or update) of a case, if it came over PAS. */
    Optional<PriorAuthorizationRequest> latestFor(String caseId);
}
