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
     * Replaces the organizations (NPIs) a backend client acts for; returns false when there is no
     * such active client.
     */
    boolean setOrganizations(String clientId, List<String> npis);

    /**
     * Replaces the FHIR servers an EHR client's hook calls may be read from; returns false when
     * there is no such active client.
     */
    boolean setFhirServers(String clientId, FhirServers servers);

    /** Revokes the client; returns false when there is no such client or it was already revoked. */
    boolean revoke(String clientId, Instant at);

    /** True when no client was ever registered (a fresh database). */
    default boolean isEmpty() {
        return list().isEmpty();
    }
}
