package org.medpolicy.app.http.fhir;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.crd.CrdService;
import org.medpolicy.fhir.dtr.Questionnaires;

/**
 * The FHIR endpoints: {@code GET /fhir/metadata}, {@code GET /fhir/Questionnaire/{id}} and DTR's
 * {@code POST /fhir/Questionnaire/$questionnaire-package}. Resources are HAPI models written by
 * HAPI; errors are OperationOutcomes. Thread-safe.
 */
public final class FhirRoutes {

    public static final String FHIR_JSON = "application/fhir+json";

    private final Questionnaires questionnaires;
    private final DeterminationLog log;
    private final CrdService crd;

    private final org.medpolicy.security.ClientRegistry clients;

    public FhirRoutes(Questionnaires questionnaires, DeterminationLog log, CrdService crd, org.medpolicy.security.ClientRegistry clients) {
        this.clients = clients;
        this.questionnaires = questionnaires;
        this.log = log;
        this.crd = crd;
    }

    /** DTR's routes and the FHIR server's metadata. */
    public void addTo(RouteTable table) {
        String tag = "DTR";
        String read = "system/Questionnaire.read";
        table.get("/fhir/metadata", Access.open(), RouteTable.Doc.of("FHIR", "The CapabilityStatement").answers(200, FHIR_JSON, "FhirResource"),
                        this::metadata)
                .get("/fhir/Questionnaire/{id}", Access.scope(read), fhir(tag, "A Questionnaire").errors(404, null), this::readQuestionnaire)
                .post("/fhir/Questionnaire/$questionnaire-package", Access.scope(read).costing(Access.HEAVY_READ), fhir(tag,
                        "The questionnaire package (Questionnaire, QuestionnaireResponse, ValueSets, Libraries)").accepts(FHIR_JSON, "FhirResource")
                        .errors(400, null), this::questionnairePackage)
                .post("/fhir/Questionnaire/$next-question", Access.scope(read), fhir(tag, "The next question of an adaptive questionnaire")
                        .accepts(FHIR_JSON, "FhirResource").errors(400, null), this::nextQuestion)
                .post("/fhir/Questionnaire/$log-questionnaire-errors", Access.scope(read), fhir(tag, "Log a client's questionnaire errors")
                        .accepts(FHIR_JSON, "FhirResource").errors(400, null), this::logQuestionnaireErrors)
                .get("/fhir/ValueSet/$expand", Access.scope(read), fhir(tag, "Expand a ValueSet").errors(400, null, 404, null), this::expand)
                .post("/fhir/ValueSet/$expand", Access.scope(read), fhir(tag, "Expand a ValueSet").accepts(FHIR_JSON, "FhirResource")
                        .errors(400, null, 404, null), this::expand)
                .get("/fhir/Library/{id}", Access.scope(read), fhir(tag, "A Library (CQL and ELM)").errors(404, null), this::readLibrary)
                .get("/fhir/ValueSet/{id}", Access.scope(read), fhir(tag, "A ValueSet").errors(404, null), this::readValueSet);
    }

    /** The documentation of a FHIR operation answering a FHIR resource. */
    public static RouteTable.Doc fhir(String tag, String summary) {
        return RouteTable.Doc.of(tag, summary).answers(200, FHIR_JSON, "FhirResource");
    }

    void metadata(Context ctx) {
        send(ctx, 200, questionnaires.capabilityStatement());
    }

    void readQuestionnaire(Context ctx) {
        sendOrNotFound(ctx, questionnaires.byId(ctx.pathParam("id")), "Questionnaire");
    }

