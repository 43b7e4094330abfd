package org.medpolicy.core.cases;

import java.util.Optional;

/** Where PAS submissions are kept beside their cases. Thread-safe; the store implements it. */
public interface PriorAuthorizationRequests {

    /** @throws IllegalArgumentException when the client already used this claim identifier (for any patient) */
    void save(PriorAuthorizationRequest request);

    /**
     * What client {@code clientId} submitted with a claim identifier for a patient ({@code $inquire},
     * updates). Another client's submission is never found: to anyone else it does not exist.
     */
    Optional<PriorAuthorizationRequest> find(String clientId, String claimKey, String patientKey);

    /** Whether client {@code clientId} has used this claim identifier already, for any patient. */
    boolean isClaimed(String clientId, String claimKey);

    /** The latest submission (or update) of a case, if it came over PAS. */
    Optional<PriorAuthorizationRequest> latestFor(String caseId);
}
