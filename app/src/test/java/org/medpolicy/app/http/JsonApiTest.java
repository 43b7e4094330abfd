package org.medpolicy.app.http;

import org.medpolicy.app.http.auth.TokenRoutes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.DeterminationLog;

/** The JSON API over HTTP against a running server: every endpoint and every class of error. */
class JsonApiTest {

    @TempDir
    static Path folder;
    static TestServer server;

    static final String REQUEST = """
            {"requestId":"PA-2026-000123","kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01",
             "receivedAt":"2026-11-27T15:04:05Z","requester":{"role":"TREATING_PROVIDER","id":"NPI-1234567893"},
             "member":{"id":"M123456","state":"OR"},
             "items":[{"code":{"system":"CPT","value":"36511"},"therapy":"TUMOR_INFILTRATING_LYMPHOCYTES","product":"lifileucel",
                       "description":"TIL therapy for metastatic melanoma","diagnoses":["C43.9"],"units":1},
                      {"therapy":"CYTOKINE_INDUCED_KILLER_CELLS"}]}""";

    @BeforeAll
    static void start() {
        server = TestServer.h2(folder);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aDeterminationIsStoredAndReturnedExactlyAsItWasSent() throws Exception {
        HttpResponse<String> created = server.post("/v1/determinations", "application/json", REQUEST);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode determination = TestServer.json(created);
        String id = determination.get("determinationId").asText();
        assertThat(created.headers().firstValue("Location")).contains("/v1/determinations/" + id);
        assertThat(determination.get("status").asText()).isEqualTo("DENIED");
        assertThat(determination.get("items").get(0).get("outcome").asText()).isEqualTo("OUT_OF_SCOPE");
        assertThat(determination.get("items").get(1).get("outcome").asText()).isEqualTo("NOT_COVERED");

        HttpResponse<String> read = server.get("/v1/determinations/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(created.body());

        HttpResponse<String> found = server.get("/v1/determinations?requestId=PA-2026-000123");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(found).get("determinations")).anySatisfy(d -> assertThat(d.get("determinationId").asText()).isEqualTo(id));
    }

    @Test
    void theMemberIdIsNeverStoredInClear() throws Exception {
        String id = TestServer.json(server.post("/v1/determinations", "application/json", REQUEST)).get("determinationId").asText();
        try (Connection connection = server.database.dataSource().getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT * FROM determination_log WHERE determination_id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            StringBuilder everything = new StringBuilder();
            for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                everything.append(row.getString(column)).append('|');
            }
            assertThat(everything.toString()).doesNotContain("M123456").contains("hmac-sha256:");
            assertThat(row.getString("channel")).isEqualTo("API");
            assertThat(row.getString("policy_id")).isEqualTo("ma-immunological-cellular-gene-therapies");
            assertThat(row.getString("engine_version")).isNotBlank();
            assertThat(row.getString("request_json")).contains("NPI-1234567893");
        }
    }

    @ParameterizedTest(name = "{0} {1} with {2}: {4}")
    @CsvSource(delimiter = '|', textBlock = """
            POST | /v1/determinations | application/json | {"kind":"PRE_SERVICE"}                                   | 400
            POST | /v1/determinations | application/json | not json                                                  | 400
            POST | /v1/determinations | application/json | ''                                                        | 400
            POST | /v1/determinations | text/plain       | {}                                                        | 415
            POST | /v1/determinations |                  | {}                                                        | 415
            POST | /v1/determinations | application/json | {"kind":"PRE_SERVICE","lineOfBusiness":"COMMERCIAL","dateOfService":"2026-12-01","requester":{"role":"MEMBER"},"items":[{"therapy":"CAR_T"}]} | 422
            POST | /v1/determinations | application/json | {"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2025-03-01","requester":{"role":"MEMBER"},"items":[{"therapy":"CAR_T"}]} | 422
            GET  | /v1/determinations/no-such-id |   |                                                           | 404
            GET  | /v1/determinations |                  |                                                           | 400
            GET  | /v1/policies/no-such-policy |         |                                                           | 404
            GET  | /nowhere           |                  |                                                           | 404
            """)
    void errorsAreProblemDocuments(String method, String path, String contentType, String body, int status) throws Exception {
        HttpResponse<String> response = method.equals("GET") ? server.get(path) : server.post(path, contentType, body == null ? "" : body);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = TestServer.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("<html");
        if (status == 400 && method.equals("POST")) {
            assertThat(problem.get("errors")).isNotEmpty();
        }
    }

