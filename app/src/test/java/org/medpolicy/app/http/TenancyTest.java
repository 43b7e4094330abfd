package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.Role;
import org.medpolicy.fhir.Fhir;

/**
 * Tenancy, attacked as the tester of issue #12 did: a second client that knows the other's public
 * NPI, a Claim identifier and a member id. It cannot submit, subscribe, inquire, update or cancel for
 * an organization it is not registered for or a request it did not submit, and it reads back only
 * its own determinations, a page at a time. The server's own client ({@code test-all}) submits for
 * NPI {@value TestServer#PROVIDER_NPI} and holds the scope that reads every client's determinations.
 */
class TenancyTest {

    private static final String FHIR = "application/fhir+json";
    private static final String PAS_SCOPES = "system/Claim.write system/ClaimResponse.read";
    private static final String API_SCOPES = "system/determinations.write system/determinations.read";

    @TempDir
    static Path folder;
    static TestServer server;
    static HttpServer subscriber;
    static final BlockingQueue<String> toMine = new LinkedBlockingQueue<>();
    static final BlockingQueue<String> toTheirs = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (var inbox : java.util.Map.of("/mine", toMine, "/theirs", toTheirs).entrySet()) {
            subscriber.createContext(inbox.getKey(), exchange -> {
                inbox.getValue().add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
        }
        subscriber.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        subscriber.stop(0);
    }

    static String subscription(String npi, String path) {
        return """
                {"resourceType":"Subscription","status":"requested","reason":"PAS decisions",
                 "criteria":"http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic",
                 "_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
                   "valueString":"org-identifier=%s"}]},
                 "channel":{"type":"rest-hook","endpoint":"http://127.0.0.1:%d%s","payload":"application/fhir+json",
                   "_payload":{"extension":[{"url":
                   "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content","valueCode":"full-resource"}]}}}
                """.formatted(npi, subscriber.getAddress().getPort(), path);
    }

    static String forbiddenIssue(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        JsonNode outcome = TestServer.json(response);
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("forbidden");
        return outcome.at("/issue/0/diagnostics").asText();
    }

    @Test
    void aClientCannotSubmitOrSubscribeForAnOrganizationItIsNotRegisteredFor() throws Exception {
        String stranger = server.clientToken("stranger", PAS_SCOPES, "1111111112");
        int casesBefore = server.cases.openQueue(10_000).size();
        String refused = forbiddenIssue(server.as(stranger, "POST", "/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.request("CLAIM-X1", "M-X1", null))));
        assertThat(refused).contains("NPI " + TestServer.PROVIDER_NPI).contains("'stranger'").contains("1111111112");
        assertThat(server.cases.openQueue(10_000)).as("no case was filed").hasSize(casesBefore);

        forbiddenIssue(server.as(stranger, "POST", "/fhir/Subscription", FHIR, subscription(TestServer.PROVIDER_NPI, "/theirs")));
        assertThat(toTheirs.poll(300, TimeUnit.MILLISECONDS)).as("no handshake for a refused subscription").isNull();

        // Its own NPI beside another's in the provider: every NPI must be one it acts for.
        Bundle mixed = PasTest.request("CLAIM-X3", "M-X3", null);
        mixed.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(resource -> resource instanceof org.hl7.fhir.r4.model.Practitioner)
                .map(resource -> (org.hl7.fhir.r4.model.Practitioner) resource)
                .forEach(provider -> provider.getIdentifier().add(0, new org.hl7.fhir.r4.model.Identifier()
                        .setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1111111112")));
        String mine = server.clientToken("own-npi-only", PAS_SCOPES, TestServer.PROVIDER_NPI);
        assertThat(forbiddenIssue(server.as(mine, "POST", "/fhir/Claim/$submit", FHIR, Fhir.toJson(mixed)))).contains("1111111112");

        String nobody = server.clientToken("nobody", PAS_SCOPES);
        assertThat(forbiddenIssue(server.as(nobody, "POST", "/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.request("CLAIM-X2", "M-X2", null))))).contains("no organization");
    }

    @Test
    void anotherClientOfTheSameOrganizationNeitherSeesNorChangesARequestItDidNotSubmit() throws Exception {
        // A second clearinghouse for the same provider: registered for the NPI, but not the submitter.
        String other = server.clientToken("other-clearinghouse", PAS_SCOPES, TestServer.PROVIDER_NPI);
        assertThat(server.as(other, "POST", "/fhir/Subscription", FHIR, subscription(TestServer.PROVIDER_NPI, "/theirs"))
                .statusCode()).isEqualTo(201);
        assertThat(server.post("/fhir/Subscription", FHIR, subscription(TestServer.PROVIDER_NPI, "/mine")).statusCode()).isEqualTo(201);
        assertThat(toTheirs.poll(10, TimeUnit.SECONDS)).as("their handshake").isNotNull();
        assertThat(toMine.poll(10, TimeUnit.SECONDS)).as("my handshake").isNotNull();

        QuestionnaireResponse answers = new QuestionnaireResponse().setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId("therapy").addAnswer().setValue(new Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        ClaimResponse pended = (ClaimResponse) PasTest.responseOf(server.post("/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.request("CLAIM-T1", "M-T1", answers)))).getEntryFirstRep().getResource();
        String caseId = pended.getPreAuthRef();
        assertThat(PasTest.action(pended.getItemFirstRep())).as("pended until a physician signs").isEqualTo("A4");
        CaseState before = server.cases.find(caseId).orElseThrow().state();
        assertThat(server.cases.history(caseId).get(0).reason()).as("a PAS client does not state the receipt time")
                .doesNotContain("as stated");

        HttpResponse<String> inquired = server.as(other, "POST", "/fhir/Claim/$inquire", FHIR,
                Fhir.toJson(PasTest.request("CLAIM-T1", "M-T1", null)));
        assertThat(inquired.statusCode()).as("to another client the request does not exist").isEqualTo(404);
        assertThat(inquired.body()).doesNotContain("M-T1").doesNotContain(caseId);

        HttpResponse<String> updated = server.as(other, "POST", "/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.update("CLAIM-T1-U", "CLAIM-T1", "M-T1", answers, false)));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(400);
        assertThat(updated.body()).contains("names no earlier request");
        HttpResponse<String> cancelled = server.as(other, "POST", "/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.update("CLAIM-T1-C", "CLAIM-T1", "M-T1", null, true)));
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(400);
        assertThat(server.cases.find(caseId).orElseThrow().state()).as("neither changed the case").isEqualTo(before);
        assertThat(server.cases.history(caseId)).as("nor added to its history").hasSize(2);

        // The same Claim identifier from the other client is its own new request: no oracle of mine.
        Bundle theirs = PasTest.responseOf(server.as(other, "POST", "/fhir/Claim/$submit", FHIR,
                Fhir.toJson(PasTest.request("CLAIM-T1", "M-T1", null))));
        assertThat(((ClaimResponse) theirs.getEntryFirstRep().getResource()).getPreAuthRef()).isNotEqualTo(caseId);

        String physician = server.signedIn("dr.paul", Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + caseId + "/decision", "{\"outcome\":\"DENIED\"}").statusCode())
                .isEqualTo(200);
        String event = toMine.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("the submitter is told").isNotNull().contains(caseId);
        assertThat(toTheirs.poll(1, TimeUnit.SECONDS)).as("the other client is not, though it subscribed for the NPI").isNull();

        HttpResponse<String> mine = server.post("/fhir/Claim/$inquire", FHIR, Fhir.toJson(PasTest.request("CLAIM-T1", "M-T1", null)));
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains(caseId);
    }

    @Test
    void aClientReadsBackOnlyItsOwnDeterminationsAPageAtATime() throws Exception {
        String reader = server.clientToken("tenant-a", API_SCOPES);
        String neighbour = server.clientToken("tenant-b", API_SCOPES);
        String request = JsonApiTest.REQUEST.replace("PA-2026-000123", "SHARED-REQ");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> decided = server.as(reader, "POST", "/v1/determinations", request);
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);
            mine.add(TestServer.json(decided).get("determinationId").asText());
        }
        HttpResponse<String> theirs = server.as(neighbour, "POST", "/v1/determinations", request);
        String theirId = TestServer.json(theirs).get("determinationId").asText();

        for (String path : List.of("", "/sent", "/replay")) {
            HttpResponse<String> read = server.as(reader, "GET", "/v1/determinations/" + theirId + path, null);
            assertThat(read.statusCode()).as(path).isEqualTo(404);
            assertThat(read.body()).as(path).contains("No determination has id").doesNotContain("SHARED-REQ");
        }
        assertThat(server.as(reader, "GET", "/v1/determinations/" + mine.get(0), null).statusCode()).isEqualTo(200);
        assertThat(server.get("/v1/determinations/" + theirId).statusCode()).as("the read-all scope reads every client's").isEqualTo(200);
        String wildcard = server.clientToken("wildcard", "system/*.read");
        assertThat(server.as(wildcard, "GET", "/v1/determinations/" + theirId, null).statusCode())
                .as("system/*.read does not bring in reading every client's").isEqualTo(404);

        List<String> found = new ArrayList<>();
        String next = "/v1/determinations?requestId=SHARED-REQ&limit=2";
        int pages = 0;
        while (next != null) {
            JsonNode page = TestServer.json(server.as(reader, "GET", next, null));
            page.get("determinations").forEach(determination -> found.add(determination.get("determinationId").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        }
        assertThat(found).as("mine, in order, and not theirs").containsExactlyElementsOf(mine);
        assertThat(pages).isEqualTo(3);
        assertThat(TestServer.json(server.get("/v1/determinations?requestId=SHARED-REQ&limit=1000")).get("determinations"))
                .as("the read-all scope finds both clients'").hasSize(6);

        for (String limit : List.of("0", "1001", "ten")) {
            HttpResponse<String> bad = server.as(reader, "GET", "/v1/determinations?requestId=SHARED-REQ&limit=" + limit, null);
            assertThat(bad.statusCode()).as(limit).isEqualTo(400);
            assertThat(bad.body()).contains("limit");
        }
    }
}
