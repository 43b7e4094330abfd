package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.security.AuditEntry;
import org.medpolicy.security.AuditQuery;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;

/** The client registry, the replay guard and the access audit on H2 and on real PostgreSQL. */
class SecurityStoreTest {

    @TempDir
    static Path folder;

    private static Database open(String kind, String name) {
        return TestDatabases.open(kind, name, folder);
    }

    static Client client(String id, Client.Kind kind, String issuer) throws Exception {
        return new Client(id, kind, issuer, new JWKSet(new ECKeyGenerator(Curve.P_384).keyID(id + "-1").generate().toPublicJWK()),
                kind == Client.Kind.EHR ? List.of(URI.create("https://ehr.example/jwks.json")) : List.of(),
                kind == Client.Kind.EHR ? Scopes.none() : Scopes.parse("system/Claim.write system/determinations.read"),
                7, 9, Instant.now().truncatedTo(ChronoUnit.MILLIS), null);
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void clientsAreStoredFoundAndRevoked(String kind) throws Exception {
        try (Database database = open(kind, "clients-" + kind)) {
            JdbcClientRegistry registry = new JdbcClientRegistry(database);
            assertThat(registry.isEmpty()).isTrue();
            Client backend = client("gateway", Client.Kind.BACKEND, null);
            Client ehr = client("ehr", Client.Kind.EHR, "https://ehr.example");
            registry.register(backend);
            registry.register(ehr);

            Client found = registry.find("gateway").orElseThrow();
            assertThat(found.scopes()).isEqualTo(backend.scopes());
            assertThat(found.jwks().toString()).isEqualTo(backend.jwks().toString());
            assertThat(found.ratePerSecond()).isEqualTo(7);
            assertThat(found.burst()).isEqualTo(9);
            assertThat(found.registeredAt()).isEqualTo(backend.registeredAt());
            assertThat(registry.findByIssuer("https://ehr.example").orElseThrow().allowedJku())
                    .containsExactly(URI.create("https://ehr.example/jwks.json"));
            assertThat(registry.list()).extracting(Client::id).containsExactly("ehr", "gateway");

            assertThatThrownBy(() -> registry.register(client("gateway", Client.Kind.BACKEND, null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
            assertThatThrownBy(() -> registry.register(client("other-ehr", Client.Kind.EHR, "https://ehr.example")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");

            assertThat(registry.revoke("gateway", Instant.now())).isTrue();
            assertThat(registry.revoke("gateway", Instant.now())).isFalse();
            assertThat(registry.revoke("nobody", Instant.now())).isFalse();
            assertThat(registry.find("gateway").orElseThrow().isRevoked()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void aClientActsForTheOrganizationsItIsRegisteredFor(String kind) throws Exception {
        try (Database database = open(kind, "organizations-" + kind)) {
            JdbcClientRegistry registry = new JdbcClientRegistry(database);
            registry.register(client("clearinghouse", Client.Kind.BACKEND, null).withOrganizations(List.of("1234567893", "8189991234")));
            registry.register(client("plain", Client.Kind.BACKEND, null));
            assertThat(registry.find("clearinghouse").orElseThrow().organizations()).containsExactly("1234567893", "8189991234");
            assertThat(registry.find("plain").orElseThrow().organizations()).isEmpty();

            assertThat(registry.setOrganizations("plain", List.of("1111111112"))).isTrue();
            assertThat(registry.find("plain").orElseThrow().actsFor("1111111112")).isTrue();
            assertThat(registry.setOrganizations("clearinghouse", List.of())).isTrue();
            assertThat(registry.find("clearinghouse").orElseThrow().organizations()).isEmpty();
            assertThatThrownBy(() -> registry.setOrganizations("plain", List.of("not-an-npi")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NPI");
            assertThat(registry.find("plain").orElseThrow().organizations()).as("unchanged by a refused change").containsExactly("1111111112");
            assertThat(registry.setOrganizations("nobody", List.of("1111111112"))).isFalse();
            registry.revoke("plain", Instant.now());
            assertThat(registry.setOrganizations("plain", List.of())).as("a revoked client is not changed").isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void anEhrIsReadFromOnlyAtTheFhirServersItIsRegisteredFor(String kind) throws Exception {
        try (Database database = open(kind, "fhir-servers-" + kind)) {
            JdbcClientRegistry registry = new JdbcClientRegistry(database);
            org.medpolicy.security.FhirServers publicOnes = new org.medpolicy.security.FhirServers(
                    List.of(URI.create("https://ehr.example/fhir/r4"), URI.create("https://ehr.example/fhir/stu3")), false);
            registry.register(client("ehr", Client.Kind.EHR, "https://ehr.example").withFhirServers(publicOnes));
            registry.register(client("plain-ehr", Client.Kind.EHR, "https://other.example"));
            assertThat(registry.find("ehr").orElseThrow().fhirServers()).isEqualTo(publicOnes);
            assertThat(registry.find("plain-ehr").orElseThrow().fhirServers()).isEqualTo(org.medpolicy.security.FhirServers.none());

            org.medpolicy.security.FhirServers test = new org.medpolicy.security.FhirServers(
                    List.of(URI.create("http://127.0.0.1:9000/fhir")), true);
            assertThat(registry.setFhirServers("plain-ehr", test)).isTrue();
            assertThat(registry.findByIssuer("https://other.example").orElseThrow().fhirServers().permits("http://127.0.0.1:9000/fhir"))
                    .isTrue();
            registry.register(client("gateway", Client.Kind.BACKEND, null));
            assertThatThrownBy(() -> registry.setFhirServers("gateway", test)).hasMessageContaining("not an EHR");
            assertThat(registry.setFhirServers("nobody", test)).isFalse();

            assertThat(registry.change("ehr", client -> client.withVersions(new org.medpolicy.security.GuideVersions("2.0", "2.2")))).isTrue();
            Client changed = registry.find("ehr").orElseThrow();
            assertThat(changed.versions()).isEqualTo(new org.medpolicy.security.GuideVersions("2.0", "2.2"));
            assertThat(changed.fhirServers()).as("kept by a change of something else").isEqualTo(publicOnes);
            assertThatThrownBy(() -> registry.change("ehr", client -> client.withVersions(client.versions().withCrd("latest"))))
                    .hasMessageContaining("major.minor");
            assertThat(registry.find("ehr").orElseThrow().versions().crd()).as("unchanged by a refused change").isEqualTo("2.0");
            assertThatThrownBy(() -> registry.change("gateway", client -> client.withVersions(client.versions().withCrd("2.0"))))
                    .hasMessageContaining("not an EHR");
            assertThat(registry.change("gateway", client -> client.withVersions(client.versions().withDtr("2.2")))).isTrue();
            assertThat(registry.find("gateway").orElseThrow().versions().dtr()).isEqualTo("2.2");
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void aPasRequestIsFoundOnlyByTheClientThatSubmittedIt(String kind) {
        try (Database database = open(kind, "pas-" + kind)) {
            JdbcPriorAuthorizationRequests requests = new JdbcPriorAuthorizationRequests(database, TestPhi.SEAL, TestPhi.HASHER);
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            var mine = new org.medpolicy.core.cases.PriorAuthorizationRequest("case-1", "mine", "urn:claims|C-1", "urn:members|M1",
                    List.of(1), "{}", "client:mine", at);
            requests.save(mine);
            assertThat(requests.find("mine", "urn:claims|C-1", "urn:members|M1")).contains(asStored(mine));
            assertThat(requests.find("other", "urn:claims|C-1", "urn:members|M1")).as("to another client it does not exist").isEmpty();
            // Another client may use the same Claim identifier: it learns nothing of the first.
            var theirs = new org.medpolicy.core.cases.PriorAuthorizationRequest("case-2", "other", "urn:claims|C-1", "urn:members|M1",
                    List.of(1), "{}", "client:other", at);
            requests.save(theirs);
            assertThat(requests.find("other", "urn:claims|C-1", "urn:members|M1")).contains(asStored(theirs));
            assertThat(requests.find("mine", "urn:claims|C-1", "urn:members|M2")).as("another patient's").isEmpty();
            assertThatThrownBy(() -> requests.save(mine)).isInstanceOf(IllegalArgumentException.class);
            assertThat(requests.isClaimed("mine", "urn:claims|C-1")).as("whatever the patient").isTrue();
            // The same identifier given to a new request of the same member: it names the newest from then on.
            var newer = new org.medpolicy.core.cases.PriorAuthorizationRequest("case-4", "mine", "urn:claims|C-1", "urn:members|M1",
                    List.of(1, 2), "{}", "client:mine", at.plusSeconds(1));
            requests.save(newer);
            assertThat(requests.find("mine", "urn:claims|C-1", "urn:members|M1")).contains(asStored(newer));
            assertThat(requests.latestFor("case-1")).as("the first case keeps its own").contains(asStored(mine));
            // A Bundle sealed before V17 was bound to client and claim alone: it still opens.
            try (Connection connection = database.dataSource().getConnection();
                 var insert = connection.prepareStatement("INSERT INTO pas_request (client_id, claim_key, case_id, patient_key, item_sequences, "
                         + "request_bundle, submitted_by, submitted_at) VALUES ('mine', 'urn:claims|C-9', 'case-9', ?, '1', ?, 'client:mine', ?)")) {
                insert.setString(1, TestPhi.HASHER.hash("urn:members|M1"));
                insert.setString(2, TestPhi.SEAL.sealText("{\"old\":true}", "pas_request|mine|urn:claims|C-9|request_bundle"));
                insert.setObject(3, at.atOffset(java.time.ZoneOffset.UTC));
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            assertThat(requests.find("mine", "urn:claims|C-9", "urn:members|M1").orElseThrow().requestBundleJson()).isEqualTo("{\"old\":true}");
            assertThat(requests.isClaimed("mine", "urn:claims|C-2")).isFalse();
            // A failure that is not the key's: the store's own, not "already submitted".
            var tooLong = new org.medpolicy.core.cases.PriorAuthorizationRequest("case-3", "mine", "urn:claims|" + "C".repeat(600),
                    "urn:members|M1", List.of(1), "{}", "client:mine", at);
            assertThatThrownBy(() -> requests.save(tooLong)).isNotInstanceOf(IllegalArgumentException.class);
        }
    }

    /** {@code request} as the store gives it back: the patient's identifier only as its keyed hash. */
    private static org.medpolicy.core.cases.PriorAuthorizationRequest asStored(org.medpolicy.core.cases.PriorAuthorizationRequest request) {
        return new org.medpolicy.core.cases.PriorAuthorizationRequest(request.caseId(), request.clientId(), request.claimKey(),
                TestPhi.HASHER.hash(request.patientKey()), request.itemSequences(), request.requestBundleJson(), request.submittedBy(),
                request.submittedAt());
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void ofManyConcurrentUsesOfOneJtiExactlyOneIsFirst(String kind) throws Exception {
        try (Database database = open(kind, "replay-" + kind)) {
            JdbcReplayGuard guard = new JdbcReplayGuard(database, Clock.systemUTC());
            Instant expires = Instant.now().plusSeconds(300);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                attempts.add(() -> guard.firstUse("client-a", "jti-1", expires));
            }
            long firsts = 0;
            for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
                firsts += attempt.get() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(firsts).isEqualTo(1);
            assertThat(guard.firstUse("client-b", "jti-1", expires)).as("ids are per issuer").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void theAuditIsWrittenBehindAndReadNewestFirst(String kind) throws Exception {
        try (Database database = open(kind, "audit-" + kind); JdbcAuditTrail audit = new JdbcAuditTrail(database)) {
            Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < 2_000; i++) {
                audit.record(new AuditEntry(start.plusMillis(i), i % 2 == 0 ? "a" : "b", "BACKEND", "system/Claim.write", "POST",
                        "POST /fhir/Claim/$submit", 200 + i % 3, "c-" + i, null));
            }
            List<AuditEntry> newest = audit.find(new AuditQuery(start, start.plusSeconds(10), null, 5));
            assertThat(newest).hasSize(5);
            assertThat(newest.get(0).correlationId()).isEqualTo("c-1999");
            assertThat(audit.find(new AuditQuery(start, start.plusSeconds(10), "a", 1_000))).hasSize(1_000)
                    .allSatisfy(entry -> assertThat(entry.clientId()).isEqualTo("a"));
            assertThat(audit.dropped()).isZero();
            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM access_audit"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
    }
}
