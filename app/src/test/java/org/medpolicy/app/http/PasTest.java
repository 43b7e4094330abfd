package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.cases.Role;
import org.medpolicy.fhir.Fhir;

/**
 * Da Vinci PAS end to end, as issue 5 describes it: CRD order-sign for CPT 96365 with no context
 * (INFO_NEEDED with a questionnaire) → DTR {@code $questionnaire-package} → the answers (the
 * re-infusion of tumor-infiltrating lymphocytes) → PAS {@code $submit} with the answers → A4
 * pended → a physician signs → {@code $inquire} shows A3 with the reason. Every response is
 * validated against base R4 and checked the way PAS conformance tests check it.
 */
class PasTest {

    static final String REVIEW_ACTION = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction";

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

    /** A PAS request Bundle for CPT 96365, with {@code answers} (a QuestionnaireResponse) as supporting information if given. */
    static Bundle request(String claimId, String memberId, QuestionnaireResponse answers) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION).setTimestamp(new Date());
        bundle.getIdentifier().setSystem("urn:example:ehr").setValue(UUID.randomUUID().toString());
        Claim claim = new Claim();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:example:plan-members").setValue(memberId);
        patient.addName(new HumanName().setFamily("Example").addGiven("Pat"));
        Practitioner provider = new Practitioner();
        provider.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1234567893");
        provider.addName(new HumanName().setFamily("Oncologist").addGiven("Ada").addPrefix("Dr."));
        provider.addAddress().addLine("1 Clinic Way").setCity("Portland").setState("OR").setPostalCode("97201");
        Organization insurer = new Organization().setName("Example Health Plan");
        Coverage coverage = new Coverage().setStatus(Coverage.CoverageStatus.ACTIVE).setSubscriberId(memberId);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        String providerUrl = "urn:uuid:" + UUID.randomUUID();
        String insurerUrl = "urn:uuid:" + UUID.randomUUID();
        String coverageUrl = "urn:uuid:" + UUID.randomUUID();
        coverage.setBeneficiary(new Reference(patientUrl)).addPayor(new Reference(insurerUrl));
        claim.addIdentifier().setSystem("urn:example:ehr-claims").setValue(claimId);
        claim.setStatus(Claim.ClaimStatus.ACTIVE).setUse(Claim.Use.PREAUTHORIZATION).setCreated(new Date())
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/claim-type", "professional", null)))
                .setPatient(new Reference(patientUrl)).setProvider(new Reference(providerUrl)).setInsurer(new Reference(insurerUrl))
                .setPriority(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/processpriority", "normal", null)));
        claim.addInsurance().setSequence(1).setFocal(true).setCoverage(new Reference(coverageUrl));
        claim.addDiagnosis().setSequence(1).setDiagnosis(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", "C43.9", null)));
        Claim.ItemComponent item = claim.addItem().setSequence(1);
        item.setProductOrService(new CodeableConcept(new Coding("http://www.ama-assn.org/go/cpt", "96365", "IV infusion, initial")));
        item.setServiced(new DateType("2026-12-15"));
        item.addDiagnosisSequence(1);
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(claim);
        bundle.addEntry().setFullUrl(patientUrl).setResource(patient);
        bundle.addEntry().setFullUrl(providerUrl).setResource(provider);
        bundle.addEntry().setFullUrl(insurerUrl).setResource(insurer);
        bundle.addEntry().setFullUrl(coverageUrl).setResource(coverage);
        if (answers != null) {
            String answersUrl = "urn:uuid:" + UUID.randomUUID();
            bundle.addEntry().setFullUrl(answersUrl).setResource(answers);
            claim.addSupportingInfo().setSequence(1).setCategory(new CodeableConcept(new Coding(
                    "http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASSupportingInfoType", "additionalInformation", null)))
                    .setValue(new Reference(answersUrl));
        }
        return bundle;
    }

    static Bundle responseOf(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/fhir+json");
        return Fhir.parse(TestServer.json(response), Bundle.class, "response");
    }

    /** The checks a PAS conformance test makes of a response Bundle; returns the ClaimResponse. */
    static ClaimResponse conforming(Bundle response, Set<Integer> sequences) {
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(response.getIdentifier().getValue()).isNotBlank();
        assertThat(response.getTimestamp()).isNotNull();
        assertThat(response.getEntryFirstRep().getResource()).isInstanceOf(ClaimResponse.class);
        ClaimResponse claimResponse = (ClaimResponse) response.getEntryFirstRep().getResource();
        Set<String> fullUrls = new HashSet<>();
        response.getEntry().forEach(entry -> fullUrls.add(entry.getFullUrl()));
        for (Reference reference : List.of(claimResponse.getPatient(), claimResponse.getInsurer(), claimResponse.getRequestor())) {
            assertThat(fullUrls).as("every reference resolves to one entry").contains(reference.getReference());
        }
        assertThat(claimResponse.getUse()).isEqualTo(ClaimResponse.Use.PREAUTHORIZATION);
        assertThat(claimResponse.getOutcome()).isEqualTo(ClaimResponse.RemittanceOutcome.COMPLETE);
        assertThat(claimResponse.hasIdentifier() && claimResponse.hasCreated() && claimResponse.hasPreAuthPeriod()
                && claimResponse.getRequest().hasIdentifier()).isTrue();
        Set<Integer> answered = new HashSet<>();
        claimResponse.getItem().forEach(item -> {
            answered.add(item.getItemSequence());
            assertThat(item.getAdjudicationFirstRep().getCategory().getCodingFirstRep().getCode()).isEqualTo("submitted");
        });
        assertThat(answered).isEqualTo(sequences);
        R4Validation.assertValid(response);
        return claimResponse;
    }

    static String action(ClaimResponse.ItemComponent item) {
        assertThat(item.getExtensionByUrl(REVIEW_ACTION)).as("PAS 2.2: on the adjudication, not the item").isNull();
        Extension reviewAction = item.getAdjudicationFirstRep().getExtensionByUrl(REVIEW_ACTION);
        Coding code = ((CodeableConcept) reviewAction.getExtensionFirstRep().getValue()).getCodingFirstRep();
        assertThat(code.getSystem()).isEqualTo("https://codesystem.x12.org/005010/306");
        return code.getCode();
    }

    @Test
    void crdThenDtrThenPasThenAPhysicianSignsThenInquire() throws Exception {
        ObjectNode orderSign = CdsHooksTest.orderSign();
        ArrayNode orders = (ArrayNode) orderSign.at("/context/draftOrders/entry");
        while (orders.size() > 1) {
            orders.remove(1);
        }
        JsonNode hook = TestServer.json(server.post("/cds-services/medpolicy-order-sign", "application/json", orderSign.toString()));
        String assertion = null;
        for (JsonNode part : hook.at("/systemActions/0/resource/extension/0/extension")) {
            if (part.get("url").asText().equals("coverage-assertion-id")) {
                assertion = part.get("valueString").asText();
            }
            if (part.get("url").asText().equals("covered")) {
                assertThat(part.get("valueCode").asText()).isEqualTo("conditional");
            }
        }
        HttpResponse<String> packaged = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"context\",\"valueString\":\"" + assertion + "\"}]}");
        Parameters packageOut = Fhir.parse(TestServer.json(packaged), Parameters.class, "package");
        Bundle dtr = (Bundle) packageOut.getParameterFirstRep().getResource();
        QuestionnaireResponse answers = (QuestionnaireResponse) dtr.getEntry().get(1).getResource();
        org.hl7.fhir.r4.model.Questionnaire questionnaire = (org.hl7.fhir.r4.model.Questionnaire) dtr.getEntry().get(0).getResource();
        Coding til = questionnaire.getItemFirstRep().getAnswerOption().stream().map(o -> o.getValueCoding())
                .filter(c -> c.getCode().equals("TUMOR_INFILTRATING_LYMPHOCYTES")).findFirst().orElseThrow();
        answers.setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId(questionnaire.getItemFirstRep().getLinkId()).addAnswer().setValue(til);

        HttpResponse<String> submitted = server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(request("CLAIM-1", "M998877", answers)));
        ClaimResponse pended = conforming(responseOf(submitted), Set.of(1));
        assertThat(action(pended.getItemFirstRep())).isEqualTo("A4");
        assertThat(pended.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("physician");
        String caseId = pended.getPreAuthRef();

        JsonNode reviewCase = TestServer.json(server.get("/v1/cases/" + caseId));
        assertThat(reviewCase.get("recommended").asText()).as("the answers decided").isEqualTo("DENIED");
        assertThat(reviewCase.at("/request/items/0/answers/therapy").asText()).isEqualTo("TUMOR_INFILTRATING_LYMPHOCYTES");
        assertThat(reviewCase.at("/request/member/id").asText()).isEqualTo("M998877");
        assertThat(reviewCase.at("/requester/name").asText()).contains("Oncologist");
        assertThat(server.channelsOfCaseDeterminations(caseId)).as("the PAS determination is in the log").containsExactly("PAS");
        JsonNode replayed = TestServer.json(server.get("/v1/determinations/" + reviewCase.at("/recommendation/determinationId").asText()
                + "/replay"));
        assertThat(replayed.get("identical").asBoolean()).as("the request PAS built replays: " + replayed.get("differences")).isTrue();
        String determinationId = reviewCase.at("/recommendation/determinationId").asText();
        HttpResponse<String> sent = server.get("/v1/determinations/" + determinationId + "/sent");
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.body()).as("the response Bundle, byte for byte, beside the determination").isEqualTo(submitted.body());
        assertThat(sent.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");

        String physician = server.signedIn("dr.paul", Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + caseId + "/decision", "{\"outcome\":\"DENIED\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> inquired = server.post("/fhir/Claim/$inquire", "application/fhir+json",
                Fhir.toJson(request("CLAIM-1", "M998877", null)));
        assertThat(inquired.statusCode()).as(inquired.body()).isEqualTo(200);
        Parameters inquiry = Fhir.parse(TestServer.json(inquired), Parameters.class, "inquiry");
        assertThat(inquiry.getParameterFirstRep().getName()).isEqualTo("return");
        ClaimResponse denied = conforming((Bundle) inquiry.getParameterFirstRep().getResource(), Set.of(1));
        assertThat(action(denied.getItemFirstRep())).isEqualTo("A3");
        assertThat(denied.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("investigational");
        assertThat(denied.getItemFirstRep().hasExtension(
                "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemPreAuthIssueDate")).isTrue();
        R4Validation.assertValid(inquiry);
    }

    @Test
    void theCapabilityStatementListsSubmitAndInquire() throws Exception {
        var statement = Fhir.parse(TestServer.json(server.get("/fhir/metadata")), org.hl7.fhir.r4.model.CapabilityStatement.class, "metadata");
        assertThat(statement.getRestFirstRep().getResource()).anySatisfy(resource -> {
            assertThat(resource.getType()).isEqualTo("Claim");
            assertThat(resource.getOperation()).extracting(op -> op.getName()).contains("submit", "inquire");
        });
        assertThat(statement.getRestFirstRep().getResource()).anySatisfy(resource -> {
            assertThat(resource.getType()).isEqualTo("ValueSet");
            assertThat(resource.getOperation()).extracting(op -> op.getName()).contains("expand");
        });
        assertThat(statement.getRestFirstRep().getResource()).anySatisfy(resource ->
                assertThat(resource.getOperation()).extracting(op -> op.getName()).contains("questionnaire-package", "log-questionnaire-errors"));
        R4Validation.assertValid(statement);
    }

    @Test
    void aQuestionnaireResponsePostedToTheCaseAnswersItsQuestions() throws Exception {
        String intake = server.signedIn("ines", Role.INTAKE);
        HttpResponse<String> created = server.as(intake, "POST", "/v1/cases", CasesApiTest.newCase(CasesApiTest.INFUSION, ""));
        String caseId = TestServer.json(created).get("caseId").asText();
        assertThat(TestServer.json(created).get("state").asText()).isEqualTo("PENDED");
        QuestionnaireResponse answers = new QuestionnaireResponse().setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId("therapy").addAnswer().setValue(new Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        HttpResponse<String> answered = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/v1/cases/" + caseId + "/questionnaire-response"))
                .header("Authorization", "Bearer " + intake).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Fhir.toJson(answers))).build());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(TestServer.json(answered).get("state").asText()).isEqualTo("RECOMMENDED");
        assertThat(TestServer.json(answered).get("recommended").asText()).isEqualTo("DENIED");
        assertThat(TestServer.json(answered).at("/history/2/reason").asText()).contains("QuestionnaireResponse received");
        assertThat(server.channelsOfCaseDeterminations(caseId)).containsExactly("CASES", "DTR");

        HttpResponse<String> notAResponse = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/v1/cases/" + caseId + "/questionnaire-response"))
                .header("Authorization", "Bearer " + intake).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build());
        assertThat(notAResponse.statusCode()).isEqualTo(400);
    }

    @Test
    void valueSetsExpandAndQuestionnaireErrorsAreAcknowledged() throws Exception {
        String id = "ma-immunological-cellular-gene-therapies-therapy";
        HttpResponse<String> read = server.get("/fhir/ValueSet/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        org.hl7.fhir.r4.model.ValueSet valueSet = Fhir.parse(TestServer.json(read), org.hl7.fhir.r4.model.ValueSet.class, "valueSet");
        R4Validation.assertValid(valueSet);
        HttpResponse<String> expanded = server.post("/fhir/ValueSet/$expand", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"url\",\"valueUri\":\"" + valueSet.getUrl() + "\"}]}");
        assertThat(expanded.statusCode()).as(expanded.body()).isEqualTo(200);
        org.hl7.fhir.r4.model.ValueSet expansion = Fhir.parse(TestServer.json(expanded), org.hl7.fhir.r4.model.ValueSet.class, "expanded");
        assertThat(expansion.getExpansion().getContains()).hasSize(11)
                .anySatisfy(code -> assertThat(code.getCode()).isEqualTo("TUMOR_INFILTRATING_LYMPHOCYTES"));
        assertThat(server.get("/fhir/ValueSet/$expand?url=" + valueSet.getUrl()).statusCode()).isEqualTo(200);
        assertThat(server.get("/fhir/ValueSet/$expand?url=http://example.org/ValueSet/x").statusCode()).isEqualTo(404);
        assertThat(server.get("/fhir/ValueSet/$expand").statusCode()).isEqualTo(400);
        assertThat(server.get("/fhir/ValueSet/no-such").statusCode()).isEqualTo(404);

        HttpResponse<String> logged = server.post("/fhir/Questionnaire/$log-questionnaire-errors", "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"errors\",\"resource\":{\"resourceType\":\"OperationOutcome\","
                        + "\"issue\":[{\"severity\":\"error\",\"code\":\"processing\",\"diagnostics\":\"CQL failed\"}]}}]}");
        assertThat(logged.statusCode()).isEqualTo(200);
        assertThat(server.post("/fhir/Questionnaire/$log-questionnaire-errors", "application/fhir+json", "{\"resourceType\":\"Patient\"}")
                .statusCode()).isEqualTo(400);
    }

    static Bundle update(String claimId, String priorId, String memberId, QuestionnaireResponse answers, boolean cancel) {
        Bundle bundle = request(claimId, memberId, answers);
        Claim claim = (Claim) bundle.getEntryFirstRep().getResource();
        claim.addRelated().setRelationship(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "prior", null)))
                .setClaim(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:example:ehr-claims").setValue(priorId)));
        if (cancel) {
            claim.addExtension("http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-certificationType",
                    new CodeableConcept(new Coding("https://codesystem.x12.org/005010/1322", "3", "Cancel")));
        }
        return bundle;
    }

    @Test
    void updatesAnswerTheQuestionsAndCancellationsWithdraw() throws Exception {
        ClaimResponse first = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(request("CLAIM-U1", "M555", null)))), Set.of(1));
        assertThat(action(first.getItemFirstRep())).isEqualTo("A4");
        assertThat(first.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("more information");
        String caseId = first.getPreAuthRef();

        QuestionnaireResponse answers = new QuestionnaireResponse().setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId("therapy").addAnswer().setValue(new Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        ClaimResponse updated = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-U2", "CLAIM-U1", "M555", answers, false)))), Set.of(1));
        assertThat(updated.getPreAuthRef()).as("the same case").isEqualTo(caseId);
        assertThat(updated.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("physician");
        assertThat(TestServer.json(server.get("/v1/cases/" + caseId)).get("recommended").asText()).isEqualTo("DENIED");
        assertThat(server.channelsOfCaseDeterminations(caseId)).as("the submission and its update").containsExactly("PAS", "PAS");
        assertThat(server.post("/fhir/Claim/$inquire", "application/fhir+json", Fhir.toJson(request("CLAIM-U2", "M555", null))).statusCode())
                .as("the update's identifier names the case too").isEqualTo(200);

        HttpResponse<String> unknownPrior = server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-U9", "CLAIM-NONE", "M555", null, false)));
        assertThat(unknownPrior.statusCode()).isEqualTo(400);
        assertThat(unknownPrior.body()).contains("names no earlier request");

        ClaimResponse cancelled = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-U3", "CLAIM-U2", "M555", null, true)))), Set.of(1));
        assertThat(cancelled.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("withdrawn");
        assertThat(TestServer.json(server.get("/v1/cases/" + caseId)).get("state").asText()).isEqualTo("WITHDRAWN");
        HttpResponse<String> afterCancel = server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-U4", "CLAIM-U3", "M555", answers, false)));
        assertThat(afterCancel.statusCode()).isEqualTo(400);
        assertThat(afterCancel.body()).contains("OperationOutcome").contains("WITHDRAWN");
    }

    @Test
    void anUpdateOfADeniedRequestAsksForReconsiderationAndInquiryFollowsIt() throws Exception {
        QuestionnaireResponse answers = new QuestionnaireResponse().setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);
        answers.addItem().setLinkId("therapy").addAnswer().setValue(new Coding("urn:example", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        String caseId = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(request("CLAIM-R1", "M556", answers)))), Set.of(1)).getPreAuthRef();
        String physician = server.signedIn("dr.paul", Role.PHYSICIAN);
        assertThat(server.as(physician, "POST", "/v1/cases/" + caseId + "/decision", "{\"outcome\":\"DENIED\"}").statusCode()).isEqualTo(200);

        ClaimResponse appealed = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-R2", "CLAIM-R1", "M556", answers, false)))), Set.of(1));
        assertThat(action(appealed.getItemFirstRep())).isEqualTo("A4");
        assertThat(appealed.getItemFirstRep().getAdjudicationFirstRep().getReason().getText()).contains("under reconsideration");
        JsonNode reconsiderations = TestServer.json(server.get("/v1/cases/" + caseId + "/reconsiderations")).get("reconsiderations");
        assertThat(reconsiderations).hasSize(1);
        assertThat(reconsiderations.at("/0/requester/role").asText()).as("the provider asks on the member's behalf").isEqualTo("PHYSICIAN");
        HttpResponse<String> twice = server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(update("CLAIM-R3", "CLAIM-R2", "M556", answers, false)));
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(twice.body()).contains("OperationOutcome").contains("already under reconsideration");

        ClaimResponse reviewing = inquire("CLAIM-R1", "M556");
        assertThat(action(reviewing.getItemFirstRep())).as("pended while it is reviewed").isEqualTo("A4");
        String appealsPhysician = server.signedIn("dr.quinn", Role.PHYSICIAN);
        String href = "/v1/cases/" + caseId + "/reconsiderations/" + reconsiderations.at("/0/reconsiderationId").asText();
        HttpResponse<String> reversed = server.as(appealsPhysician, "POST", href + "/decision",
                "{\"outcome\":\"REVERSED\",\"rationale\":\"The member is enrolled in a qualifying clinical trial.\"}");
        assertThat(reversed.statusCode()).as(reversed.body()).isEqualTo(200);
        ClaimResponse certified = inquire("CLAIM-R2", "M556");
        assertThat(action(certified.getItemFirstRep())).as("certified once reversed").isEqualTo("A1");
        assertThat(certified.getItemFirstRep().hasExtension(
                "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemPreAuthIssueDate")).isTrue();
    }

    private static ClaimResponse inquire(String claimId, String memberId) throws Exception {
        HttpResponse<String> inquired = server.post("/fhir/Claim/$inquire", "application/fhir+json",
                Fhir.toJson(request(claimId, memberId, null)));
        assertThat(inquired.statusCode()).as(inquired.body()).isEqualTo(200);
        Parameters inquiry = Fhir.parse(TestServer.json(inquired), Parameters.class, "inquiry");
        return conforming((Bundle) inquiry.getParameterFirstRep().getResource(), Set.of(1));
    }

    /** {@code bundle} with a second item (CPT 36511), cancelled (certification type 3) when {@code cancelled}. */
    static Bundle withSecondItem(Bundle bundle, boolean cancelled) {
        Claim claim = (Claim) bundle.getEntryFirstRep().getResource();
        Claim.ItemComponent second = claim.addItem().setSequence(2);
        second.setProductOrService(new CodeableConcept(new Coding("http://www.ama-assn.org/go/cpt", "36511", "Apheresis")));
        second.setServiced(new DateType("2026-12-15"));
        if (cancelled) {
            second.addExtension("http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-certificationType",
                    new CodeableConcept(new Coding("https://codesystem.x12.org/005010/1322", "3", "Cancel")));
        }
        return bundle;
    }

    @Test
    void anUpdateCancelsOneItemAndTheRestIsDecidedAgain() throws Exception {
        ClaimResponse both = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(withSecondItem(request("CLAIM-I1", "M321", null), false)))), Set.of(1, 2));
        String caseId = both.getPreAuthRef();
        assertThat(TestServer.json(server.get("/v1/cases/" + caseId)).at("/request/items").size()).isEqualTo(2);

        ClaimResponse oneCancelled = conforming(responseOf(server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(withSecondItem(update("CLAIM-I2", "CLAIM-I1", "M321", null, false), true)))), Set.of(1, 2));
        assertThat(action(oneCancelled.getItem().get(0))).isEqualTo("A4");
        assertThat(action(oneCancelled.getItem().get(1))).isEqualTo("C");
        assertThat(oneCancelled.getItem().get(1).getAdjudicationFirstRep().getReason().getText()).contains("Cancelled");
        assertThat(TestServer.json(server.get("/v1/cases/" + caseId)).at("/request/items").size()).as("the cancelled item is gone").isEqualTo(1);

        HttpResponse<String> cancelInNew = server.post("/fhir/Claim/$submit", "application/fhir+json",
                Fhir.toJson(withSecondItem(request("CLAIM-I3", "M321", null), true)));
        assertThat(cancelInNew.statusCode()).isEqualTo(400);
        assertThat(cancelInNew.body()).contains("only an update");
    }

    @Test
    void badBundlesAreOperationOutcomesAndStoreNothing() throws Exception {
        long cases = caseCount();
        HttpResponse<String> empty = server.post("/fhir/Claim/$submit", "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("OperationOutcome").contains("Bundle.identifier").contains("Bundle.timestamp")
                .contains("must be the Claim");

        Bundle dangling = request("CLAIM-2", "M1", null);
        dangling.getEntry().remove(1);
        Claim claim = (Claim) dangling.getEntryFirstRep().getResource();
        claim.getItemFirstRep().setProductOrService(new CodeableConcept(new Coding("urn:example:local", "XYZ", null)));
        claim.setUse(Claim.Use.CLAIM);
        HttpResponse<String> bad = server.post("/fhir/Claim/$submit", "application/fhir+json", Fhir.toJson(dangling));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Claim.patient").contains("is not in the Bundle").contains("Claim.use")
                .contains("Claim.item[0].productOrService");
        assertThat(caseCount()).as("nothing stored").isEqualTo(cases);

        String claim3 = Fhir.toJson(request("CLAIM-3", "M2", null));
        HttpResponse<String> first = server.post("/fhir/Claim/$submit", "application/fhir+json", claim3);
        assertThat(first.statusCode()).isEqualTo(200);
        // Sent again as it was (a retry after a lost answer): the same request's state, and nothing new stored.
        long once = caseCount();
        HttpResponse<String> twice = server.post("/fhir/Claim/$submit", "application/fhir+json", claim3);
        assertThat(twice.statusCode()).as(twice.body()).isEqualTo(200);
        assertThat(caseCount()).as("no second case").isEqualTo(once);
        assertThat(preAuthRef(twice)).as("the same request's answer").isEqualTo(preAuthRef(first));

        // The same identifier for another member, and one too long to keep: refused before a case exists (both were 500s after it did).
        long before = caseCount();
        HttpResponse<String> reused = server.post("/fhir/Claim/$submit", "application/fhir+json", Fhir.toJson(request("CLAIM-3", "M3", null)));
        assertThat(reused.statusCode()).as(reused.body()).isEqualTo(400);
        assertThat(reused.body()).contains("OperationOutcome").contains("another patient's request");
        Bundle longSystem = request("CLAIM-4", "M4", null);
        ((Claim) longSystem.getEntryFirstRep().getResource()).getIdentifierFirstRep().setSystem("urn:x:" + "s".repeat(600));
        HttpResponse<String> tooLong = server.post("/fhir/Claim/$submit", "application/fhir+json", Fhir.toJson(longSystem));
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
        assertThat(tooLong.body()).contains("Claim.identifier.system").contains("at most 400");
        assertThat(caseCount()).as("nothing stored").isEqualTo(before);

        HttpResponse<String> unknown = server.post("/fhir/Claim/$inquire", "application/fhir+json", Fhir.toJson(request("CLAIM-404", "M2", null)));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(server.post("/fhir/Claim/$inquire", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void submittingNeedsClaimWriteAndInquiringClaimResponseRead() throws Exception {
        var client = new org.medpolicy.security.Client("reader", org.medpolicy.security.Client.Kind.BACKEND, null,
                new com.nimbusds.jose.jwk.JWKSet(TestServer.newKey("r-1").toPublicJWK()), List.of(),
                org.medpolicy.security.Scopes.parse("system/ClaimResponse.read"), 100, 100, java.time.Instant.now(), null);
        server.security.clients().register(client);
        String token = server.security.tokens().issue(client, client.scopes(), java.time.Duration.ofMinutes(5)).accessToken();
        HttpResponse<String> refused = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/fhir/Claim/$submit"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Fhir.toJson(request("CLAIM-9", "M9", null)))).build());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("OperationOutcome");
    }

    /**
     * The PAS test kit sends its approval, denial and pended examples under one Claim identifier and
     * one member, each expecting its own decision: a request asking for something else under an
     * identifier already used is a new request, and $inquire answers for the newest.
     */
    @Test
    void anIdentifierGivenToANewRequestOfTheSameMemberNamesTheNewest() throws Exception {
        long before = caseCount();
        HttpResponse<String> first = server.post("/fhir/Claim/$submit", "application/fhir+json", Fhir.toJson(request("CLAIM-KIT", "M61", null)));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        Bundle other = withSecondItem(request("CLAIM-KIT", "M61", null), false);
        HttpResponse<String> second = server.post("/fhir/Claim/$submit", "application/fhir+json", Fhir.toJson(other));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(caseCount()).as("two requests, two cases").isEqualTo(before + 2);
        HttpResponse<String> inquired = server.post("/fhir/Claim/$inquire", "application/fhir+json", Fhir.toJson(other));
        assertThat(inquired.statusCode()).as(inquired.body()).isEqualTo(200);
        ClaimResponse newest = (ClaimResponse) ((Bundle) Fhir.parse(TestServer.json(inquired), Parameters.class, "inquiry")
                .getParameterFirstRep().getResource()).getEntryFirstRep().getResource();
        assertThat(newest.getItem()).as("the second request's two items").hasSize(2);
    }

    @Test
    void aClientWithTheLongestIdCanFileACase() throws Exception {
        // The case's actor is "client:" and the id: 71 characters, over the 64 the actor columns once held (a 500 after the determination was logged).
        var client = new org.medpolicy.security.Client("c".repeat(64), org.medpolicy.security.Client.Kind.BACKEND, null,
                new com.nimbusds.jose.jwk.JWKSet(TestServer.newKey("long-1").toPublicJWK()), List.of(),
                org.medpolicy.security.Scopes.parse("system/Claim.write system/ClaimResponse.read"), 100, 100, java.time.Instant.now(), null,
                List.of("1234567893"));
        server.security.clients().register(client);
        String token = server.security.tokens().issue(client, client.scopes(), java.time.Duration.ofMinutes(5)).accessToken();
        HttpResponse<String> submitted = server.raw(java.net.http.HttpRequest.newBuilder(server.uri("/fhir/Claim/$submit"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Fhir.toJson(request("CLAIM-LONG", "M77", null)))).build());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
    }

    private static String preAuthRef(HttpResponse<String> submitted) throws Exception {
        return ((ClaimResponse) responseOf(submitted).getEntryFirstRep().getResource()).getPreAuthRef();
    }

    private static long caseCount() throws Exception {
        try (var connection = server.database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM review_case")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
