package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD hooks beyond order-sign and order-select (order-dispatch, appointment-book,
 * encounter-start, encounter-discharge), and reading what prefetch lacks from the EHR's FHIR
 * server: a listener on loopback plays the EHR, registered for the test EHR as a private server.
 */
class CrdHooksTest {

    static final String EXTENSION = CdsHooksTest.EXTENSION;
    static final String HCPCS = "https://bluebutton.cms.gov/resources/codesystem/hcpcs";

    @TempDir
    static Path folder;
    static TestServer server;
    static HttpServer ehr;
    static String ehrBase;
    /** What the EHR serves, by path and query; what it was asked, with the Authorization header. */
    static final Map<String, String> served = new ConcurrentHashMap<>();
    static final List<String> asked = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        ehr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        ehr.createContext("/fhir", exchange -> {
            String target = exchange.getRequestURI().getRawPath().substring("/fhir/".length())
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
            asked.add(target + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            String body = served.get(target);
            byte[] bytes = (body == null ? "{\"resourceType\":\"OperationOutcome\"}" : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(body == null ? 404 : body.startsWith("500") ? 500 : 200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        ehr.start();
        ehrBase = "http://127.0.0.1:" + ehr.getAddress().getPort() + "/fhir";
    }

    @AfterAll
    static void stop() {
        ehr.stop(0);
        server.close();
    }

    @BeforeEach
    void reset() throws Exception {
        served.clear();
        asked.clear();
        server.ehrReadsFrom(ehrBase);
        ObjectNode example = CdsHooksTest.orderSign();
        served.put("Coverage?patient=pat-1234&status=active", example.path("prefetch").path("coverage").toString());
        served.put("Patient/pat-1234", example.path("prefetch").path("patient").toString());
        for (JsonNode entry : example.path("context").path("draftOrders").path("entry")) {
            JsonNode order = entry.path("resource");
            served.put(order.path("resourceType").asText() + "/" + order.path("id").asText(), order.toString());
        }
        served.put("Encounter/enc-1", """
                {"resourceType":"Encounter","id":"enc-1","status":"planned",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
                 "type":[{"coding":[{"system":"%s","code":"Q2042","display":"Tisagenlecleucel"}]}],
                 "subject":{"reference":"Patient/pat-1234"},"period":{"start":"2026-12-10"}}""".formatted(HCPCS));
    }

    private static ObjectNode call(String hook) {
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("hook", hook);
        body.put("hookInstance", UUID.randomUUID().toString());
        body.put("fhirServer", ehrBase);
        ObjectNode authorization = body.putObject("fhirAuthorization");
        authorization.put("access_token", "ehr-token-1");
        authorization.put("token_type", "Bearer");
        authorization.put("expires_in", 300);
        authorization.put("scope", "user/Patient.read user/Coverage.read user/ServiceRequest.read");
        authorization.put("subject", "medpolicy");
        ObjectNode context = body.putObject("context");
        context.put("userId", "Practitioner/pr-1");
        context.put("patientId", "pat-1234");
        return body;
    }

    /** The example order-sign call with no prefetch, naming the EHR's FHIR server. */
    private static ObjectNode signWithoutPrefetch() throws Exception {
        ObjectNode sign = CdsHooksTest.orderSign();
        sign.remove("prefetch");
        sign.put("fhirServer", ehrBase);
        return sign;
    }

    private static JsonNode answer(String service, JsonNode body) throws Exception {
        HttpResponse<String> response = server.post("/cds-services/" + service, "application/json", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static JsonNode action(JsonNode response, String reference) {
        for (JsonNode action : response.path("systemActions")) {
            JsonNode resource = action.path("resource");
            if (reference.equals(resource.path("resourceType").asText() + "/" + resource.path("id").asText())) {
                assertThat(action.path("type").asText()).isEqualTo("update");
                return resource;
            }
        }
        throw new AssertionError("no update action for " + reference + " in " + response);
    }

    private static JsonNode coverageInformation(JsonNode resource) {
        for (JsonNode extension : resource.path("extension")) {
            if (EXTENSION.equals(extension.path("url").asText())) {
                return extension;
            }
        }
        throw new AssertionError("no coverage information on " + resource);
    }

    private static String part(JsonNode information, String url) {
        for (JsonNode part : information.path("extension")) {
            if (url.equals(part.path("url").asText())) {
                for (var field : part.properties()) {
                    if (field.getKey().startsWith("value")) {
                        return field.getValue().isObject() ? field.getValue().toString() : field.getValue().asText();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void discoveryListsEveryHookTheGuideNamesWithItsPrefetch() throws Exception {
        JsonNode discovery = TestServer.json(server.get("/cds-services"));
        Map<String, JsonNode> byHook = new java.util.HashMap<>();
        discovery.path("services").forEach(service -> byHook.put(service.path("hook").asText(), service));
        assertThat(byHook).containsOnlyKeys("order-sign", "order-select", "order-dispatch", "appointment-book",
                "encounter-start", "encounter-discharge");
        byHook.values().forEach(service -> assertThat(service.path("prefetch").path("coverage").asText())
                .isEqualTo("Coverage?patient={{context.patientId}}&status=active"));
        assertThat(byHook.get("encounter-start").path("prefetch").path("encounter").asText()).isEqualTo("Encounter/{{context.encounterId}}");
        assertThat(byHook.get("encounter-discharge").path("description").asText()).contains("information only");
    }

    @Test
    void orderDispatchReadsTheOrderAndTheCoverageFromTheEhrWithItsToken() throws Exception {
        ObjectNode body = call("order-dispatch");
        body.withObject("context").putArray("dispatchedOrders").add("MedicationRequest/mr-kymriah");
        body.withObject("context").put("performer", "Organization/infusion-center");
        JsonNode response = answer("medpolicy-order-dispatch", body);

        JsonNode order = action(response, "MedicationRequest/mr-kymriah");
        JsonNode information = coverageInformation(order);
        assertThat(part(information, "coverage")).contains("Coverage/cov-ma-1");
        assertThat(part(information, "coverage-assertion-id")).doesNotStartWith("none-");
        assertThat(asked).containsExactlyInAnyOrder("MedicationRequest/mr-kymriah Bearer ehr-token-1",
                "Coverage?patient=pat-1234&status=active Bearer ehr-token-1");
        // The order is sent back as the EHR served it, with the extension added.
        assertThat(order.path("medicationCodeableConcept").path("text").asText()).isEqualTo("Kymriah");
    }

    @Test
    void theKitsSingleOrderFormOfOrderDispatchIsReadToo() throws Exception {
        ObjectNode body = call("order-dispatch");
        body.withObject("context").put("order", "ServiceRequest/sr-infusion");
        body.withObject("context").put("performer", "Practitioner/pr-2");
        body.putObject("prefetch").set("coverage", CdsHooksTest.orderSign().path("prefetch").path("coverage"));
        JsonNode response = answer("medpolicy-order-dispatch", body);
        assertThat(part(coverageInformation(action(response, "ServiceRequest/sr-infusion")), "covered")).isNotNull();
        assertThat(asked).as("the coverage came in prefetch: only the order is read").containsExactly(
                "ServiceRequest/sr-infusion Bearer ehr-token-1");
    }

    @Test
    void appointmentBookPutsCoverageInformationOnEachProposedAppointment() throws Exception {
        ObjectNode body = call("appointment-book");
        ObjectNode appointment = TestServer.JSON.createObjectNode();
        appointment.put("resourceType", "Appointment");
        appointment.put("id", "appt-1");
        appointment.put("status", "proposed");
        appointment.putArray("serviceType").addObject().putArray("coding").addObject().put("system", HCPCS).put("code", "Q2042")
                .put("display", "Tisagenlecleucel");
        appointment.put("start", "2026-12-15T09:00:00-05:00");
        appointment.put("end", "2026-12-15T17:00:00-05:00");
        appointment.putArray("participant").addObject().put("status", "needs-action").putObject("actor").put("reference", "Patient/pat-1234");
        ObjectNode bundle = body.withObject("context").putObject("appointments");
        bundle.put("resourceType", "Bundle");
        bundle.put("type", "collection");
        bundle.putArray("entry").addObject().set("resource", appointment);
        JsonNode response = answer("medpolicy-appointment-book", body);

        JsonNode booked = action(response, "Appointment/appt-1");
        assertThat(part(coverageInformation(booked), "coverage")).contains("Coverage/cov-ma-1");
        assertThat(booked.path("start").asText()).isEqualTo("2026-12-15T09:00:00-05:00");
        assertThat(asked).containsExactly("Coverage?patient=pat-1234&status=active Bearer ehr-token-1");
    }

    @Test
    void encounterHooksInformWithoutAskingForDocumentation() throws Exception {
        for (String hook : List.of("encounter-start", "encounter-discharge")) {
            asked.clear();
            ObjectNode body = call(hook);
            body.withObject("context").put("encounterId", "enc-1");
            JsonNode response = answer("medpolicy-" + hook, body);
            JsonNode information = coverageInformation(action(response, "Encounter/enc-1"));
            assertThat(part(information, "questionnaire")).as(hook).isNull();
            assertThat(part(information, "doc-needed")).as(hook).isNull();
            assertThat(asked).as(hook).contains("Encounter/enc-1 Bearer ehr-token-1");
            for (JsonNode card : response.path("cards")) {
                for (JsonNode link : card.path("links")) {
                    assertThat(link.path("type").asText()).as(hook + ": no DTR launch").isNotEqualTo("smart");
                }
            }
        }
    }

    @Test
    void aFhirServerNotRegisteredForTheEhrIsNeverCalled() throws Exception {
        server.ehrReadsFrom();   // none
        ObjectNode body = call("order-dispatch");
        body.withObject("context").putArray("dispatchedOrders").add("ServiceRequest/sr-infusion");
        body.withObject("context").put("performer", "Practitioner/pr-2");
        JsonNode response = answer("medpolicy-order-dispatch", body);
        assertThat(response.path("systemActions")).isEmpty();
        assertThat(response.path("cards").toString()).contains("ServiceRequest/sr-infusion could not be read")
                .contains("is not registered for this EHR");
        assertThat(asked).isEmpty();

        // With the order in the call but no coverage, the answer is indeterminate for a technical reason that says why.
        ObjectNode sign = signWithoutPrefetch();
        JsonNode signed = answer("medpolicy-order-sign", sign);
        JsonNode information = coverageInformation(signed.path("systemActions").get(0).path("resource"));
        assertThat(part(information, "covered")).isEqualTo("indeterminate");
        assertThat(part(information, "reason")).contains("is not registered for this EHR");
        assertThat(asked).isEmpty();
    }

    @Test
    void anEhrThatFailsGivesATechnicalAnswerNotAnError() throws Exception {
        served.put("Coverage?patient=pat-1234&status=active", "500 oops");
        ObjectNode sign = signWithoutPrefetch();
        JsonNode response = answer("medpolicy-order-sign", sign);
        JsonNode information = coverageInformation(response.path("systemActions").get(0).path("resource"));
        assertThat(part(information, "reason")).contains("answered 500");
        assertThat(part(information, "coverage-assertion-id")).startsWith("none-");
    }

    @Test
    void badHookContextsAre400sNamingEachProblem() throws Exception {
        ObjectNode dispatch = call("order-dispatch");
        dispatch.withObject("context").put("order", "Patient/pat-1234");
        HttpResponse<String> response = server.post("/cds-services/medpolicy-order-dispatch", "application/json", dispatch.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("OperationOutcome").contains("context.order").contains("context.performer");

        ObjectNode encounter = call("encounter-start");
        encounter.withObject("context").put("patientId", "pat-1234&status=x");
        response = server.post("/cds-services/medpolicy-encounter-start", "application/json", encounter.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("context.encounterId").contains("context.patientId");

        ObjectNode booking = call("appointment-book");
        ArrayNode entries = booking.withObject("context").putObject("appointments").put("resourceType", "Bundle").put("type", "collection")
                .putArray("entry");
        entries.addObject().putObject("resource").put("resourceType", "ServiceRequest").put("id", "x").put("status", "draft")
                .put("intent", "order").putObject("subject").put("reference", "Patient/pat-1234");
        response = server.post("/cds-services/medpolicy-appointment-book", "application/json", booking.toString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("context.appointments.entry[0]").contains("must be an Appointment");
        assertThat(asked).as("nothing is read for a call that is refused").isEmpty();
    }
}
