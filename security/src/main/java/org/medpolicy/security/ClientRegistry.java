package org.medpolicy.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registered clients. Implementations are thread-safe and durable (the store implements this on
 * the database, so {@code medpolicy clients …} and a running server see the same registry).
 */
public interface ClientRegistry {

    /**
     * Registers a new client.
     *
     * @throws IllegalArgumentException when the id, or an EHR's issuer, is already registered
     */
    void register(Client client);

    Optional<Client> find(String clientId);

    /** The EHR client whose CDS Hooks JWTs carry {@code iss} = {@code issuer}. */
    Optional<Client> findByIssuer(String issuer);

    /** Every client, revoked ones included, by id. */
    List<Client> list();

    /**
     * Changes what may change of an active client: its organizations, FHIR servers and CRD version
     * (never its id, kind, keys or registration). The changed client is checked by its own rules
     * first, so a refused change changes nothing. Returns false when there is no such active client.
     */
    boolean change(String clientId, java.util.function.UnaryOperator<Client> change);

    /** Replaces the organizations (NPIs) a backend client acts for; false when there is no such active client. */
    default boolean setOrganizations(String clientId, List<String> npis) {
        return change(clientId, client -> client.withOrganizations(npis));
    }

    /** Replaces the FHIR servers an EHR's hook calls may be read from; false when there is no such active client. */
    default boolean setFhirServers(String clientId, FhirServers servers) {
        return change(clientId, client -> client.withFhirServers(servers));
    }

    /** Revokes the client; returns false when there is no such client or it was already revoked. */
    boolean revoke(String clientId, Instant at);

    /** True when no client was ever registered (a fresh database). */
    default boolean isEmpty() {
        return list().isEmpty();
    }
}
