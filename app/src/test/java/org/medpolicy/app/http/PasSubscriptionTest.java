package org.medpolicy.app.http;

import org.medpolicy.app.http.fhir.DecisionNotifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;
import org.medpolicy.fhir.Fhir;

/**
 * PAS pended requests: the provider subscribes (R4 backport, rest-hook, full-resource), gets the
 * handshake, and is notified with the updated response Bundle when a physician decides.
 */
class PasSubscriptionTest {

    @TempDir
    static Path folder;
    static TestServer server;
    static HttpServer subscriber;
    static final BlockingQueue<String[]> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        subscriber = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/notify", exchange -> {
            received.add(new String[]{String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        subscriber.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        subscriber.stop(0);
    }

    static String subscription(String criteria, String filter, String type) {
        return """
                {"resourceType":"Subscription","status":"requested","reason":"PAS decisions","criteria":"%s",
                 "_criteria":{"extension":[{"url":"http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria",
                   "valueString":"%s"}]},
                 "channel":{"type":"%s","endpoint":"http://127.0.0.1:%d/notify","header":["Authorization: Bearer subscriber-secret"],
                   "payload":"application/fhir+json","_payload":{"extension":[{"url":
                   "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content","valueCode":"full-resource"}]}}}
                """.formatted(criteria, filter, type, subscriber.getAddress().getPort());
    }

    @Test
    void handshakeThenAnEventWhenAPhysicianDecides() throws Exception {
        HttpResponse<String> created = server.post("/fhir/Subscription", "application/fhir+json",
                subscription("http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic", "org-identifier=1234567893", "rest-hook"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Subscription subscription = Fhir.parse(TestServer.json(created), Subscription.class, "subscription");
        assertThat(subscription.getStatus()).isEqualTo(Subscription.SubscriptionStatus.REQUESTED);
        assertThat(created.body()).doesNotContain("subscriber-secret");
        R4Validation.assertValid(subscription);

        String[] handshake = received.poll(10, TimeUnit.SECONDS);
        assertThat(handshake).as("the handshake arrives").isNotNull();
        assertThat(handshake[0]).isEqualTo("Bearer subscriber-secret");
        Bundle handshakeBundle = Fhir.parse(TestServer.JSON.readTree(handshake[1]), Bundle.class, "handshake");
        assertThat(handshakeBundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        Parameters status = (Parameters) handshakeBundle.getEntryFirstRep().getResource();
        assertThat(status.getParameter("type").getValue().primitiveValue()).isEqualTo("handshake");
        R4Validation.assertValid(handshakeBundle);
        String id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/", "");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String state = "";
        while (System.nanoTime() < deadline && !state.equals("active")) {
            state = TestServer.json(server.get("/fhir/Subscription/" + id)).get("status").asText();
            Thread.sleep(50);
        }
        assertThat(state).isEqualTo("active");

        QuestionnaireResponse answers = new QuestionnaireResponse().setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId("therapy").addAnswer().setValue(new Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        ClaimResponse pended = (ClaimResponse) Fhir.parse(TestServer.json(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(PasTest.request("CLAIM-S1", "M777", answers)))), Bundle.class, "submitted").getEntryFirstRep().getResource();
        assertThat(PasTest.action(pended.getItemFirstRep())).isEqualTo("A4");
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("nothing is sent while the request is pended").isNull();

        String physician = server.signedIn("dr.paul", Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + pended.getPreAuthRef() + "/decision", "{\"outcome\":\"DENIED\"}")
                .statusCode()).isEqualTo(200);
        String[] event = received.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("the decision is notified").isNotNull();
        Bundle notification = Fhir.parse(TestServer.JSON.readTree(event[1]), Bundle.class, "event");
        Parameters eventStatus = (Parameters) notification.getEntryFirstRep().getResource();
        assertThat(eventStatus.getParameter("type").getValue().primitiveValue()).isEqualTo("event-notification");
        Bundle focus = (Bundle) notification.getEntry().get(1).getResource();
        ClaimResponse decided = (ClaimResponse) focus.getEntryFirstRep().getResource();
        assertThat(decided.getPreAuthRef()).isEqualTo(pended.getPreAuthRef());
        assertThat(PasTest.action(decided.getItemFirstRep())).isEqualTo("A3");
        R4Validation.assertValid(notification);
    }

    @Test
    void badSubscriptionsAreRefusedAndPrivateEndpointsAreNotAllowedInProduction() throws Exception {
        HttpResponse<String> bad = server.post("/fhir/Subscription", "application/fhir+json",
                subscription("http://example.org/other-topic", "patient=123", "websocket"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Subscription.criteria").contains("org-identifier").contains("rest-hook");
        assertThat(org.medpolicy.app.outbound.EndpointRule.isPublicHttps(URI.create("http://127.0.0.1:8080/notify"))).isFalse();
        assertThat(org.medpolicy.app.outbound.EndpointRule.isPublicHttps(URI.create("https://127.0.0.1/notify"))).isFalse();
        assertThat(org.medpolicy.app.outbound.EndpointRule.isPublicHttps(URI.create("https://10.1.2.3/notify"))).isFalse();
        assertThat(org.medpolicy.app.outbound.EndpointRule.isPublicHttps(URI.create("https://192.168.0.7/notify"))).isFalse();
        assertThat(org.medpolicy.app.outbound.EndpointRule.isPublicHttps(URI.create("https://169.254.169.254/latest/meta-data"))).isFalse();
        assertThat(server.get("/fhir/Subscription/not-mine").statusCode()).isEqualTo(404);
    }
}
