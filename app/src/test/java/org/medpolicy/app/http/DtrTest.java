package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.fhir.Fhir;

/**
 * DTR's questionnaire side over HTTP: the engine's questions served as Questionnaires, linked from
 * CRD, packaged by {@code $questionnaire-package} from a canonical, a CRD assertion or an order;
 * everything produced valid against base FHIR R4 (HAPI FhirValidator); the answer codes decide.
 */
class DtrTest {

    static final String THERAPY = "ma-immunological-cellular-gene-therapies-therapy";

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

    private static <T extends Resource> T parse(HttpResponse<String> response, Class<T> type) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
        return Fhir.parse(TestServer.json(response), type, "response");
    }

    @Test
    void metadataListsTheQuestionnaireOperations() throws Exception {
        HttpResponse<String> response = server.get("/fhir/metadata");
        assertThat(response.statusCode()).isEqualTo(200);
        CapabilityStatement statement = parse(response, CapabilityStatement.class);
        assertThat(statement.getRestFirstRep().getMode()).isEqualTo(CapabilityStatement.RestfulCapabilityMode.SERVER);
        assertThat(statement.getRestFirstRep().getResource()).anySatisfy(resource -> {
            assertThat(resource.getType()).isEqualTo("Questionnaire");
            assertThat(resource.getOperation()).anySatisfy(op -> assertThat(op.getName()).isEqualTo("questionnaire-package"));
        });
        R4Validation.assertValid(statement);
    }

    @Test
    void theEnginesQuestionIsAQuestionnaireWithThePolicysAnswers() throws Exception {
        HttpResponse<String> response = server.get("/fhir/Questionnaire/" + THERAPY);
        assertThat(response.statusCode()).isEqualTo(200);
        Questionnaire questionnaire = parse(response, Questionnaire.class);
        assertThat(questionnaire.getVersion()).isEqualTo("2025-07-01");
        var item = questionnaire.getItemFirstRep();
        assertThat(item.getType()).isEqualTo(Questionnaire.QuestionnaireItemType.CHOICE);
        assertThat(item.getRequired()).isTrue();
        assertThat(item.getAnswerOption()).hasSize(11);
        assertThat(item.getAnswerOption()).anySatisfy(option -> assertThat(option.getValueCoding().getCode())
                .isEqualTo("TUMOR_INFILTRATING_LYMPHOCYTES"));
        R4Validation.assertValid(questionnaire);

        HttpResponse<String> missing = server.get("/fhir/Questionnaire/no-such-questionnaire");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(missing).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void crdLinksAQuestionnaireThatResolvesAndPackages() throws Exception {
        JsonNode hook = TestServer.json(server.post("/cds-services/medpolicy-order-sign", "application/json",
                CdsHooksTest.orderSign().toString()));
        String canonical = null;
        String assertion = null;
        for (JsonNode part : hook.at("/systemActions/0/resource/extension/0/extension")) {
            if (part.get("url").asText().equals("questionnaire")) {
                canonical = part.get("valueCanonical").asText();
            }
            if (part.get("url").asText().equals("coverage-assertion-id")) {
                assertion = part.get("valueString").asText();
            }
        }
        assertThat(canonical).endsWith("/fhir/Questionnaire/" + THERAPY);
        assertThat(server.get(canonical.substring(canonical.indexOf("/fhir/"))).statusCode()).isEqualTo(200);

        java.util.Set<String> validated = new java.util.HashSet<>();
        for (String body : new String[] {
                parameters("{\"name\":\"questionnaire\",\"valueCanonical\":\"" + canonical + "|2025-07-01\"}"),
                parameters("{\"name\":\"context\",\"valueString\":\"" + assertion + "\"}"),
                parameters("{\"name\":\"order\",\"resource\":" + CdsHooksTest.orderSign().at("/context/draftOrders/entry/0/resource") + "}")}) {
            HttpResponse<String> response = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Parameters out = parse(response, Parameters.class);
            var packaged = out.getParameter().stream().filter(p -> p.getName().equals("PackageBundle")).findFirst().orElseThrow();
            assertThat(out.getParameter()).as("one name, so the package's Libraries are not seen twice").hasSize(1);
            Bundle bundle = (Bundle) packaged.getResource();
            assertThat(bundle.getEntry().get(0).getResource()).isInstanceOf(Questionnaire.class);
            Questionnaire questionnaire = (Questionnaire) bundle.getEntry().get(0).getResource();
            QuestionnaireResponse empty = (QuestionnaireResponse) bundle.getEntry().get(1).getResource();
            assertThat(empty.getQuestionnaire()).isEqualTo(questionnaire.getUrl() + "|" + questionnaire.getVersion());
            String cqfLibrary = questionnaire.getExtensionByUrl("http://hl7.org/fhir/StructureDefinition/cqf-library").getValue().primitiveValue();
            org.hl7.fhir.r4.model.Library library = bundle.getEntry().stream().map(e -> e.getResource())
                    .filter(r -> r instanceof org.hl7.fhir.r4.model.Library).map(r -> (org.hl7.fhir.r4.model.Library) r)
                    .filter(l -> l.getUrl().equals(cqfLibrary)).findFirst().orElseThrow();
            assertThat(cqfLibrary).as("the url, as the DTR kit resolves it").doesNotContain("|");
            assertThat(library.getVersion()).isEqualTo("2025-07-01");
            assertThat(library.getContent()).extracting(c -> c.getContentType()).containsExactly("text/cql", "application/elm+json");
            String cql = new String(library.getContent().get(0).getData(), java.nio.charset.StandardCharsets.UTF_8);
            JsonNode elm = TestServer.JSON.readTree(library.getContent().get(1).getData());
            assertThat(cql).startsWith("library " + library.getName() + " version '2025-07-01'");
            assertThat(elm.at("/library/identifier/id").asText()).isEqualTo(library.getName());
            assertThat(elm.at("/library/statements/def").toString()).contains("Member ID");
            String dependsOn = library.getRelatedArtifactFirstRep().getResource();
            assertThat(dependsOn).isEqualTo("http://hl7.org/fhir/Library/FHIRHelpers|4.0.1");
            assertThat(bundle.getEntry()).as("every library it depends on is in the package").anySatisfy(entry -> {
                assertThat(entry.getResource()).isInstanceOf(org.hl7.fhir.r4.model.Library.class);
                var helpers = (org.hl7.fhir.r4.model.Library) entry.getResource();
                assertThat(helpers.getUrl() + "|" + helpers.getVersion()).isEqualTo(dependsOn);
                assertThat(helpers.getContent()).extracting(c -> c.getContentType()).containsExactly("text/cql", "application/elm+json");
            });
            java.util.Set<String> names = new java.util.HashSet<>();
            bundle.getEntry().stream().filter(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Library)
                    .forEach(e -> assertThat(names.add(((org.hl7.fhir.r4.model.Library) e.getResource()).getName())).as("unique names").isTrue());
            var member = questionnaire.getItem().stream().filter(i -> i.getLinkId().equals("member-id")).findFirst().orElseThrow();
            assertThat(member.getExtensionByUrl("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression")
                    .getValue()).isInstanceOfSatisfying(org.hl7.fhir.r4.model.Expression.class, expression -> {
                        assertThat(expression.getLanguage()).isEqualTo("text/cql");
                        assertThat(expression.getExpression()).isEqualTo("\"" + library.getName() + "\".\"Member ID\"");
                    });
            if (validated.add(bundle.getEntryFirstRep().getResource().getIdElement().getIdPart())) {
                R4Validation.assertValid(bundle);   // once: the three sources give the same package, and validating it is slow
            }
        }
    }

    @Test
    void sourcesThatNameNothingOrBadInputAreOperationOutcomes() throws Exception {
        HttpResponse<String> nothing = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                parameters("{\"name\":\"context\",\"valueString\":\"no-such-assertion\"}"));
        assertThat(nothing.statusCode()).isEqualTo(404);
        assertThat(TestServer.json(nothing).get("resourceType").asText()).isEqualTo("OperationOutcome");
        HttpResponse<String> malformed = server.post("/fhir/Questionnaire/$questionnaire-package", "application/fhir+json",
                "{\"resourceType\":\"Patient\"}");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(malformed).get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void theValidatorRejectsWhatIsInvalid() {
        Questionnaire invalid = new Questionnaire();
        invalid.addItem().setText("no linkId, no type");
        ValidationResult result = R4Validation.VALIDATOR.validateWithResult(invalid);
        assertThat(result.getMessages()).anySatisfy(m -> assertThat(m.getSeverity().ordinal())
                .isGreaterThanOrEqualTo(ResultSeverityEnum.ERROR.ordinal()));
    }

    @Test
    void theLibraryIsReadable() throws Exception {
        HttpResponse<String> read = server.get("/fhir/Library/ma-immunological-cellular-gene-therapies-prepopulation");
        assertThat(read.statusCode()).isEqualTo(200);
        R4Validation.assertValid(parse(read, org.hl7.fhir.r4.model.Library.class));
        assertThat(server.get("/fhir/Library/no-such").statusCode()).isEqualTo(404);
    }

    @Test
    void nextQuestionAsksThenCompletes() throws Exception {
        String canonical = "http://localhost:0/fhir/Questionnaire/" + THERAPY + "|2025-07-01";
        String empty = "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\",\"questionnaire\":\"" + canonical + "\"}";
        HttpResponse<String> asked = server.post("/fhir/Questionnaire/$next-question", "application/fhir+json",
                parameters("{\"name\":\"questionnaire-response\",\"resource\":" + empty + "}"));
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
        QuestionnaireResponse next = parse(asked, QuestionnaireResponse.class);
        assertThat(next.getStatus()).isEqualTo(QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        assertThat(next.getItemFirstRep().getLinkId()).isEqualTo("therapy");
        assertThat(next.getQuestionnaire()).isEqualTo("#adaptive");
        R4Validation.assertValid(next);

        next.getItemFirstRep().addAnswer().setValue(new org.hl7.fhir.r4.model.Coding("x", "TUMOR_INFILTRATING_LYMPHOCYTES", null));
        HttpResponse<String> done = server.post("/fhir/Questionnaire/$next-question", "application/fhir+json",
                parameters("{\"name\":\"questionnaire-response\",\"resource\":" + org.medpolicy.fhir.Fhir.toJson(next) + "}"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(parse(done, QuestionnaireResponse.class).getStatus()).isEqualTo(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED);

        next.getItemFirstRep().getAnswerFirstRep().setValue(new org.hl7.fhir.r4.model.Coding("x", "MAGIC_BEANS", null));
        HttpResponse<String> invalid = server.post("/fhir/Questionnaire/$next-question", "application/fhir+json",
                parameters("{\"name\":\"questionnaire-response\",\"resource\":" + org.medpolicy.fhir.Fhir.toJson(next) + "}"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("OperationOutcome").contains("MAGIC_BEANS");
        assertThat(server.post("/fhir/Questionnaire/$next-question", "application/fhir+json", parameters("{\"name\":\"other\",\"valueString\":\"x\"}"))
                .statusCode()).isEqualTo(400);
    }

    @Test
    void theAnswerCodesDecide() throws Exception {
        HttpResponse<String> decided = server.post("/v1/determinations", "application/json", """
                {"kind":"PRE_SERVICE","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","requester":{"role":"TREATING_PROVIDER"},
                 "items":[{"code":{"system":"CPT","value":"96365"},"answers":{"therapy":"TUMOR_INFILTRATING_LYMPHOCYTES"}}]}""");
        assertThat(TestServer.json(decided).at("/items/0/outcome").asText()).isEqualTo("NOT_COVERED");
    }

    private static String parameters(String parameter) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[" + parameter + "]}";
    }
}
