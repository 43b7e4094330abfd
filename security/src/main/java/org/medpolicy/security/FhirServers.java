package org.medpolicy.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The FHIR servers an EHR registered: the only {@code fhirServer} values of its CDS Hooks calls
 * medpolicy will read from (with the call's {@code fhirAuthorization} token) when prefetch lacks
 * what a hook needs. Anything else an EHR names is not fetched from, so a hook call cannot make
 * medpolicy call an address of the EHR's choosing (SSRF).
 *
 * <p>{@code privateAddresses} is the explicit allowance for an EHR on a private network or a test
 * server on loopback: without it a base must be https and is reached on global unicast addresses
 * only; with it, http and any address are allowed. Immutable.
 */
public record FhirServers(List<URI> bases, boolean privateAddresses) {

    public static FhirServers none() {
        return new FhirServers(List.of(), false);
    }

    public FhirServers {
        Objects.requireNonNull(bases, "bases");
        List<URI> normalized = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (URI base : bases) {
            String problem = problem(base, privateAddresses);
            if (problem != null) {
                problems.add(base + ": " + problem);
            } else {
                normalized.add(normalize(base));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("FHIR server " + String.join("; ", problems));
        }
        bases = List.copyOf(new LinkedHashSet<>(normalized));
    }

    /** Whether {@code fhirServer}, as a hook call names it, is one of these bases. */
    public boolean permits(String fhirServer) {
        try {
            URI uri = URI.create(fhirServer);
            return uri.isAbsolute() && bases.contains(normalize(uri));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The bases as stored and shown: space-separated, with {@code private:} first when allowed. */
    public String describe() {
        return (privateAddresses && !bases.isEmpty() ? "private: " : "") + String.join(" ", bases.stream().map(URI::toString).toList());
    }

    private static String problem(URI base, boolean privateAddresses) {
        if (!base.isAbsolute() || base.getHost() == null) {
            return "must be an absolute URL with a host";
        }
        if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
            return "must not carry a query, a fragment or credentials";
        }
        if (privateAddresses) {
            return "http".equals(base.getScheme()) || "https".equals(base.getScheme()) ? null : "must be http or https";
        }
        return "https".equals(base.getScheme()) ? null : "must be https (http only for a server registered as private)";
    }

    /**
     * These bases as an administrator registers them: also refused when a public-only base's host
     * resolves now to an address that is not global unicast (it would never be reachable, and is
     * likely a mistake or worse). Stored registrations are not resolved again when read; every
     * fetch checks the address it connects to.
     */
    public static FhirServers registering(List<URI> bases, boolean privateAddresses) {
        FhirServers servers = new FhirServers(bases, privateAddresses);
        if (!privateAddresses) {
            List<String> problems = new ArrayList<>();
            for (URI base : servers.bases()) {
                String problem = resolvesPrivate(base);
                if (problem != null) {
                    problems.add(base + ": " + problem);
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("FHIR server " + String.join("; ", problems));
            }
        }
        return servers;
    }

    private static String resolvesPrivate(URI base) {
        try {
            InetAddress refused = OutboundAddresses.firstRefusedAddress(base.getHost());
            return refused == null ? null
                    : "resolves to " + refused.getHostAddress() + ", which is not a public address (register it as private if it is meant)";
        } catch (UnknownHostException e) {
            return null;   // not resolvable now; every fetch checks the address it connects to
        }
    }

    /** Scheme and host in lower case, no trailing slash: how a base is compared. */
    private static URI normalize(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return new URI(uri.getScheme().toLowerCase(java.util.Locale.ROOT), null, uri.getHost().toLowerCase(java.util.Locale.ROOT),
                    uri.getPort(), path.isEmpty() ? null : path, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
