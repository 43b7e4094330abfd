package org.medpolicy.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered caller. A {@link Kind#BACKEND} client gets access tokens at the token endpoint by
 * signing an assertion with a key of its {@code jwks}; an {@link Kind#EHR} calls CDS Hooks with JWTs
 * whose {@code iss} is {@code issuer}, signed by a key of its {@code jwks} or of a {@code jku} it
 * registered. {@code scopes} bound what a backend client's tokens may carry. {@code ratePerSecond}
 * and {@code burst} size its token bucket. {@code organizations} are the NPIs of the provider
 * organizations a backend client acts for: it may submit prior-authorization requests only for
 * them and subscribe only to their decisions (a client with none may do neither). {@code fhirServers}
 * are the FHIR servers an EHR's hook calls may have medpolicy read from; {@code versions} the CRD
 * and DTR versions its calls are answered in when they do not say (the CRD one only for an EHR).
 * Immutable.
 */
public record Client(String id, Kind kind, String issuer, JWKSet jwks, List<URI> allowedJku, Scopes scopes,
                     int ratePerSecond, int burst, Instant registeredAt, Instant revokedAt, List<String> organizations,
                     FhirServers fhirServers, GuideVersions versions) {

    /**
     * How a caller authenticates: a registered backend service or EHR, or (never registered as a
     * client, only named in the audit) a person signed in to the workbench.
     */
    public enum Kind { BACKEND, EHR, USER }

    /**
     * Tokens per second and at once: a call takes 1, a CDS Hooks call or PAS submission 10, so the
     * default allows 1,000 light calls or 100 hook calls a second (it was 100 calls before calls
     * were weighed; clients registered then keep their stored rate).
     */
    public static final int DEFAULT_RATE_PER_SECOND = 1_000;
    public static final int DEFAULT_BURST = 2_000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern NPI = Pattern.compile("[0-9]{10}");

    /** A client acting for no organization. */
    public Client(String id, Kind kind, String issuer, JWKSet jwks, List<URI> allowedJku, Scopes scopes,
                  int ratePerSecond, int burst, Instant registeredAt, Instant revokedAt) {
        this(id, kind, issuer, jwks, allowedJku, scopes, ratePerSecond, burst, registeredAt, revokedAt, List.of());
    }

    /** A client with no FHIR servers to read from. */
    public Client(String id, Kind kind, String issuer, JWKSet jwks, List<URI> allowedJku, Scopes scopes,
                  int ratePerSecond, int burst, Instant registeredAt, Instant revokedAt, List<String> organizations) {
        this(id, kind, issuer, jwks, allowedJku, scopes, ratePerSecond, burst, registeredAt, revokedAt, organizations, FhirServers.none(),
                GuideVersions.latest());
    }

    public Client {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(registeredAt, "registeredAt");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("client id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (kind == Kind.USER) {
            throw new IllegalArgumentException("people sign in as users (medpolicy users add), not as clients");
        }
        if (kind == Kind.EHR && (issuer == null || issuer.isBlank())) {
            throw new IllegalArgumentException("an EHR client needs the issuer (iss) of its CDS Hooks JWTs");
        }
        if (jwks.getKeys().isEmpty() && (allowedJku == null || allowedJku.isEmpty())) {
            throw new IllegalArgumentException("client '" + id + "' needs at least one public key (a JWKS with keys) or a jku");
        }
        if (jwks.getKeys().stream().anyMatch(key -> key.isPrivate())) {
            throw new IllegalArgumentException("the JWKS of client '" + id + "' holds a private key: register public keys only");
        }
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
        allowedJku = allowedJku == null ? List.of() : List.copyOf(allowedJku);
        organizations = organizations == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(organizations));
        List<String> notNpi = organizations.stream().filter(organization -> !NPI.matcher(organization).matches()).toList();
        if (!notNpi.isEmpty()) {
            throw new IllegalArgumentException("an organization is given by its NPI (10 digits), not " + String.join(", ", notNpi));
        }
        if (kind == Kind.EHR && !organizations.isEmpty()) {
            throw new IllegalArgumentException("an EHR calls CDS Hooks for its own users; organizations are for backend clients (PAS)");
        }
        scopes = scopes == null ? Scopes.none() : scopes;
        fhirServers = fhirServers == null ? FhirServers.none() : fhirServers;
        if (kind != Kind.EHR && !fhirServers.bases().isEmpty()) {
            throw new IllegalArgumentException("FHIR servers are read from for an EHR's hook calls; client '" + id + "' is not an EHR");
        }
        versions = versions == null ? GuideVersions.latest() : versions;
        if (versions.crd() != null && kind != Kind.EHR) {
            throw new IllegalArgumentException("a CRD version is for an EHR's hook calls; client '" + id + "' is not an EHR");
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    /** True when this client is registered to act for the organization with NPI {@code npi}. */
    public boolean actsFor(String npi) {
        return organizations.contains(npi);
    }

    /** This client, acting for {@code npis} instead. */
    public Client withOrganizations(List<String> npis) {
        return new Client(id, kind, issuer, jwks, allowedJku, scopes, ratePerSecond, burst, registeredAt, revokedAt, npis, fhirServers, versions);
    }

    /** This client, reading from {@code servers} instead. */
    public Client withFhirServers(FhirServers servers) {
        return new Client(id, kind, issuer, jwks, allowedJku, scopes, ratePerSecond, burst, registeredAt, revokedAt, organizations, servers, versions);
    }

    /** This client, answered in {@code changed} versions when its calls do not say. */
    public Client withVersions(GuideVersions changed) {
        return new Client(id, kind, issuer, jwks, allowedJku, scopes, ratePerSecond, burst, registeredAt, revokedAt, organizations,
                fhirServers, changed);
    }
}