    /**
     * The packages for what the request names: {@code questionnaire} canonicals, a {@code context}
     * (the CRD coverage-assertion id: the questions its determination asked), or an {@code order}
     * (the questions the engine would ask about it). Each works alone; together, their union.
     */
    void questionnairePackage(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        JsonNode tree = body(ctx);
        Set<String> ids = new LinkedHashSet<>();
        Parameters parameters = Fhir.parse(tree, Parameters.class, "$");
        for (var parameter : parameters.getParameter()) {
            switch (parameter.getName()) {
                case "questionnaire" -> questionnaires.byCanonical(parameter.getValue() == null ? ""
                        : parameter.getValue().primitiveValue()).ifPresent(q -> ids.add(q.getIdElement().getIdPart()));
                case "context" -> ids.addAll(fromAssertion(parameter.getValue() == null ? "" : parameter.getValue().primitiveValue()));
                case "order" -> {
                    Resource order = parameter.getResource();
                    if (order != null) {
                        for (String question : crd.questionsFor(order)) {
                            questionnaires.ids().stream().filter(id -> id.endsWith("-" + question)).forEach(ids::add);
                        }
                    }
                }
                default -> {
                    // coverage and other inputs do not change which questionnaires apply here
                }
            }
        }
        Parameters out = new Parameters();
        List<String> names = packageParameterNames(parameters, clients.find(Gatekeeper.caller(ctx).clientId())
                .map(client -> client.versions().dtr()).orElse(null));
        for (String id : ids) {
            questionnaires.byId(id).ifPresent(questionnaire -> {
                var packaged = questionnaires.packageOf(questionnaire);
                for (String name : names) {
                    out.addParameter().setName(name).setResource(names.size() == 1 ? packaged : packaged.copy());
                }
            });
        }
        if (out.getParameter().isEmpty()) {
            send(ctx, 404, new FhirInputException("questionnaire|context|order",
                    "none of the sources names a questionnaire of these policies").toOperationOutcome());
            return;
        }
        send(ctx, 200, out);
    }

    /**
     * What the package output parameter is called for this client: DTR 2.0.1 (the version the
     * certification kit tests) names it {@code PackageBundle}, DTR 2.2 {@code packagebundle}. A
     * client says which guide it follows by the profile its input Parameters declares
     * ({@code …/dtr-qpackage-input-parameters|2.0.1}); one that does not say is answered in the DTR
     * version it is registered for ({@code clients versions --dtr}), else 2.0.1's name.
     *
     * <p>Why one name and not both: the DTR kit gathers the Libraries of every Bundle parameter, so
     * the same package under two names reads to it as duplicate Library names, which it fails.
     */
    static List<String> packageParameterNames(Parameters input, String registeredDtr) {
        for (var profile : input.getMeta().getProfile()) {
            String canonical = profile.getValue() == null ? "" : profile.getValue();
            if (canonical.contains("davinci-dtr") && canonical.contains("|")) {
                return List.of(nameFor(canonical.substring(canonical.indexOf('|') + 1)));
            }
        }
        return List.of(registeredDtr == null ? "PackageBundle" : nameFor(registeredDtr));
    }

    private static String nameFor(String dtrVersion) {
        return dtrVersion.startsWith("2.0") || dtrVersion.startsWith("1.") ? "PackageBundle" : "packagebundle";
    }

    /**
     * The questionnaires of the questions a logged determination asked. Not limited to the client
     * that made the determination, as reading it is: the id reaches a DTR app through the EHR that
     * received the CRD card, and that app is usually another registered client than the EHR's hook
     * caller. What comes back is the policy's public questionnaires, nothing of the determination
     * or the member, and a determination id cannot be guessed (122 random bits, from a CSPRNG).
     */
    private List<String> fromAssertion(String assertionId) {
        var record = log.find(assertionId);
        if (record.isEmpty()) {
            return List.of();
        }
        try {
            JsonNode determination = StoredJson.read(record.get().responseJson().toByteArray());
            String policy = determination.path("policy").path("id").asText();
            Set<String> ids = new LinkedHashSet<>();
            for (JsonNode item : determination.path("items")) {
                for (JsonNode question : item.path("questions")) {
                    ids.add(policy + "-" + question.path("id").asText());
                }
            }
            return List.copyOf(ids);
        } catch (IOException e) {
            return List.of();
        }
    }