    @Test
    void everyFieldErrorIsListed() throws Exception {
        JsonNode problem = TestServer.json(server.post("/v1/determinations", "application/json",
                "{\"kind\":\"PRE_SERVICE\",\"requester\":{\"role\":\"PHARMACY\"},\"items\":[{}]}"));
        assertThat(problem.get("errors")).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void methodsThatDoNotExistAre405() throws Exception {
        HttpResponse<String> response = server.send("DELETE", "/v1/determinations");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void bodiesOverOneMebibyteAre413() throws Exception {
        HttpResponse<String> response = server.post("/v1/determinations", "application/json",
                "{\"items\":[{\"description\":\"" + "x".repeat(1 << 20) + "\"}]}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anInternalFaultIsA500WithACorrelationIdAndNoTrace() throws Exception {
        DeterminationLog broken = new DeterminationLog() {
            @Override public void append(DecisionRecord record) { }
            @Override public Optional<DecisionRecord> find(String id) { throw new IllegalStateException("disk on fire at /var/lib/x"); }
            @Override public void appendSent(org.medpolicy.core.log.SentRecord sent) { }
            @Override public Optional<org.medpolicy.core.log.SentRecord> findSent(String id) { return Optional.empty(); }
            @Override public org.medpolicy.core.log.DeterminationSearch.Page search(org.medpolicy.core.log.DeterminationSearch search) {
                return new org.medpolicy.core.log.DeterminationSearch.Page(List.of(), false);
            }
            @Override public void forEachRequest(java.time.Instant from, java.time.Instant to,
                                                 java.util.function.Consumer<org.medpolicy.core.log.LoggedRequest> each) { }
            @Override public boolean isReady() { return false; }
            @Override public void close() { }
        };
        try (TestServer faulty = new TestServer(broken)) {
            HttpResponse<String> response = faulty.get("/v1/determinations/x");
            assertThat(response.statusCode()).isEqualTo(500);
            JsonNode problem = TestServer.json(response);
            assertThat(problem.get("correlationId").asText()).isNotBlank();
            assertThat(response.headers().firstValue("X-Request-Id")).hasValue(problem.get("correlationId").asText());
            assertThat(response.body()).doesNotContain("disk on fire").doesNotContain("IllegalStateException");
            assertThat(faulty.get("/health").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aDeterminationTheLogCannotKeepIsNotAcknowledged() throws Exception {
        DeterminationLog full = new DeterminationLog() {
            @Override public void append(DecisionRecord record) {
                throw new org.medpolicy.core.log.LogUnavailableException("full", null);
            }
            @Override public Optional<DecisionRecord> find(String id) { return Optional.empty(); }
            @Override public void appendSent(org.medpolicy.core.log.SentRecord sent) {
                throw new org.medpolicy.core.log.LogUnavailableException("full", null);
            }
            @Override public Optional<org.medpolicy.core.log.SentRecord> findSent(String id) { return Optional.empty(); }
            @Override public org.medpolicy.core.log.DeterminationSearch.Page search(org.medpolicy.core.log.DeterminationSearch search) {
                return new org.medpolicy.core.log.DeterminationSearch.Page(List.of(), false);
            }
            @Override public void forEachRequest(java.time.Instant from, java.time.Instant to,
                                                 java.util.function.Consumer<org.medpolicy.core.log.LoggedRequest> each) { }
            @Override public boolean isReady() { return true; }
            @Override public void close() { }
        };
        try (TestServer faulty = new TestServer(full)) {
            HttpResponse<String> response = faulty.post("/v1/determinations", "application/json", REQUEST);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).doesNotContain("determinationId");

            // Every channel: nothing unrecorded is sent, and no case is filed on a determination the log does not hold.
            HttpResponse<String> hook = faulty.post("/cds-services/medpolicy-order-sign", "application/json",
                    CdsHooksTest.orderSign().toString());
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(503);
            assertThat(TestServer.json(hook).get("resourceType").asText()).isEqualTo("OperationOutcome");
            HttpResponse<String> pas = faulty.post("/fhir/Claim/$submit", "application/fhir+json",
                    org.medpolicy.fhir.Fhir.toJson(PasTest.request("CLAIM-503", "M503", null)));
            assertThat(pas.statusCode()).as(pas.body()).isEqualTo(503);
            assertThat(TestServer.json(pas).get("resourceType").asText()).isEqualTo("OperationOutcome");
            String intake = faulty.signedIn("ines", org.medpolicy.core.cases.Role.INTAKE);
            HttpResponse<String> filed = faulty.as(intake, "POST", "/v1/cases", CasesApiTest.newCase(CasesApiTest.TIL, ""));
            assertThat(filed.statusCode()).as(filed.body()).isEqualTo(503);
            assertThat(TestServer.json(filed).has("caseId")).isFalse();
            assertThat(faulty.cases.openQueue(10)).as("no case was written").isEmpty();
        }
    }

    @Test
    void methodOverridesTrailingDataAndCachesAreRefused() throws Exception {
        int before = TestServer.countLogged(server, "PA-2026-000123");
        for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
            HttpResponse<String> overridden = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/v1/determinations"))
                    .header("Authorization", "Bearer " + server.token).header(header, "POST").header("Content-Type", "application/json")
                    .method("GET", java.net.http.HttpRequest.BodyPublishers.ofString(REQUEST)).build());
            assertThat(overridden.statusCode()).as(header).isEqualTo(400);
            assertThat(overridden.body()).contains("Method-override headers are not accepted");
        }
        assertThat(TestServer.countLogged(server, "PA-2026-000123")).as("nothing was decided").isEqualTo(before);

        HttpResponse<String> trailing = server.post("/v1/determinations", "application/json", REQUEST + " {\"items\":[]}");
        assertThat(trailing.statusCode()).isEqualTo(400);
        assertThat(TestServer.countLogged(server, "PA-2026-000123")).isEqualTo(before);

        HttpResponse<String> created = server.post("/v1/determinations", "application/json", REQUEST);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(server.get("/v1/determinations/" + TestServer.json(created).get("determinationId").asText())
                .headers().firstValue("Cache-Control")).hasValue("no-store");

        HttpResponse<String> missing = server.get("/fhir/NoSuchResource/1");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(missing).get("resourceType").asText()).as("under /fhir a refusal is an OperationOutcome")
                .isEqualTo("OperationOutcome");
    }

    @Test
    void operations() throws Exception {
        HttpResponse<String> health = server.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(health).path("checks").path("database").asText()).isEqualTo("UP");

        server.post("/v1/determinations", "application/json", REQUEST);
        HttpResponse<String> metrics = server.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("medpolicy_http_requests_seconds_bucket").contains("route=\"POST /v1/determinations\"")
                .contains("medpolicy_determinations_total");

        HttpResponse<String> openApi = server.get("/openapi.json");
        JsonNode description = TestServer.json(openApi);
        assertThat(description.get("paths").has("/v1/determinations")).isTrue();
        assertThat(description.get("paths").has("/auth/token")).isTrue();
        assertThat(description.get("paths").has("/v1/audit")).isTrue();
        assertThat(description.at("/paths/~1v1~1determinations/post/security/0/smartBackend/0").asText())
                .isEqualTo("system/determinations.write");
        for (String scope : TokenRoutes.SCOPES) {
            assertThat(description.at("/components/securitySchemes/smartBackend/flows/clientCredentials/scopes").has(scope)).as(scope).isTrue();
        }

        JsonNode policies = TestServer.json(server.get("/v1/policies/ma-immunological-cellular-gene-therapies"));
        assertThat(policies.get("versions").get(0).get("version").asText()).isEqualTo("2025-07-01");
        assertThat(policies.get("categories").has("TUMOR_INFILTRATING_LYMPHOCYTES")).isTrue();
    }

    /** The same round trip on a real PostgreSQL. */
    @Test
    void onPostgresql() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             TestServer onPostgres = new TestServer(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres")) {
            HttpResponse<String> created = onPostgres.post("/v1/determinations", "application/json", REQUEST);
            assertThat(created.statusCode()).isEqualTo(201);
            String id = TestServer.json(created).get("determinationId").asText();
            assertThat(onPostgres.get("/v1/determinations/" + id).body()).isEqualTo(created.body());
            assertThat(TestServer.json(onPostgres.get("/v1/determinations?requestId=PA-2026-000123")).get("determinations")).hasSize(1);
        }
        assertThat(Files.exists(folder)).isTrue();
    }
}
