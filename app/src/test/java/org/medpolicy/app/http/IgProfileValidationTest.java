package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.fhir.Fhir;

/**
 * What medpolicy returns on {@code /fhir} and {@code /cds-services}, driven by the certification
 * kits' own request fixtures ({@code shared/interop}) and validated against the published Da Vinci
 * and US Core packages the kits validate with ({@link IgValidation}): PAS response and inquiry
 * Bundles and ClaimResponses, the DTR questionnaire package (Questionnaire, QuestionnaireResponse,
 * Libraries, ValueSets), the resources CRD's system actions carry, and the CapabilityStatement.
 * Errors the loaded definitions decide must be none; what they cannot decide (definitions no
 * package here holds) is written, with every resource checked, to
 * {@code target/ig-validation-report.txt}. A broken ClaimResponse proves the validator bites.
 */
class IgProfileValidationTest {

    static final String PAS = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    static final String DTR = "http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/";
    static final String CRD = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/";
    static final Path INTEROP = SharedInterop.FOLDER;

    @TempDir
    static Path folder;
    static TestServer server;
    static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.h2(folder);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Files.write(Path.of("target", "ig-validation-report.txt"), REPORT);
    }

    /** A kit fixture, with its 2016 dates of service moved into the policy's years and its claim identifier made unique. */
    static String fixture(String folderName, String file, String suffix) throws Exception {
        return Files.readString(INTEROP.resolve(folderName).resolve(file)).replaceAll("\"servicedDate\" *: *\"2016-", "\"servicedDate\": \"2026-")
                .replace("\"2016-08-10\"", "\"2026-08-10\"").replace("\"2016-08-12\"", "\"2026-08-12\"").replace("111099", "111099" + suffix);
    }

    /** Validates and records; fails on an error the loaded definitions decide. */
    static void valid(String what, Resource resource, String... profiles) {
        IgValidation.Report report = IgValidation.validate(resource, profiles);
        REPORT.add("== " + what + " " + String.join(" ", profiles) + ": " + report.errors().size() + " errors, "
                + report.undecidable().size() + " not decidable with the packages here");
        report.errors().forEach(error -> REPORT.add("ERROR " + error));
        report.undecidable().forEach(line -> REPORT.add("NOT DECIDABLE " + line));
        assertThat(report.errors()).as(what + " against " + String.join(", ", profiles)).isEmpty();
    }

    static Bundle submitted(String file, String suffix) throws Exception {
        HttpResponse<String> response = server.post("/fhir/Claim/$submit", "application/fhir+json", fixture("pas", file, suffix));
        assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
        return Fhir.parse(TestServer.json(response), Bundle.class, "response");
    }

    @Test
    void pasResponsesConformToPas221() throws Exception {
        // In the kit's order: approval, then denial (the same Bundle: answered as a retry), then pended (a new request).
        List<String> files = List.of("approval_pa_submit_request_payload.json", "denial_pa_submit_request_payload.json",
                "pended_pa_submit_request_payload.json");
        List<String> bodies = new ArrayList<>();
        // Under one identifier and one member, as the kit sends them (its approval and denial examples are the same Bundle).
        for (String file : files) {
            bodies.add(fixture("pas", file, "-kit"));
        }
        // The must-support fixture is a list of request Bundles.
        int n = 0;
        for (JsonNode bundle : TestServer.JSON.readTree(fixture("pas", "must_support_pa_submit_request_payload.json", "-ms"))) {
            bodies.add(bundle.toString().replace("111099-ms", "111099-ms" + n++));
        }
        List<String> cases = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            String what = i < files.size() ? files.get(i) : "must_support_pa_submit_request_payload.json #" + (i - files.size() + 1);
            HttpResponse<String> submitted = server.post("/fhir/Claim/$submit", "application/fhir+json", bodies.get(i));
            assertThat(submitted.statusCode()).as(what + ": " + submitted.body()).isEqualTo(200);
            Bundle response = Fhir.parse(TestServer.json(submitted), Bundle.class, "response");
            cases.add(((ClaimResponse) response.getEntryFirstRep().getResource()).getPreAuthRef());
            valid("PAS $submit response to " + what, response, PAS + "profile-pas-response-bundle");
            valid("PAS ClaimResponse for " + what, (ClaimResponse) response.getEntryFirstRep().getResource(), PAS + "profile-claimresponse");
        }
        JsonNode inquiries = TestServer.JSON.readTree(fixture("pas", "pended_pa_inquire_request_payload.json", "-kit"));
        String inquiry = (inquiries.isArray() ? inquiries.get(0) : inquiries).toString();
        HttpResponse<String> inquired = server.post("/fhir/Claim/$inquire", "application/fhir+json", inquiry);
        assertThat(inquired.statusCode()).as("the kit's inquiry names the request submitted under its identifier: " + inquired.body())
                .isEqualTo(200);
        Parameters parameters = Fhir.parse(TestServer.json(inquired), Parameters.class, "inquiry");
        Bundle answer = (Bundle) parameters.getParameterFirstRep().getResource();
        valid("PAS $inquire answer", answer, PAS + "profile-pas-inquiry-response-bundle");
        assertThat(cases.get(1)).as("the denial example is the approval's Bundle again: the same request").isEqualTo(cases.get(0));
        assertThat(cases.get(2)).as("the pended example asks for something else: a request of its own").isNotEqualTo(cases.get(0));
        assertThat(((ClaimResponse) answer.getEntryFirstRep().getResource()).getPreAuthRef()).as("the inquiry names the newest")
                .isEqualTo(cases.get(2));
    }

    @Test
    void aRequestNoPolicyDecidesIsPendedForAPersonNotRefused() throws Exception {
        // The kit's approval request as sent: its 2016 date of service is before every version of this policy.
        String asSent = Files.readString(INTEROP.resolve("pas").resolve("approval_pa_submit_request_payload.json"))
                .replace("111099", "111099-asSent");
        HttpResponse<String> answered = server.post("/fhir/Claim/$submit", "application/fhir+json", asSent);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        Bundle response = Fhir.parse(TestServer.json(answered), Bundle.class, "response");
        valid("PAS response to a request no policy decides", response, PAS + "profile-pas-response-bundle");
        ClaimResponse pended = (ClaimResponse) response.getEntryFirstRep().getResource();
        assertThat(pended.getItem()).allSatisfy(item -> assertThat(PasTest.action(item)).isEqualTo("A4"));
        assertThat(pended.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("Pended for review");
        JsonNode reviewCase = TestServer.json(server.get("/v1/cases/" + pended.getPreAuthRef()));
        assertThat(reviewCase.get("state").asText()).isEqualTo("PENDED");
        assertThat(reviewCase.get("history")).extracting(event -> event.get("action").asText()).containsExactly("RECEIVE", "UNDECIDABLE");
        String physician = server.signedIn("dr.ire", org.medpolicy.core.cases.Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + pended.getPreAuthRef() + "/decision", "{\"outcome\":\"APPROVED\"}").statusCode())
                .as("a decision against no recommendation needs a rationale").isEqualTo(422);
        HttpResponse<String> decided = server.as(physician, "POST", "/v1/cases/" + pended.getPreAuthRef() + "/decision",
                "{\"outcome\":\"APPROVED\",\"rationale\":\"A consultation needs no prior authorization under the plan's rules.\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        // The request Bundle serves as the inquiry: its Claim identifier and patient name the request.
        HttpResponse<String> inquired = server.post("/fhir/Claim/$inquire", "application/fhir+json", asSent);
        assertThat(inquired.statusCode()).as(inquired.body()).isEqualTo(200);
        Bundle now = (Bundle) Fhir.parse(TestServer.json(inquired), Parameters.class, "p").getParameterFirstRep().getResource();
        assertThat(((ClaimResponse) now.getEntryFirstRep().getResource()).getItem())
                .allSatisfy(item -> assertThat(PasTest.action(item)).isEqualTo("A1"));
    }

    @Test
    void aDenialOfARequestNoPolicyDecidesCanBeAppealed() throws Exception {
        String asSent = Files.readString(INTEROP.resolve("pas").resolve("denial_pa_submit_request_payload.json"))
                .replace("111099", "111099-appealed");
        HttpResponse<String> answered = server.post("/fhir/Claim/$submit", "application/fhir+json", asSent);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        String caseId = ((ClaimResponse) Fhir.parse(TestServer.json(answered), Bundle.class, "r").getEntryFirstRep().getResource()).getPreAuthRef();
        String physician = server.signedIn("dr.first", org.medpolicy.core.cases.Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + caseId + "/decision",
                "{\"outcome\":\"DENIED\",\"rationale\":\"Not medically necessary for this member.\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> filed = server.as(physician, "POST", "/v1/cases/" + caseId + "/reconsiderations", "{\"requestedBy\":\"MEMBER\"}");
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        JsonNode appeal = TestServer.json(filed);
        assertThat(appeal.has("recommendation")).as("no policy decides it: no engine recommendation").isFalse();
        String other = server.signedIn("dr.second", org.medpolicy.core.cases.Role.PHYSICIAN);
        String href = appeal.get("href").asText();
        assertThat(server.as(other, "POST", href + "/decision", "{\"outcome\":\"UPHELD\"}").statusCode()).as("a rationale is needed")
                .isEqualTo(422);
        HttpResponse<String> upheld = server.as(other, "POST", href + "/decision", "{\"outcome\":\"UPHELD\",\"rationale\":\"Still not necessary.\"}");
        assertThat(upheld.statusCode()).as(upheld.body()).isEqualTo(200);
        assertThat(server.as(other, "GET", href + "/ire-case-file.json", null).statusCode()).isEqualTo(200);
        assertThat(server.as(other, "GET", href + "/notices/decision", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theKitsClaimUpdatesLinkedByReferenceAnswerEverySubmittedItem() throws Exception {
        // Initial request, add an item, modify one and cancel one, cancel all: each update names the
        // prior Claim by reference to it in the Bundle, as the kit sends them.
        List<String> steps = List.of("claim_update_initial_submit_payload.json", "claim_update_add_item_submit_payload.json",
                "claim_update_modify_cancel_submit_payload.json", "claim_update_cancel_all_submit_payload.json");
        String caseId = null;
        for (String step : steps) {
            JsonNode bundles = TestServer.JSON.readTree(fixture("pas", step, "-upd"));
            JsonNode bundle = bundles.isArray() ? bundles.get(0) : bundles;
            HttpResponse<String> answered = server.post("/fhir/Claim/$submit", "application/fhir+json", bundle.toString());
            assertThat(answered.statusCode()).as(step + ": " + answered.body()).isEqualTo(200);
            Bundle response = Fhir.parse(TestServer.json(answered), Bundle.class, "response");
            valid("PAS update step " + step, response, PAS + "profile-pas-response-bundle");
            ClaimResponse claimResponse = (ClaimResponse) response.getEntryFirstRep().getResource();
            List<Integer> submitted = new ArrayList<>();
            bundle.at("/entry/0/resource/item").forEach(item -> submitted.add(item.get("sequence").asInt()));
            assertThat(claimResponse.getItem()).as(step + ": every submitted item answered")
                    .extracting(ClaimResponse.ItemComponent::getItemSequence).containsExactlyInAnyOrderElementsOf(submitted);
            caseId = caseId == null ? claimResponse.getPreAuthRef() : caseId;
            assertThat(claimResponse.getPreAuthRef()).as(step + ": the same request").isEqualTo(caseId);
        }
        assertThat(TestServer.json(server.get("/v1/cases/" + caseId)).get("state").asText()).as("cancelled as a whole").isEqualTo("WITHDRAWN");
    }

    @Test
    void theDtrPackageConformsToDtr201() throws Exception {
        // The kit's request names a DeviceRequest this policy has no questions about: a 404 OperationOutcome, as the
        // guide allows. The package is asked for with one of the kit's orders the policy does ask about.
        HttpResponse<String> kits = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                fixture("dtr", "initial_static_questionnaire_request.json", ""));
        REPORT.add("== DTR $questionnaire-package with the kit's static request answered " + kits.statusCode());
        HttpResponse<String> response = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"order\",\"resource\":"
                        + CdsHooksTest.orderSign().at("/context/draftOrders/entry/0/resource") + "}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters out = Fhir.parse(TestServer.json(response), Parameters.class, "package");
        valid("DTR package output", out, DTR + "dtr-qpackage-output-parameters");
        for (var parameter : out.getParameter()) {
            if (parameter.getResource() instanceof Bundle bundle) {
                valid("DTR package Bundle", bundle, DTR + "DTR-QPackageBundle");
                for (var entry : bundle.getEntry()) {
                    Resource resource = entry.getResource();
                    String what = "DTR package entry " + resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                    switch (resource.fhirType()) {
                        case "Questionnaire" -> valid(what, resource, DTR + "dtr-std-questionnaire");
                        // The package's response is the empty one the app starts from: DTR's QuestionnaireResponse
                        // profile (context, intendedUse, subject, authored) is the app's saved response, not this.
                        case "QuestionnaireResponse" -> valid(what, resource);
                        default -> valid(what, resource);
                    }
                }
            }
        }
    }

    /**
     * The DTR kit's CQL checks on a package, as its cql_test.rb makes them: every cqf-library is the
     * {@code url} of a packaged Library (compared as a whole string), each Library carries CQL and
     * ELM with data under a name no other packaged Library has, and every expression of a
     * Questionnaire is CQL that begins with the quoted name of a packaged Library.
     */
    @Test
    void theDtrPackagePassesTheKitsCqlChecks() throws Exception {
        HttpResponse<String> response = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"order\",\"resource\":"
                        + CdsHooksTest.orderSign().at("/context/draftOrders/entry/0/resource") + "}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Parameters out = Fhir.parse(TestServer.json(response), Parameters.class, "package");
        List<org.hl7.fhir.r4.model.Questionnaire> questionnaires = new ArrayList<>();
        List<org.hl7.fhir.r4.model.Library> libraries = new ArrayList<>();
        for (var parameter : out.getParameter()) {
            if (parameter.getResource() instanceof Bundle bundle) {
                for (var entry : bundle.getEntry()) {
                    if (entry.getResource() instanceof org.hl7.fhir.r4.model.Questionnaire questionnaire) {
                        questionnaires.add(questionnaire);
                    } else if (entry.getResource() instanceof org.hl7.fhir.r4.model.Library library) {
                        libraries.add(library);
                    }
                }
            }
        }
        assertThat(questionnaires).isNotEmpty();
        assertThat(libraries).isNotEmpty();
        java.util.Set<String> urls = new java.util.HashSet<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (var library : libraries) {
            urls.add(library.getUrl());
            assertThat(names.add(library.getName())).as("unique Library name " + library.getName()).isTrue();
            assertThat(library.getContent()).extracting(c -> c.getContentType()).contains("text/cql", "application/elm+json");
            assertThat(library.getContent()).allSatisfy(content -> assertThat(content.getData()).isNotEmpty());
        }
        for (var questionnaire : questionnaires) {
            List<org.hl7.fhir.r4.model.Extension> expressions = new ArrayList<>();
            for (var extension : questionnaire.getExtension()) {
                if (extension.getUrl().equals("http://hl7.org/fhir/StructureDefinition/cqf-library")) {
                    assertThat(urls).as("cqf-library of " + questionnaire.getUrl()).contains(extension.getValue().primitiveValue());
                } else if (extension.getValue() instanceof org.hl7.fhir.r4.model.Expression) {
                    expressions.add(extension);
                }
            }
            questionnaire.getItem().forEach(item -> item.getExtension().stream()
                    .filter(extension -> extension.getValue() instanceof org.hl7.fhir.r4.model.Expression).forEach(expressions::add));
            assertThat(expressions).as("prepopulation expressions of " + questionnaire.getUrl()).isNotEmpty();
            for (var extension : expressions) {
                var expression = (org.hl7.fhir.r4.model.Expression) extension.getValue();
                assertThat(expression.getLanguage()).isEqualTo("text/cql");
                assertThat(names).anySatisfy(name -> assertThat(expression.getExpression()).startsWith("\"" + name + "\""));
            }
        }
    }

    @Test
    void aDtr201ClientGetsPackageBundleAndA22ClientPackagebundle() throws Exception {
        for (String version : List.of("2.0.1", "2.2.0")) {
            HttpResponse<String> response = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                    "{\"resourceType\":\"Parameters\",\"meta\":{\"profile\":[\"" + DTR + "dtr-qpackage-input-parameters|" + version
                            + "\"]},\"parameter\":[{\"name\":\"order\",\"resource\":"
                            + CdsHooksTest.orderSign().at("/context/draftOrders/entry/0/resource") + "}]}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Parameters out = Fhir.parse(TestServer.json(response), Parameters.class, "package");
            assertThat(out.getParameter()).extracting(Parameters.ParametersParameterComponent::getName)
                    .containsOnly(version.equals("2.0.1") ? "PackageBundle" : "packagebundle");
            if (version.equals("2.0.1")) {
                valid("DTR 2.0.1 package output", out, DTR + "dtr-qpackage-output-parameters");
            }
        }
        // A client that declares nothing is answered in the DTR version it is registered for, else 2.0.1's name.
        String undeclared = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"order\",\"resource\":"
                + CdsHooksTest.orderSign().at("/context/draftOrders/entry/0/resource") + "}]}";
        for (String registered : new String[] {null, "2.2", "2.0"}) {
            server.security.clients().change("test-all", client -> client.withVersions(client.versions().withDtr(registered)));
            HttpResponse<String> response = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json", undeclared);
            assertThat(Fhir.parse(TestServer.json(response), Parameters.class, "package").getParameter())
                    .extracting(Parameters.ParametersParameterComponent::getName).as("registered " + registered)
                    .containsOnly("2.2".equals(registered) ? "packagebundle" : "PackageBundle");
        }
        server.security.clients().change("test-all", client -> client.withVersions(client.versions().withDtr(null)));
    }

    /** The example call, its orders given what CRD's order profiles require of the EHR (authoredOn, requester). */
    static String withCrdOrderFields(com.fasterxml.jackson.databind.node.ObjectNode call) {
        for (JsonNode entry : call.path("context").path("draftOrders").path("entry")) {
            var order = (com.fasterxml.jackson.databind.node.ObjectNode) entry.path("resource");
            order.put("authoredOn", "2026-11-30");
            order.putObject("requester").put("reference", "Practitioner/pr-1");
        }
        return call.toString();
    }

    @Test
    void crdSystemActionsCarryConformingResources() throws Exception {
        // The kit's reference-run calls, and the example whose infusion order asks for documentation (doc-purpose, questionnaire).
        for (String file : List.of("ri-order-sign-1.json", "ri-order-sign-2.json", "../../../main/examples/cds/order-sign.json")) {
            HttpResponse<String> response = server.post("/cds-services/medpolicy-order-sign", "application/json",
                    file.startsWith("..") ? withCrdOrderFields(CdsHooksTest.orderSign()) : Files.readString(INTEROP.resolve("crd").resolve(file)));
            assertThat(response.statusCode()).as(file + ": " + response.body()).isEqualTo(200);
            JsonNode cards = TestServer.json(response);
            for (JsonNode action : cards.path("systemActions")) {
                if (action.has("resource")) {
                    Resource resource = (Resource) Fhir.context().newJsonParser().parseResource(action.get("resource").toString());
                    String profile = switch (resource.fhirType()) {
                        case "DeviceRequest" -> CRD + "profile-devicerequest";
                        case "ServiceRequest" -> CRD + "profile-servicerequest";
                        case "MedicationRequest" -> CRD + "profile-medicationrequest";
                        default -> null;
                    };
                    if (profile == null) {
                        valid("CRD system action on " + file + ": " + resource.fhirType(), resource);
                    } else {
                        valid("CRD system action on " + file + ": " + resource.fhirType(), resource, profile);
                    }
                }
            }
        }
        HttpResponse<String> metadata = server.get("/fhir/metadata");
        valid("the CapabilityStatement", (Resource) Fhir.context().newJsonParser().parseResource(metadata.body()));
    }

    /**
     * PAS 2.0.1 and 2.2.1 requests are read alike and answered alike (2.2.1 only adds constraints to
     * the ClaimResponse, so an answer that meets 2.2.1 meets 2.0.1); a request claiming a PAS profile
     * it cannot be, or a PAS version not served, is a 400 naming each claim.
     */
    @Test
    void pas201RequestsAreAnsweredAndWrongProfilesRefused() throws Exception {
        String as201 = fixture("pas", "approval_pa_submit_request_payload.json", "201")
                .replace("/profile-pas-request-bundle\"", "/profile-pas-request-bundle|2.0.1\"")
                .replace("/profile-claim\"", "/profile-claim|2.0.1\"");
        assertThat(as201).contains("|2.0.1");
        HttpResponse<String> answered = server.post("/fhir/Claim/$submit", "application/fhir+json", as201);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        Bundle response = Fhir.parse(TestServer.json(answered), Bundle.class, "response");
        valid("PAS 2.0.1 request's response", response, PAS + "profile-pas-response-bundle");

        String wrong = fixture("pas", "approval_pa_submit_request_payload.json", "wrong")
                .replace("/profile-pas-request-bundle\"", "/profile-pas-request-bundle|1.1.0\"")
                .replace("/profile-claim\"", "/profile-claimresponse\"");
        HttpResponse<String> refused = server.post("/fhir/Claim/$submit", "application/fhir+json", wrong);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("OperationOutcome").contains("Bundle.meta.profile").contains("not 1.1.0")
                .contains("Claim.meta.profile").contains("profile-claimresponse is not a profile");
    }

    /**
     * The hooks whose subjects are not orders: the proposed Appointment and the Encounter come back
     * with coverage information, and must still meet their CRD profiles.
     */
    @Test
    void appointmentAndEncounterActionsConformToTheirCrdProfiles() throws Exception {
        JsonNode coverage = CdsHooksTest.orderSign().path("prefetch").path("coverage");
        String appointment = """
                {"resourceType":"Appointment","id":"appt-1","status":"proposed",
                 "contained":[{"resourceType":"Patient","id":"pat","identifier":[{"system":"https://plan.example.org/member",
                     "value":"M123456"}],"name":[{"family":"Doe","given":["Jane"]}],"gender":"female","birthDate":"1958-03-02"},
                   {"resourceType":"Practitioner","id":"pr","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi",
                     "value":"1234567893"}],"name":[{"family":"Osler","given":["William"]}]}],
                 "serviceType":[{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/hcpcs","code":"Q2042",
                   "display":"Tisagenlecleucel"}]}],
                 "start":"2026-12-15T09:00:00-05:00","end":"2026-12-15T17:00:00-05:00",
                 "participant":[{"actor":{"reference":"#pat"},"status":"needs-action"},
                                {"type":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"PPRF"}]}],
                                 "actor":{"reference":"#pr"},"status":"accepted"}]}""";
        String booking = """
                {"hook":"appointment-book","hookInstance":"%s","context":{"userId":"Practitioner/pr-1","patientId":"pat-1234",
                 "appointments":{"resourceType":"Bundle","type":"collection","entry":[{"resource":%s}]}},"prefetch":{"coverage":%s}}"""
                .formatted(java.util.UUID.randomUUID(), appointment, coverage);
        String encounter = """
                {"resourceType":"Encounter","id":"enc-1","status":"planned",
                 "class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},
                 "type":[{"coding":[{"system":"https://bluebutton.cms.gov/resources/codesystem/hcpcs","code":"Q2042"}]}],
                 "subject":{"reference":"Patient/pat-1234"},"period":{"start":"2026-12-10"}}""";
        String start = """
                {"hook":"encounter-start","hookInstance":"%s","context":{"userId":"Practitioner/pr-1","patientId":"pat-1234",
                 "encounterId":"enc-1"},"prefetch":{"coverage":%s,"encounter":%s}}""".formatted(java.util.UUID.randomUUID(), coverage, encounter);
        for (String[] call : List.of(new String[] {"medpolicy-appointment-book", booking, CRD + "profile-appointment-no-order"},
                new String[] {"medpolicy-encounter-start", start, CRD + "profile-encounter"})) {
            HttpResponse<String> response = server.post("/cds-services/" + call[0], "application/json", call[1]);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode actions = TestServer.json(response).path("systemActions");
            assertThat(actions).as(call[0]).hasSize(1);
            Resource resource = (Resource) Fhir.context().newJsonParser().parseResource(actions.get(0).path("resource").toString());
            valid("CRD system action of " + call[0] + ": " + resource.fhirType(), resource, call[2]);
        }
    }

    /**
     * The kit's must-support list for the PAS ClaimResponse: each element and extension is either
     * in the answer to the kit's must-support request, or is here with why medpolicy does not send it.
     */
    static final java.util.Map<String, String> NOT_SENT = java.util.Map.ofEntries(
            java.util.Map.entry("addItem", "medpolicy authorizes what was asked; it adds no items"),
            java.util.Map.entry("communicationRequest", "medpolicy asks for information through DTR questionnaires and the case, not a CommunicationRequest"),
            java.util.Map.entry("error", "a request medpolicy cannot process is refused whole with an OperationOutcome listing every problem"),
            java.util.Map.entry("adjudication", "adjudication is per item (item.adjudication), where PAS 2.2 puts the review action"),
            java.util.Map.entry("transmissionIdentifiers", "X12 envelope identifiers: medpolicy does not translate X12 278"),
            java.util.Map.entry("claimResponseReviewer", "the reviewer is in the case history; not yet echoed in PAS"),
            java.util.Map.entry("authorizedProvider", "the authorization is for the requesting provider; no other provider is named"),
            java.util.Map.entry("subDepartment", "ClaimResponse.identifier is the plan's own case id, not the submitter's identifier"),
            java.util.Map.entry("jurisdiction", "ClaimResponse.identifier is the plan's own case id, not the submitter's identifier"),
            java.util.Map.entry("DataAbsentReason", "the request reference always carries the submitted identifier"),
            java.util.Map.entry("previousAuthorizationNumber", "medpolicy does not renew earlier authorizations"),
            java.util.Map.entry("administrationReferenceNumber", "not assigned by medpolicy"),
            java.util.Map.entry("authorizedItemDetail", "the item is authorized as asked, without a changed detail"),
            java.util.Map.entry("admissionDates", "inpatient admissions are not this policy's"),
            java.util.Map.entry("dischargeDate", "inpatient admissions are not this policy's"),
            java.util.Map.entry("communicatedDiagnosis", "the diagnoses are the request's; none are added"),
            java.util.Map.entry("preAuthIssueDate", "on certified and denied items; the kit's must-support request is pended (A4) until a"
                    + " decision (PasTest reads it on a denied item)"),
            java.util.Map.entry("preAuthPeriod", "on certified items; the kit's must-support request is pended (A4) until a decision"));

    @Test
    void theMustSupportElementsOfTheClaimResponseAreSentOrSaidWhyNot() throws Exception {
        JsonNode list = TestServer.JSON.readTree(Files.readString(INTEROP.resolve("pas").resolve("claimresponse_must_support.json")));
        JsonNode request = TestServer.JSON.readTree(fixture("pas", "must_support_pa_submit_request_payload.json", "-mustsupport")).get(0);
        HttpResponse<String> answered = server.post("/fhir/Claim/$submit", "application/fhir+json",
                request.toString().replace("111099-mustsupport", "111099-mustsupport-x"));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode claimResponse = TestServer.json(answered).at("/entry/0/resource");
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode element : list.get("elements")) {
            String path = element.asText();
            if (path.startsWith("addItem") || path.startsWith("error") || path.startsWith("communicationRequest") || path.equals("adjudication")) {
                continue;
            }
            (has(claimResponse, path.replace("[x]", "")) ? present : missing).add(path);
        }
        for (JsonNode extension : list.get("extensions")) {
            String id = extension.get("id").asText();
            String name = id.substring(id.lastIndexOf(':') + 1);
            if (id.startsWith("ClaimResponse.addItem") || id.startsWith("ClaimResponse.error") || id.startsWith("ClaimResponse.adjudication")) {
                continue;
            }
            (hasExtension(claimResponse, extension.get("path").asText(), extension.get("url").asText()) ? present : missing).add(id);
        }
        REPORT.add("== PAS must-support: sent " + present);
        List<String> unexplained = new ArrayList<>();
        for (String path : missing) {
            String name = path.contains(":") ? path.substring(path.lastIndexOf(':') + 1) : path;
            if (NOT_SENT.containsKey(name)) {
                REPORT.add("NOT SENT " + path + ": " + NOT_SENT.get(name));
            } else {
                unexplained.add(path);
            }
        }
        assertThat(unexplained).as("must-support elements neither sent nor explained").isEmpty();
        assertThat(present).contains("item.noteNumber", "processNote.text", "ClaimResponse.item.extension:itemTraceNumber",
                "ClaimResponse.item.extension:requestedServiceDate", "ClaimResponse.item.adjudication.extension:reviewAction", "preAuthPeriod");
    }

    /** Whether an element at {@code path} ({@code item.extension}) holds an extension of {@code url}. */
    static boolean hasExtension(JsonNode node, String path, String url) {
        String head = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        String rest = path.contains(".") ? path.substring(path.indexOf('.') + 1) : "";
        JsonNode child = node.path(head);
        List<JsonNode> children = new ArrayList<>();
        if (child.isArray()) {
            child.forEach(children::add);
        } else if (!child.isMissingNode()) {
            children.add(child);
        }
        for (JsonNode each : children) {
            if (rest.isEmpty() ? each.path("url").asText().equals(url) : hasExtension(each, rest, url)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code path} ({@code item.noteNumber}) has a value somewhere in {@code node}. */
    static boolean has(JsonNode node, String path) {
        if (path.isEmpty()) {
            return !node.isMissingNode() && !node.isNull();
        }
        String head = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        String rest = path.contains(".") ? path.substring(path.indexOf('.') + 1) : "";
        JsonNode child = node.path(head);
        if (child.isArray()) {
            for (JsonNode each : child) {
                if (has(each, rest)) {
                    return true;
                }
            }
            return false;
        }
        return !child.isMissingNode() && has(child, rest);
    }

    @Test
    void theValidatorRejectsAClaimResponseThatBreaksThePasProfile() throws Exception {
        Bundle response = submitted("approval_pa_submit_request_payload.json", "-broken");
        ClaimResponse claimResponse = (ClaimResponse) response.getEntryFirstRep().getResource();
        claimResponse.getItemFirstRep().getAdjudicationFirstRep().setCategory(null);
        claimResponse.setPatient(null);
        IgValidation.Report report = IgValidation.validate(claimResponse, PAS + "profile-claimresponse");
        assertThat(report.errors()).as("a PAS ClaimResponse without adjudication category or patient")
                .anySatisfy(error -> assertThat(error).contains("ClaimResponse.item.adjudication.category").contains("profile-claimresponse"))
                .anySatisfy(error -> assertThat(error).contains("ClaimResponse.patient"));
    }
}
