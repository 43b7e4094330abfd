package org.medpolicy.core.cases;

import java.util.Optional;

/** Where PAS submissions are kept beside their cases. Thread-safe; the store implements it. */
public interface PriorAuthorizationRequests {

    /** @throws IllegalArgumentException when this case already has a submission with this client's claim identifier */
    void save(PriorAuthorizationRequest request);

    /**
     * What client {@code clientId} submitted with a claim identifier for a patient ({@code $inquire},
     * updates): the newest, when it gave the identifier to more than one request of that patient.
     * Another client's submission is never found: to anyone else it does not exist.
     */
    Optional<PriorAuthorizationRequest> find(String clientId, String claimKey, String patientKey);

    /** Whether client {@code clientId} has used this claim identifier already, for any patient. */
    boolean isClaimed(String clientId, String claimKey);

    /** The latest submission (or update) of a case, if it came over PAS. */
    Optional<PriorAuthorizationRequest> latestFor(String caseId);
}