    void readLibrary(Context ctx) {
        sendOrNotFound(ctx, questionnaires.library(ctx.pathParam("id")), "Library");
    }

    void readValueSet(Context ctx) {
        sendOrNotFound(ctx, questionnaires.valueSet(ctx.pathParam("id")), "ValueSet");
    }

    /** {@code ValueSet/$expand} by {@code url} (query parameter, or a Parameters body). */
    void expand(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        String url = ctx.queryParam("url");
        if (url == null && ctx.method().name().equals("POST")) {
            JsonNode tree = body(ctx);
            Parameters parameters = Fhir.parse(tree, Parameters.class, "$");
            for (var parameter : parameters.getParameter()) {
                if (parameter.getName().equals("url") && parameter.getValue() != null) {
                    url = parameter.getValue().primitiveValue();
                }
            }
        }
        if (url == null || url.isBlank()) {
            send(ctx, 400, new FhirInputException("url", "is required: the canonical of the ValueSet to expand").toOperationOutcome());
            return;
        }
        var valueSet = questionnaires.valueSetByCanonical(url);
        if (valueSet.isEmpty()) {
            send(ctx, 404, new FhirInputException("url", "no ValueSet of these policies has url " + url).toOperationOutcome());
            return;
        }
        send(ctx, 200, valueSet.get());
    }

    /** DTR's adaptive {@code $next-question}: the response with the next question, or completed. */
    void nextQuestion(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        JsonNode tree = body(ctx);
        Parameters parameters = Fhir.parse(tree, Parameters.class, "$");
        org.hl7.fhir.r4.model.QuestionnaireResponse response = null;
        for (var parameter : parameters.getParameter()) {
            if (parameter.getName().equals("questionnaire-response")
                    && parameter.getResource() instanceof org.hl7.fhir.r4.model.QuestionnaireResponse given) {
                response = given;
            }
        }
        if (response == null) {
            throw new FhirInputException("questionnaire-response", "is required: the QuestionnaireResponse so far");
        }
        send(ctx, 200, questionnaires.nextQuestion(response));
    }

    /**
     * DTR's {@code $log-questionnaire-errors}: a client reports problems it met with a questionnaire.
     * They are acknowledged and counted in the request log (the issues themselves are not logged:
     * they may quote patient data).
     */
    void logQuestionnaireErrors(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        JsonNode tree = body(ctx);
        Fhir.parse(tree, Parameters.class, "$");
        org.hl7.fhir.r4.model.OperationOutcome received = new org.hl7.fhir.r4.model.OperationOutcome();
        received.addIssue().setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(org.hl7.fhir.r4.model.OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics("The errors were received.");
        send(ctx, 200, received);
    }

    /**
     * The FHIR JSON body of the request (fhir+json or json); a body that is not one (wrong type, too
     * large, not JSON) is refused, and the server's one handler answers with an OperationOutcome.
     */
    public static JsonNode body(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        return RequestBodies.fhirJson(ctx, FHIR_JSON, "application/json");
    }

    /** Answers with {@code found}, or 404 naming the {@code type} and id asked for. */
    static void sendOrNotFound(Context ctx, java.util.Optional<? extends Resource> found, String type) {
        if (found.isPresent()) {
            send(ctx, 200, found.get());
        } else {
            send(ctx, 404, new FhirInputException("id", "no " + type + " has id " + ctx.pathParam("id")).toOperationOutcome());
        }
    }

    public static void send(Context ctx, int status, Resource resource) {
        if (status >= 400) {
            RequestBodies.discard(ctx);
        }
        ctx.status(status).contentType(FHIR_JSON).result(Fhir.toJson(resource));
    }

    /** Reads stored determinations. */
    private static final class StoredJson {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

        static JsonNode read(byte[] json) throws IOException {
            return MAPPER.readTree(json);
        }
    }
}
