package org.medpolicy.app.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.fhir.crd.EhrFhir;
import org.medpolicy.security.Client;

/**
 * Reads from an EHR's FHIR server for its CDS Hooks calls, only as the EHR is registered: the
 * call's {@code fhirServer} must be one of the EHR's registered bases ({@code medpolicy clients
 * add … --fhir-server URL}), is reached on public addresses only unless registered as private, and
 * every read is a GET under that base with the call's bearer token, a 3-second timeout and a 1 MiB
 * cap. A call naming any other server reads nothing, and says so. Thread-safe.
 */
public final class EhrFhirReads {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_BYTES = 1024 * 1024;

    private final OutboundHttp http;

    public EhrFhirReads(OutboundHttp http) {
        this.http = http;
    }

    /** How the calls of {@code ehr} (null when the caller is not a registered EHR) may be read from. */
    public EhrFhir.Access forEhr(Client ehr) {
        return (fhirServer, accessToken) -> {
            if (ehr == null || ehr.kind() != Client.Kind.EHR) {
                return EhrFhir.unavailable("only a registered EHR's FHIR server is read from");
            }
            if (!ehr.fhirServers().permits(fhirServer)) {
                return EhrFhir.unavailable("the fhirServer " + fhirServer + " is not registered for this EHR, so nothing was read from it"
                        + " (an administrator registers it with: medpolicy clients fhir-servers --id " + ehr.id() + " --fhir-server URL)");
            }
            String base = fhirServer.endsWith("/") ? fhirServer.substring(0, fhirServer.length() - 1) : fhirServer;
            OutboundHttp.Reach reach = ehr.fhirServers().privateAddresses() ? OutboundHttp.Reach.ANY : OutboundHttp.Reach.PUBLIC_ONLY;
            return relativeUrl -> read(URI.create(base + "/" + relativeUrl), accessToken, reach);
        };
    }

    private JsonNode read(URI url, String accessToken, OutboundHttp.Reach reach) throws EhrFhir.Unavailable {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/fhir+json");
        if (accessToken != null) {
            headers.put("Authorization", "Bearer " + accessToken);
        }
        OutboundHttp.Response response;
        try {
            response = http.get(url, headers, TIMEOUT, MAX_BYTES, reach);
        } catch (IOException e) {
            throw new EhrFhir.Unavailable("the EHR's FHIR server could not be read (" + e.getMessage() + ")");
        }
        if (response.status() != 200) {
            throw new EhrFhir.Unavailable("the EHR's FHIR server answered " + response.status());
        }
        try {
            JsonNode json = ContractJson.mapper().readTree(response.body());
            if (json == null || !json.isObject() || !json.path("resourceType").isTextual()) {
                throw new EhrFhir.Unavailable("the EHR's FHIR server answered with something that is not a FHIR resource");
            }
            return json;
        } catch (IOException e) {
            throw new EhrFhir.Unavailable("the EHR's FHIR server answered with something that is not JSON");
        }
    }
}
