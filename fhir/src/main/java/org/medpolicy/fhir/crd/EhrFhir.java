package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a hook call lets medpolicy read from the EHR: its {@code fhirServer}, with its
 * {@code fhirAuthorization} token. CDS Hooks and CRD expect a service to fetch what prefetch did not
 * bring; whether this call may be fetched from (the server registered for this EHR, at an allowed
 * address) is decided by whoever makes the instance ({@link Access}). Implementations are safe for
 * the one call they serve.
 */
public interface EhrFhir {

    /**
     * The resource or searchset Bundle at {@code relativeUrl} (such as {@code Patient/123} or
     * {@code Coverage?patient=123&status=active}) under the call's FHIR server.
     *
     * @throws Unavailable with a reason a person can act on, when it cannot be read
     */
    JsonNode read(String relativeUrl) throws Unavailable;

    /** Why something could not be read from the EHR. */
    final class Unavailable extends Exception {
        public Unavailable(String reason) {
            super(reason);
        }
    }

    /** Nothing can be read: every read fails with {@code reason}. */
    static EhrFhir unavailable(String reason) {
        return relativeUrl -> {
            throw new Unavailable(reason);
        };
    }

    /** Makes the reader for one call from what it names; never fetches anything itself. */
    @FunctionalInterface
    interface Access {

        /** {@code fhirServer} and {@code accessToken} as the call gave them (either may be null). */
        EhrFhir forCall(String fhirServer, String accessToken);

        /** No EHR may be read from (a server without outbound calls). */
        static Access none() {
            return (fhirServer, accessToken) -> unavailable("this service reads nothing from EHRs");
        }
    }
}
