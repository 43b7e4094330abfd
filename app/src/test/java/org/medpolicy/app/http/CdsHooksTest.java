package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.fhir.Fhir;

/** CDS Hooks / Da Vinci CRD over HTTP, checked the way the CRD conformance tests check a server (shared/spec/crd-conformance.md). */
class CdsHooksTest {

    static final String EXTENSION = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";
    static final String CARD_TYPES = "http://terminology.hl7.org/CodeSystem/cdshooks-card-type";

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

    static ObjectNode orderSign() throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(Path.of("..", "examples", "cds", "order-sign.json"))) {
            return (ObjectNode) TestServer.JSON.readTree(in);
        }
    }

    private JsonNode call(String service, JsonNode body) throws Exception {
        HttpResponse<String> response = server.post("/cds-services/" + service, "application/json", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TestServer.json(response);
    }

    private static Map<String, JsonNode> coverageInformation(JsonNode resource) {
        for (JsonNode extension : resource.path("extension")) {
            if (EXTENSION.equals(extension.path("url").asText())) {
                Map<String, JsonNode> parts = new java.util.LinkedHashMap<>();
                for (JsonNode part : extension.get("extension")) {
                    for (Map.Entry<String, JsonNode> field : part.properties()) {
                        if (field.getKey().startsWith("value")) {
                            parts.put(part.get("url").asText(), field.getValue());
                        }
                    }
                }
                return parts;
            }
        }
        return Map.of();
    }

    @Test
    void discovery() throws Exception {
        JsonNode discovery = TestServer.json(server.get("/cds-services"));
        assertThat(discovery.get("services").isArray()).isTrue();
        Set<String> hooks = new HashSet<>();
        for (JsonNode service : discovery.get("services")) {
            hooks.add(service.get("hook").asText());
            assertThat(service.get("id").isTextual()).isTrue();
            assertThat(service.get("description").isTextual()).isTrue();
            assertThat(service.get("title").isTextual()).isTrue();
            assertThat(service.path("extension").path("davinci-crd.version").get(0).asText()).isEqualTo("2.2");
            assertThat(service.path("prefetch").path("coverage").asText()).isEqualTo("Coverage?patient={{context.patientId}}&status=active");
            JsonNode options = service.path("extension").path("davinci-crd.configuration-options");
            assertThat(options).anySatisfy(option -> {
                assertThat(option.get("code").asText()).isEqualTo("coverage-info");
                assertThat(option.get("type").asText()).isEqualTo("boolean");
                assertThat(option.get("default").asBoolean()).isTrue();
                assertThat(option.get("name").isTextual() && option.get("description").isTextual()).isTrue();
            });
        }
        assertThat(hooks).contains("order-sign", "order-select");
    }

    @Test
    void orderSignAddsCoverageInformationToEachOrderAsSent() throws Exception {
        ObjectNode request = orderSign();
        JsonNode response = call("medpolicy-order-sign", request);

        JsonNode actions = response.get("systemActions");
        JsonNode orders = request.path("context").path("draftOrders").path("entry");
        assertThat(actions).hasSize(orders.size());
        Set<String> assertionIds = new HashSet<>();
        for (int i = 0; i < orders.size(); i++) {
            JsonNode sent = orders.get(i).get("resource");
            JsonNode action = actions.get(i);
            assertThat(action.get("type").asText()).isEqualTo("update");
            assertThat(action.get("description").asText()).isNotBlank();
            JsonNode updated = action.get("resource");
            Resource parsed = Fhir.parseAny(updated, "resource");
            assertThat(parsed.fhirType()).isEqualTo(sent.get("resourceType").asText());

            // The order exactly as sent, with only the extension added.
            ObjectNode withoutExtension = updated.deepCopy();
            withoutExtension.remove("extension");
            assertThat(withoutExtension).isEqualTo(sent);

            Map<String, JsonNode> info = coverageInformation(updated);
            assertThat(info).containsKeys("coverage", "covered", "date", "coverage-assertion-id");
            String covered = info.get("covered").asText();
            assertThat(covered).isIn("covered", "not-covered", "conditional", "indeterminate");
            if (info.containsKey("questionnaire")) {
                assertThat(info).containsKey("doc-needed");
            }
            if (covered.equals("not-covered")) {
                assertThat(info).doesNotContainKey("pa-needed");
            } else {
                assertThat(info).containsKey("pa-needed");
            }
            if (covered.equals("conditional")) {
                assertThat(info).containsKey("info-needed");
            }
            if (covered.equals("indeterminate")) {
                assertThat(info.get("reason").path("text").asText()).isNotBlank();
            }
            assertThat(info.get("coverage").path("reference").asText()).isEqualTo("Coverage/cov-ma-1");
            assertionIds.add(info.get("coverage-assertion-id").asText());
        }
        assertThat(assertionIds).as("one assertion id per Coverage per call").hasSize(1);

        // CPT 96365 alone needs information (DTR), Kymriah is NCD 110.24's, TIL text is not covered.
        assertThat(coverageInformation(actions.get(0).get("resource")).get("covered").asText()).isEqualTo("conditional");
        assertThat(coverageInformation(actions.get(0).get("resource")).get("info-needed").asText()).isEqualTo("detail-code");
        assertThat(coverageInformation(actions.get(0).get("resource")).get("questionnaire").asText()).contains("/fhir/Questionnaire/");
        assertThat(coverageInformation(actions.get(1).get("resource")).get("covered").asText()).isEqualTo("indeterminate");
        assertThat(coverageInformation(actions.get(2).get("resource")).get("covered").asText()).isEqualTo("not-covered");

        for (JsonNode card : response.get("cards")) {
            assertThat(card.get("uuid").asText()).isNotBlank();
            assertThat(card.get("summary").asText()).isNotBlank().hasSizeLessThan(140);
            assertThat(card.get("indicator").asText()).isIn("info", "warning", "critical");
            assertThat(card.path("source").path("label").asText()).isNotBlank();
            assertThat(card.path("source").path("topic").path("system").asText()).isEqualTo(CARD_TYPES);
            assertThat(card.path("source").path("topic").path("code").asText()).isEqualTo("coverage-info");
            for (JsonNode link : card.path("links")) {
                assertThat(link.get("url").asText()).startsWith("http://localhost");
                assertThat(link.get("type").asText()).isEqualTo("absolute");
            }
            assertThat(card.has("suggestions")).isFalse();
        }
        assertThat(response.get("cards")).anySatisfy(card -> assertThat(card.get("summary").asText()).contains("NCD 110.24"));
        assertThat(response.get("cards")).anySatisfy(card -> assertThat(card.get("summary").asText()).contains("not covered"));

        // The assertion is a logged determination.
        String assertionId = assertionIds.iterator().next();
        HttpResponse<String> logged = server.get("/v1/determinations/" + assertionId);
        assertThat(logged.statusCode()).isEqualTo(200);
        assertThat(TestServer.json(logged).get("items")).hasSize(3);
        assertThat(server.log.find(assertionId).orElseThrow().channel()).isEqualTo("CDS_HOOKS");
        JsonNode replayed = TestServer.json(server.get("/v1/determinations/" + assertionId + "/replay"));
        assertThat(replayed.get("identical").asBoolean()).as("the request CRD built replays: " + replayed.get("differences")).isTrue();

        // What the EHR was sent is kept beside the determination, byte for byte.
        HttpResponse<String> answered = server.post("/cds-services/medpolicy-order-sign", "application/json", request.toString());
        String id = coverageInformation(TestServer.json(answered).at("/systemActions/0/resource")).get("coverage-assertion-id").asText();
        HttpResponse<String> sent = server.get("/v1/determinations/" + id + "/sent");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).isEqualTo(answered.body());
        assertThat(sent.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(server.get("/v1/determinations/no-such-id/sent").statusCode()).isEqualTo(404);
    }

    @Test
    void orderSelectGivesTheSameInformationWithoutAskingForDocumentation() throws Exception {
        ObjectNode request = orderSign();
        request.put("hook", "order-select");
        ((ObjectNode) request.get("context")).putArray("selections").add("ServiceRequest/sr-infusion");
        JsonNode response = call("medpolicy-order-select", request);
        assertThat(response.get("systemActions")).hasSize(1);
        Map<String, JsonNode> info = coverageInformation(response.get("systemActions").get(0).get("resource"));
        assertThat(info.get("covered").asText()).isEqualTo("conditional");
        assertThat(info).containsKey("info-needed").doesNotContainKeys("doc-needed", "questionnaire");
    }

    @Test
    void coverageInformationCanBeSwitchedOff() throws Exception {
        ObjectNode request = orderSign();
        request.putObject("extension").putObject("davinci-crd.configuration").put("coverage-info", false);
        JsonNode response = call("medpolicy-order-sign", request);
        assertThat(response.get("cards")).noneSatisfy(card ->
                assertThat(card.path("source").path("topic").path("code").asText()).isEqualTo("coverage-info"));
        assertThat(response.get("systemActions")).isEmpty();
    }

    @Test
    void unknownKeysAreTolerated() throws Exception {
        ObjectNode request = orderSign();
        request.put("somethingNew", 1);
        ((ObjectNode) request.get("context")).put("anotherNewThing", "x");
        request.putObject("extension").putObject("davinci-crd.configuration").put("coverage-info", true).put("unheard-of", "y");
        JsonNode response = call("medpolicy-order-sign", request);
        assertThat(response.get("systemActions")).hasSize(3);
    }

    @Test
    void withoutTheCoverageTheAnswerIsIndeterminateForATechnicalReason() throws Exception {
        ObjectNode request = orderSign();
        request.remove("prefetch");
        JsonNode response = call("medpolicy-order-sign", request);
        assertThat(response.get("systemActions")).hasSize(3);
        for (JsonNode action : response.get("systemActions")) {
            Map<String, JsonNode> info = coverageInformation(action.get("resource"));
            assertThat(info.get("covered").asText()).isEqualTo("indeterminate");
            assertThat(info.get("reason").path("coding").get(0).path("code").asText()).isEqualTo("technical");
            assertThat(info.get("reason").path("text").asText()).isNotBlank();
        }
    }

    @Test
    void inactiveOrMissingCoverageIsNotCovered() throws Exception {
        ObjectNode request = orderSign();
        ((ObjectNode) request.at("/prefetch/coverage/entry/0/resource")).put("status", "cancelled");
        JsonNode inactive = call("medpolicy-order-sign", request);
        Map<String, JsonNode> info = coverageInformation(inactive.get("systemActions").get(0).get("resource"));
        assertThat(info.get("covered").asText()).isEqualTo("not-covered");
        assertThat(info.get("reason").path("coding").get(0).path("code").asText()).isEqualTo("no-active-coverage");

        ObjectNode empty = orderSign();
        ((ObjectNode) empty.at("/prefetch/coverage")).putArray("entry");
        JsonNode none = call("medpolicy-order-sign", empty);
        assertThat(coverageInformation(none.get("systemActions").get(0).get("resource")).get("reason").path("coding").get(0)
                .path("code").asText()).isEqualTo("coverage-not-found");
    }

    @Test
    void badInputIsA400OperationOutcomeNamingEachProblem() throws Exception {
        HttpResponse<String> response = server.post("/cds-services/medpolicy-order-sign", "application/json",
                "{\"hook\":\"order-sign\",\"context\":{\"draftOrders\":{\"resourceType\":\"Patient\"}}}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode outcome = TestServer.json(response);
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.get("issue")).hasSizeGreaterThanOrEqualTo(3);

        ObjectNode noId = orderSign();
        ((ObjectNode) noId.at("/context/draftOrders/entry/0/resource")).remove("id");
        HttpResponse<String> withoutId = server.post("/cds-services/medpolicy-order-sign", "application/json", noId.toString());
        assertThat(withoutId.statusCode()).isEqualTo(400);
        assertThat(withoutId.body()).contains("context.draftOrders.entry[0].resource.id");

        assertThat(server.post("/cds-services/medpolicy-order-sign", "application/json", "[1,2").statusCode()).isEqualTo(400);
        assertThat(server.post("/cds-services/no-such-service", "application/json", "{}").statusCode()).isEqualTo(404);
        ArrayNode ignored = TestServer.JSON.createArrayNode();
        assertThat(ignored).isEmpty();
    }
}
