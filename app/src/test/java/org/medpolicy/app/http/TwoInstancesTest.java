package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.store.Database;

/**
 * Issue #12: two servers on one PostgreSQL database, as a deployment behind a load balancer runs
 * them. Each has its own connection pool, caches, rate limiter, replay guard writer and HTTP server;
 * they share only the database and the signing key. Whatever one accepts or records holds on the
 * other: clients, tokens, single-use JWTs, sessions, revocations; and a client's rate is the
 * deployment's, each server enforcing its share.
 */
class TwoInstancesTest {

    private static EmbeddedPostgres postgres;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        first = new TestServer(url, "postgres", "postgres");
        second = new TestServer(Database.open(url, "postgres", "postgres"), first);
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aClientRegisteredThroughOneHasATokenTheOtherAcceptsAndADeterminationEitherReadsBack() throws Exception {
        String token = first.clientToken("tenant-on-first", "system/determinations.write system/determinations.read", TestServer.PROVIDER_NPI);
        HttpResponse<String> made = second.as(token, "POST", "/v1/determinations", JsonApiTest.REQUEST);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = TestServer.json(made).get("determinationId").asText();
        HttpResponse<String> read = first.as(token, "GET", "/v1/determinations/" + id, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(TestServer.json(read)).isEqualTo(TestServer.json(made));
    }

    @Test
    void aHookJwtAcceptedByOneIsAReplayOnTheOther() throws Exception {
        String path = "/cds-services/medpolicy-order-sign";
        String body = Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
        String jwt = first.ehrJwt(path);
        HttpResponse<String> once = first.raw(HttpRequest.newBuilder(first.uri(path)).header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(once.statusCode()).as(once.body()).isEqualTo(200);
        HttpResponse<String> again = second.raw(HttpRequest.newBuilder(second.uri(path)).header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(again.statusCode()).as("the same jti at the other server: " + again.body()).isEqualTo(401);
    }

    @Test
    void aSessionStartedOnOneWorksOnTheOtherUntilItEndsOnEither() throws Exception {
        String session = first.signedIn("rhea", Role.REVIEWER);
        assertThat(second.as(session, "GET", "/v1/cases", null).statusCode()).isEqualTo(200);
        assertThat(second.as(session, "DELETE", "/v1/sessions/current", null).statusCode()).isEqualTo(204);
        assertThat(first.as(session, "GET", "/v1/cases", null).statusCode()).as("signed out on the other server").isEqualTo(401);
    }

    @Test
    void aClientRevokedThroughOneIsRefusedByTheOther() throws Exception {
        String token = first.clientToken("revoked-on-first", "system/determinations.read");
        assertThat(second.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode()).isEqualTo(200);
        assertThat(first.security.clients().revoke("revoked-on-first", Instant.now())).isTrue();
        assertThat(second.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode()).isEqualTo(401);
    }

    @Test
    void eachServerTakesItsShareOfAClientsRate() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((first.application.servers() < 2 || second.application.servers() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(first.application.servers()).as("servers on the database, seen from the first").isEqualTo(2);
        assertThat(second.application.servers()).as("seen from the second").isEqualTo(2);

        // Registered for a burst of 10 calls and 1 a second: 5 at each server, then 429.
        Client limited = new Client("rate-shared", Client.Kind.BACKEND, null, new JWKSet(TestServer.newKey("rate-1").toPublicJWK()), List.of(),
                Scopes.parse("system/determinations.read"), 1, 10, Instant.now(), null, List.of());
        first.security.clients().register(limited);
        String token = first.security.tokens().issue(limited, Scopes.parse("system/determinations.read"), Duration.ofHours(1)).accessToken();
        for (TestServer server : List.of(first, second)) {
            int answered = 0;
            while (server.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode() == 200) {
                answered++;
            }
            assertThat(answered).as("calls answered before a 429 at one server").isBetween(5, 6);
        }
    }

    /**
     * Both servers run the reconsideration deadline sweep. Started together over the same overdue
     * reconsiderations, each is forwarded to the IRE exactly once: one FORWARD event, one case file,
     * and the forwardings the two sweeps report add up to the overdue count.
     */
    @Test
    void twoSweepsAtOnceForwardEachOverdueReconsiderationOnce() throws Exception {
        String intake = first.signedIn("sweep-intake", Role.INTAKE);
        String doctor = first.signedIn("sweep-doctor", Role.PHYSICIAN);
        List<String> filed = new java.util.ArrayList<>();
        Instant latestDue = Instant.EPOCH;
        for (int i = 0; i < 6; i++) {
            String caseId = ReconsiderationApiTest.deniedCase(first, intake, doctor, ReconsiderationApiTest.TIL);
            HttpResponse<String> made = first.as(intake, "POST", "/v1/cases/" + caseId + "/reconsiderations",
                    "{\"requestedBy\":\"MEMBER\",\"reason\":\"please look again\"}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            filed.add(TestServer.json(made).get("reconsiderationId").asText());
            Instant due = Instant.parse(TestServer.json(made).at("/clock/dueAt").asText());
            latestDue = due.isAfter(latestDue) ? due : latestDue;
        }
        Instant sweepAt = latestDue.plus(Duration.ofHours(1));
        var start = new java.util.concurrent.CyclicBarrier(2);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<List<org.medpolicy.core.reconsideration.Reconsideration>>> sweeps = new java.util.ArrayList<>();
            for (TestServer server : List.of(first, second)) {
                sweeps.add(pool.submit(() -> {
                    start.await();
                    return server.application.cases().reconsiderations().forwardOverdue(sweepAt);
                }));
            }
            java.util.Set<String> forwarded = new java.util.HashSet<>();
            int reported = 0;
            for (var sweep : sweeps) {
                for (var each : sweep.get()) {
                    forwarded.add(each.reconsiderationId());
                    reported++;
                }
            }
            assertThat(forwarded).as("forwarded by one sweep or the other").containsAll(filed);
            assertThat(reported).as("no reconsideration reported forwarded by both").isEqualTo(forwarded.size());
        } finally {
            pool.shutdownNow();
        }
        var store = new org.medpolicy.store.JdbcReconsiderationRepository(second.database, TestServer.PHI_SEAL);
        for (String id : filed) {
            assertThat(store.find(id).orElseThrow().state()).isEqualTo(org.medpolicy.core.reconsideration.ReconsiderationState.FORWARDED_TO_IRE);
            assertThat(store.history(id)).extracting(org.medpolicy.core.reconsideration.ReconsiderationEvent::action)
                    .as(id).containsOnlyOnce("FORWARD");
            assertThat(store.document(id, org.medpolicy.core.reconsideration.StoredDocument.CASE_FILE_PDF)).as("its case file").isPresent();
        }
    }

    /**
     * A provider subscribed through one server, its request pended there and decided through the
     * other: the subscriber gets one handshake and one event, not one from each server.
     */
    @Test
    void aDecisionMadeOnTheOtherServerIsNotifiedOnce() throws Exception {
        var received = new java.util.concurrent.LinkedBlockingQueue<String>();
        var subscriber = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/notify", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        subscriber.start();
        try {
            String subscription = """
                    {"resourceType":"Subscription","status":"requested","reason":"PAS decisions",
                     "criteria":"http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic",
                     "_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
                       "valueString":"org-identifier=1234567893"}]},
                     "channel":{"type":"rest-hook","endpoint":"http://127.0.0.1:%d/notify","payload":"application/fhir+json",
                       "_payload":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content",
                       "valueCode":"full-resource"}]}}}
                    """.formatted(subscriber.getAddress().getPort());
            HttpResponse<String> created = first.post("/fhir/Subscription", "application/fhir+json", subscription);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(received.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the handshake").contains("handshake");

            var answers = new org.hl7.fhir.r4.model.QuestionnaireResponse()
                    .setStatus(org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
            answers.addItem().setLinkId("therapy").addAnswer()
                    .setValue(new org.hl7.fhir.r4.model.Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
            HttpResponse<String> submitted = first.post("/fhir/Claim/$submit", "application/fhir+json",
                    org.medpolicy.fhir.Fhir.toJson(PasTest.request("CLAIM-TWO-1", "M778", answers)));
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
            var pended = (org.hl7.fhir.r4.model.ClaimResponse) org.medpolicy.fhir.Fhir.parse(TestServer.json(submitted),
                    org.hl7.fhir.r4.model.Bundle.class, "submitted").getEntryFirstRep().getResource();
            assertThat(PasTest.action(pended.getItemFirstRep())).isEqualTo("A4");

            String physician = second.signedIn("dr.second", Role.PHYSICIAN);
            HttpResponse<String> decided = second.as(physician, "POST", "/v1/cases/" + pended.getPreAuthRef() + "/decision",
                    "{\"outcome\":\"DENIED\"}");
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
            String event = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(event).as("the decision is notified").isNotNull().contains("event-notification").contains(pended.getPreAuthRef());
            assertThat(received.poll(2, java.util.concurrent.TimeUnit.SECONDS)).as("and only once").isNull();
        } finally {
            subscriber.stop(0);
        }
    }

    /**
     * A guesser spread over both servers gets the free failures once, not once per server: after
     * five wrong passwords split between them, the next attempt at either waits (429, Retry-After),
     * and the right password does not get through during the wait.
     */
    @Test
    void signInFailuresAtOneServerCountAtTheOther() throws Exception {
        first.signedIn("shared-victim", Role.INTAKE);
        java.util.function.BiFunction<TestServer, String, HttpRequest> signIn = (at, password) -> HttpRequest.newBuilder(at.uri("/v1/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"shared-victim\",\"password\":\"" + password + "\"}")).build();
        for (int i = 0; i < 5; i++) {
            TestServer at = i % 2 == 0 ? first : second;
            HttpResponse<String> wrong = at.raw(signIn.apply(at, "guess " + i));
            assertThat(wrong.statusCode()).as("free failure " + i + ": " + wrong.body()).isEqualTo(401);
        }
        HttpResponse<String> sixth = second.raw(signIn.apply(second, "guess 5"));
        assertThat(sixth.statusCode()).as("the sixth wrong password, at the other server: " + sixth.body()).isEqualTo(401);
        for (TestServer at : List.of(first, second)) {
            HttpResponse<String> waiting = at.raw(signIn.apply(at, TestServer.PASSWORD));
            assertThat(waiting.statusCode()).as("during the wait, even the right password: " + waiting.body()).isEqualTo(429);
            assertThat(waiting.headers().firstValue("Retry-After")).isPresent();
        }
    }
}
