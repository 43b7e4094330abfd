package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirServersTest {

    @Test
    void aCallsFhirServerMustBeARegisteredBaseComparedWithoutCaseOrTrailingSlash() {
        FhirServers servers = new FhirServers(List.of(URI.create("https://EHR.example.org/fhir/r4/")), false);
        assertThat(servers.permits("https://ehr.example.org/fhir/r4")).isTrue();
        assertThat(servers.permits("HTTPS://ehr.example.org/fhir/r4/")).isTrue();
        assertThat(servers.permits("https://ehr.example.org/fhir")).isFalse();
        assertThat(servers.permits("https://ehr.example.org/fhir/r4/other")).isFalse();
        assertThat(servers.permits("https://ehr.example.org:8443/fhir/r4")).isFalse();
        assertThat(servers.permits("http://ehr.example.org/fhir/r4")).isFalse();
        assertThat(servers.permits("not a url")).isFalse();
        assertThat(FhirServers.none().permits("https://ehr.example.org/fhir/r4")).isFalse();
    }

    @Test
    void httpAndPrivateAddressesOnlyWhenRegisteredSo() {
        assertThatThrownBy(() -> new FhirServers(List.of(URI.create("http://ehr.example.org/fhir")), false))
                .hasMessageContaining("must be https");
        assertThatThrownBy(() -> FhirServers.registering(List.of(URI.create("https://127.0.0.1/fhir")), false))
                .hasMessageContaining("not a public address");
        assertThatThrownBy(() -> FhirServers.registering(List.of(URI.create("https://10.0.0.8/fhir")), false))
                .hasMessageContaining("not a public address");
        assertThat(FhirServers.registering(List.of(URI.create("http://127.0.0.1:8081/fhir")), true).permits("http://127.0.0.1:8081/fhir"))
                .isTrue();
    }

    @Test
    void aBaseCarriesNoQueryFragmentOrCredentials() {
        for (String bad : List.of("https://ehr.example.org/fhir?x=1", "https://ehr.example.org/fhir#top",
                "https://user:pw@ehr.example.org/fhir", "/fhir", "ftp://ehr.example.org/fhir")) {
            assertThatThrownBy(() -> new FhirServers(List.of(URI.create(bad)), true)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void onlyAnEhrIsReadFrom() {
        Client ehr = new Client("ehr", Client.Kind.EHR, "https://ehr.example.org", new com.nimbusds.jose.jwk.JWKSet(), List.of(
                URI.create("https://ehr.example.org/jwks")), Scopes.none(), 1, 1, java.time.Instant.now(), null);
        FhirServers servers = new FhirServers(List.of(URI.create("https://ehr.example.org/fhir")), false);
        assertThat(ehr.withFhirServers(servers).fhirServers()).isEqualTo(servers);
        Client backend = new Client("gw", Client.Kind.BACKEND, null, new com.nimbusds.jose.jwk.JWKSet(), List.of(
                URI.create("https://gw.example.org/jwks")), Scopes.none(), 1, 1, java.time.Instant.now(), null);
        assertThatThrownBy(() -> backend.withFhirServers(servers)).hasMessageContaining("not an EHR");
    }
}
