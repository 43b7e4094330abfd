package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;

/** The access audit: every guarded call, refused ones included, without PHI, append-only, readable by the administrator's scope only. */
class AuditTest {

    @TempDir
    static Path folder;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.h2(folder);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<JsonNode> entries(String query) throws Exception {
        HttpResponse<String> response = server.get("/v1/audit" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> entries = new ArrayList<>();
        TestServer.json(response).get("entries").forEach(entries::add);
        return entries;
    }

    @Test
    void authenticatedAndRefusedCallsAreAuditedWithoutPhi() throws Exception {
        String correlation = "audit-" + System.nanoTime();
        server.client.send(HttpRequest.newBuilder(server.uri("/v1/determinations"))
                .header("Authorization", "Bearer " + server.token).header("Content-Type", "application/json")
                .header("X-Request-Id", correlation)
                .POST(HttpRequest.BodyPublishers.ofString(JsonApiTest.REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
        server.get("/v1/determinations?requestId=MEMBER-M123456-SECRET");
        server.raw(HttpRequest.newBuilder(server.uri("/v1/policies")).header("X-Request-Id", correlation + "-refused").build());

        List<JsonNode> entries = entries("?limit=1000");
        JsonNode decided = entries.stream().filter(e -> correlation.equals(e.path("correlationId").asText())).findFirst().orElseThrow();
        assertThat(decided.get("clientId").asText()).isEqualTo("test-all");
        assertThat(decided.get("clientKind").asText()).isEqualTo("BACKEND");
        assertThat(decided.get("method").asText()).isEqualTo("POST");
        assertThat(decided.get("route").asText()).isEqualTo("POST /v1/determinations");
        assertThat(decided.get("status").asInt()).isEqualTo(201);
        assertThat(decided.get("scopes").asText()).contains("system/determinations.write");
        assertThat(decided.get("at").asText()).isNotBlank();

        JsonNode refused = entries.stream().filter(e -> (correlation + "-refused").equals(e.path("correlationId").asText()))
                .findFirst().orElseThrow();
        assertThat(refused.get("status").asInt()).isEqualTo(401);
        assertThat(refused.path("clientId").isNull() || refused.path("clientId").isMissingNode()).isTrue();

        String all = entries.toString();
        assertThat(all).doesNotContain("MEMBER-M123456-SECRET").doesNotContain("M123456").doesNotContain("requestId=");
    }

    @Test
    void hookCallsAndTokenRequestsAreAudited() throws Exception {
        String body = java.nio.file.Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
        assertThat(server.post("/cds-services/medpolicy-order-sign", "application/json", body).statusCode()).isEqualTo(200);
        List<JsonNode> entries = entries("?client=test-ehr");
        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.get("clientKind").asText()).isEqualTo("EHR");
            assertThat(entry.get("route").asText()).isEqualTo("POST /cds-services/{id}");
        });
    }

    @Test
    void onlyTheAuditScopeReadsTheAudit() throws Exception {
        Client reader = new Client("no-audit", Client.Kind.BACKEND, null, new JWKSet(TestServer.newKey("n-1").toPublicJWK()), List.of(),
                Scopes.parse("system/determinations.read system/policies.read"), 1_000, 1_000, Instant.now(), null);
        server.security.clients().register(reader);
        String token = server.security.tokens().issue(reader, reader.scopes(), Duration.ofMinutes(5)).accessToken();
        HttpResponse<String> forbidden = server.raw(HttpRequest.newBuilder(server.uri("/v1/audit"))
                .header("Authorization", "Bearer " + token).build());
        assertThat(forbidden.statusCode()).isEqualTo(403);
    }

    @Test
    void anAdminUserReadsTheAuditAndOtherUsersDoNot() throws Exception {
        String admin = server.signedIn("ada", org.medpolicy.core.cases.Role.ADMIN);
        String physician = server.signedIn("dr.paul", org.medpolicy.core.cases.Role.PHYSICIAN);
        assertThat(server.as(admin, "GET", "/v1/audit", null).statusCode()).isEqualTo(200);
        assertThat(server.as(physician, "GET", "/v1/audit", null).statusCode()).isEqualTo(403);
        List<JsonNode> entries = entries("?client=ada");
        assertThat(entries).isNotEmpty().allSatisfy(entry -> assertThat(entry.get("clientKind").asText()).isEqualTo("USER"));
    }

    @Test
    void badQueriesAreOne400ListingEachProblem() throws Exception {
        HttpResponse<String> response = server.get("/v1/audit?from=yesterday&limit=0");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode errors = TestServer.json(response).get("errors");
        assertThat(errors.toString()).contains("\"from\"").contains("\"limit\"");
        assertThat(server.get("/v1/audit?from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z").statusCode()).isEqualTo(400);
        // A year PostgreSQL cannot hold (it answered 500 there) and one before any audit: each a 400 naming its bound.
        HttpResponse<String> outside = server.get("/v1/audit?from=1800-01-01T00:00:00Z&to=%2B300000-01-01T00:00:00Z");
        assertThat(outside.statusCode()).as(outside.body()).isEqualTo(400);
        assertThat(TestServer.json(outside).get("errors").toString()).contains("\"from\"").contains("\"to\"").contains("between 1900 and 2199");
    }

    @Test
    void theAuditTableRefusesUpdatesAndDeletes() throws Exception {
        server.get("/v1/policies");
        try (Connection connection = server.database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (var rows = statement.executeQuery("SELECT COUNT(*) FROM access_audit")) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        break;
                    }
                }
                Thread.sleep(20);
            }
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE access_audit SET status = 200"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM access_audit"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
        }
    }
}
