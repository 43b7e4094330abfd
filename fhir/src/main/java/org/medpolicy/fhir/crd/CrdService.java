package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.Member;
import org.medpolicy.core.request.RequestItem;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.core.request.Requester;
import org.medpolicy.core.request.RequesterRole;
import org.medpolicy.core.request.Urgency;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.FhirInputException.Issue;

/**
 * The CRD services: discovery and the order-sign / order-select hooks. A call is read (every
 * problem reported at once, as an OperationOutcome), its draft orders become one contract request
 * (one determination, so one coverage-assertion-id per Coverage per call), the engine decides, and
 * the answer is an update system action per order carrying its coverage information, plus cards.
 * Immutable and thread-safe.
 *
 * <p>Data is taken from prefetch only; when the Coverage was not prefetched the answer is still
 * 200, with coverage information {@code indeterminate} for a technical reason (fetching from the
 * EHR's FHIR server waits for the security work: it must be limited to registered EHRs).
 *
 * <p>Long because a hook call is read, its coverage found and its answer built here, in that order,
 * each in its own section; the mapping of orders, the assertions and the cards are their own classes.
 */
public final class CrdService {

    /** The services, by id. */
    public enum Hook {
        ORDER_SIGN("medpolicy-order-sign", "order-sign", true),
        ORDER_SELECT("medpolicy-order-select", "order-select", false);

        final String id;
        final String hook;
        final boolean asksForDocumentation;

        Hook(String id, String hook, boolean asksForDocumentation) {
            this.id = id;
            this.hook = hook;
            this.asksForDocumentation = asksForDocumentation;
        }

        public String id() {
            return id;
        }

        public static Optional<Hook> byId(String id) {
            for (Hook hook : values()) {
                if (hook.id.equals(id)) {
                    return Optional.of(hook);
                }
            }
            return Optional.empty();
        }
    }

    /** What a call produced: the CDS Hooks response, and the determination it rests on (null when none was made). */
    public record HookOutcome(ObjectNode response, Determination determination) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> ORDER_TYPES = Set.of("ServiceRequest", "MedicationRequest", "DeviceRequest",
            "NutritionOrder", "VisionPrescription", "CommunicationRequest");

    private final java.util.function.Supplier<CoverageEngine> engine;
    private final java.util.function.BiFunction<CoverageRequest, String, Determination> decide;
    private final Clock clock;
    private final String baseUrl;

    /**
     * {@code decide} is the application's one path to a determination (it decides and records);
     * {@code engine}, the engine in use when asked, answers only the look-ups that decide nothing
     * (which questions an order raises).
     */
    public CrdService(java.util.function.Supplier<CoverageEngine> engine,
                      java.util.function.BiFunction<CoverageRequest, String, Determination> decide, Clock clock,
                      String baseUrl) {
        this.engine = engine;
        this.decide = decide;
        this.clock = clock;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * The ids of the questions the engine would ask about one draft order (INFO_NEEDED), decided
     * for Medicare Advantage on the order's date (today when it has none); empty when it would not ask.
     */
    public List<String> questionsFor(Resource order) {
        var mapped = OrderMapper.map(order);
        if (mapped.isEmpty()) {
            return List.of();
        }
        LocalDate date = mapped.get().dateOfService().orElse(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        try {
            CoverageEngine inUse = engine.get();
            var item = inUse.screen(inUse.vocabulary().defaultLineOfBusiness(), date, mapped.get().item()).item();
            return item.questions() == null ? List.of() : item.questions().stream().map(q -> q.id()).toList();
        } catch (ProblemException undecidable) {
            return List.of();
        }
    }

    /** {@code GET /cds-services}. */
    public ObjectNode discovery() {
        ObjectNode discovery = NODES.objectNode();
        ArrayNode services = discovery.putArray("services");
        for (Hook hook : Hook.values()) {
            ObjectNode service = services.addObject();
            service.put("hook", hook.hook);
            service.put("id", hook.id);
            service.put("title", "Coverage requirements (" + hook.hook + ")");
            service.put("description", "Medicare Advantage coverage information for draft orders, decided from the plan's "
                    + "versioned medical policy data (Da Vinci CRD 2.2).");
            ObjectNode prefetch = service.putObject("prefetch");
            prefetch.put("patient", "Patient/{{context.patientId}}");
            prefetch.put("coverage", "Coverage?patient={{context.patientId}}&status=active");
            ObjectNode extension = service.putObject("extension");
            extension.putArray("davinci-crd.version").add("2.2");
            ObjectNode option = extension.putArray("davinci-crd.configuration-options").addObject();
            option.put("code", "coverage-info");
            option.put("type", "boolean");
            option.put("name", "Coverage information");
            option.put("description", "Return coverage information (the coverage-information extension and its cards) for the draft orders.");
            option.put("default", true);
        }
        return discovery;
    }

    /**
     * Answers a hook call made by {@code madeBy} (the EHR, as the decision log names it).
     *
     * @throws FhirInputException listing every problem with the call (answer 400 with its OperationOutcome)
     */
    public HookOutcome call(Hook hook, JsonNode body, String madeBy) {
        Call call = read(hook, body);
        ObjectNode response = NODES.objectNode();
        ArrayNode cards = response.putArray("cards");
        ArrayNode actions = response.putArray("systemActions");
        if (!call.coverageInfo() || call.orders().isEmpty()) {
            return new HookOutcome(response, null);
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));

        // The coverage the assertions are about.
        CoverageLookup coverage = coverage(call.prefetch());
        if (coverage.problem() != null) {
            for (int i = 0; i < call.orders().size(); i++) {
                actions.add(update(call.orders().get(i), call.sent().get(i), coverage.problem(), coverage.reference(), today,
                        "none-" + call.hookInstance()));
            }
            cards.add(Cards.problem(coverage.summary(), coverage.problem().reasonText(), "medpolicy"));
            return new HookOutcome(response, null);
        }

        // One contract request for every order this service can read.
        List<Resource> evaluated = new ArrayList<>();
        List<RequestItem> items = new ArrayList<>();
        LocalDate dateOfService = null;
        boolean urgent = false;
        for (Resource order : call.orders()) {
            var mapped = OrderMapper.map(order);
            if (mapped.isEmpty()) {
                continue;
            }
            evaluated.add(order);
            items.add(mapped.get().item());
            urgent |= mapped.get().urgent();
            LocalDate date = mapped.get().dateOfService().orElse(null);
            if (date != null && (dateOfService == null || date.isBefore(dateOfService))) {
                dateOfService = date;
            }
        }
        Determination determination = null;
        CoverageRequest request = null;
        String undecidable = null;
        if (!items.isEmpty()) {
            CoverageEngine inUse = engine.get();
            request = new CoverageRequest(RequestReader.isRequestId(call.hookInstance()) ? call.hookInstance() : null,
                    RequestKind.PRE_SERVICE, inUse.vocabulary().defaultLineOfBusiness(),
                    dateOfService == null ? today : dateOfService, clock.instant(), urgent ? Urgency.EXPEDITED : Urgency.STANDARD,
                    new Requester(RequesterRole.TREATING_PROVIDER, call.userId()), new Member(coverage.memberId(), null, null), items);
            try {
                // Checked by the same rules and limits as every channel's requests, then decided.
                determination = decide.apply(new RequestReader(inUse.vocabulary()).check(request), madeBy);
            } catch (ProblemException e) {
                undecidable = e.problem().detail();
            }
        }

        String assertionId = determination == null ? "none-" + call.hookInstance() : determination.determinationId();
        for (int position = 0; position < call.orders().size(); position++) {
            Resource order = call.orders().get(position);
            int index = evaluated.indexOf(order);
            CoverageAssertion assertion;
            if (index < 0) {
                assertion = CoverageAssertion.indeterminate("not-evaluated",
                        "medpolicy evaluates ServiceRequest, MedicationRequest and DeviceRequest orders that carry a CPT or HCPCS "
                                + "code or a description; this " + order.fhirType() + " has none it can read.");
            } else if (determination == null) {
                assertion = CoverageAssertion.indeterminate("no-policy-in-effect", undecidable);
            } else {
                ItemDetermination item = determination.items().get(index);
                assertion = assertionFor(item, determination, hook);
                ObjectNode card = Cards.forItem(label(order), item, determination.policy(), policyUrl(determination));
                if (card != null) {
                    cards.add(card);
                }
            }
            actions.add(update(order, call.sent().get(position), assertion, coverage.reference(), today, assertionId));
        }
        return new HookOutcome(response, determination);
    }

    private CoverageAssertion assertionFor(ItemDetermination item, Determination determination, Hook hook) {
        return switch (item.outcome()) {
            case NOT_COVERED, INVALID_CODE -> CoverageAssertion.notCovered(item.explanation());
            case COVERED -> CoverageAssertion.covered(item.explanation());
            case OUT_OF_SCOPE -> CoverageAssertion.indeterminate("not-addressed-by-policy", item.explanation());
            case INFO_NEEDED -> CoverageAssertion.needsDetail(item.explanation(), hook.asksForDocumentation
                    ? questionnaireUrl(determination, item) : null);
        };
    }

    /** The DTR questionnaire for the engine's questions (served by the DTR service). */
    private String questionnaireUrl(Determination determination, ItemDetermination item) {
        return baseUrl + "/fhir/Questionnaire/" + determination.policy().id() + "-" + item.questions().get(0).id();
    }

    private String policyUrl(Determination determination) {
        return baseUrl + "/v1/policies/" + determination.policy().id();
    }

    /**
     * The update action for one order: the order exactly as the EHR sent it (its JSON, untouched)
     * with the coverage-information extension appended to its extensions. The extension is built
     * as a HAPI model and written by HAPI (on a carrier resource), so no FHIR is written by hand,
     * and the order itself is never re-serialized: nothing in it can change.
     */
    private static ObjectNode update(Resource order, JsonNode sent, CoverageAssertion assertion, Reference coverage, LocalDate date,
                                     String assertionId) {
        org.hl7.fhir.r4.model.Basic carrier = new org.hl7.fhir.r4.model.Basic();
        carrier.addExtension(assertion.toExtension(coverage, date, assertionId));
        JsonNode extension = Fhir.toTree(carrier).path("extension").path(0);
        ObjectNode updated = sent.deepCopy();
        updated.withArray("extension").add(extension);
        ObjectNode action = NODES.objectNode();
        action.put("type", "update");
        action.put("description", "Add coverage information to " + order.fhirType() + "/" + order.getIdElement().getIdPart());
        action.set("resource", updated);
        return action;
    }

    /** How a card names an order: its product, else its code, else the start of its text. */
    private static String label(Resource order) {
        var mapped = OrderMapper.map(order);
        if (mapped.isPresent()) {
            RequestItem item = mapped.get().item();
            if (item.product() != null) {
                return item.product();
            }
            if (item.code() != null) {
                return item.code().toString();
            }
            if (item.description() != null) {
                String text = item.description();
                return text.length() <= 48 ? text : text.substring(0, 47) + "…";
            }
        }
        return order.fhirType() + "/" + order.getIdElement().getIdPart();
    }

    // ---- Reading the call ------------------------------------------------------------------------

    private record Call(String hookInstance, String userId, List<Resource> orders, List<JsonNode> sent, Map<String, JsonNode> prefetch,
                        boolean coverageInfo) {
    }

    private Call read(Hook hook, JsonNode body) {
        List<Issue> issues = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new FhirInputException("$", "the request body must be a CDS Hooks request (a JSON object)");
        }
        if (!hook.hook.equals(body.path("hook").asText(null))) {
            issues.add(new Issue("hook", OperationOutcome.IssueType.INVALID, "must be '" + hook.hook + "' for service " + hook.id));
        }
        String hookInstance = body.path("hookInstance").isTextual() ? body.get("hookInstance").asText() : null;
        if (hookInstance == null || hookInstance.isBlank()) {
            issues.add(new Issue("hookInstance", OperationOutcome.IssueType.REQUIRED, "is required (a UUID for this call)"));
        }
        JsonNode context = body.get("context");
        List<Resource> orders = new ArrayList<>();
        List<JsonNode> sent = new ArrayList<>();
        String userId = null;
        if (context == null || !context.isObject()) {
            issues.add(new Issue("context", OperationOutcome.IssueType.REQUIRED, "is required (an object)"));
        } else {
            userId = context.path("userId").isTextual() ? context.get("userId").asText() : null;
            if (!context.path("patientId").isTextual()) {
                issues.add(new Issue("context.patientId", OperationOutcome.IssueType.REQUIRED, "is required"));
            }
            JsonNode draftOrders = context.get("draftOrders");
            if (draftOrders == null || !draftOrders.isObject()) {
                issues.add(new Issue("context.draftOrders", OperationOutcome.IssueType.REQUIRED, "is required (a FHIR Bundle of draft orders)"));
            } else {
                try {
                    Bundle bundle = Fhir.parse(draftOrders, Bundle.class, "context.draftOrders");
                    for (int i = 0; i < bundle.getEntry().size(); i++) {
                        Resource resource = bundle.getEntry().get(i).getResource();
                        if (resource == null || !ORDER_TYPES.contains(resource.fhirType())) {
                            issues.add(new Issue("context.draftOrders.entry[" + i + "]", OperationOutcome.IssueType.INVALID,
                                    "must be a draft order (" + String.join(", ", ORDER_TYPES) + ")"));
                        } else if (!resource.getIdElement().hasIdPart()) {
                            issues.add(new Issue("context.draftOrders.entry[" + i + "].resource.id", OperationOutcome.IssueType.REQUIRED,
                                    "is required: coverage information is returned as an update of the order by its id"));
                        } else {
                            orders.add(resource);
                            sent.add(draftOrders.path("entry").path(i).path("resource"));
                        }
                    }
                } catch (FhirInputException e) {
                    issues.addAll(e.issues());
                }
            }
            if (hook == Hook.ORDER_SELECT) {
                List<Resource> chosen = selected(context, orders, issues);
                List<JsonNode> chosenSent = new ArrayList<>();
                for (Resource order : chosen) {
                    chosenSent.add(sent.get(orders.indexOf(order)));
                }
                orders = chosen;
                sent = chosenSent;
            }
        }
        boolean coverageInfo = true;
        JsonNode configuration = body.path("extension").path("davinci-crd.configuration");
        if (configuration.has("coverage-info")) {
            if (!configuration.get("coverage-info").isBoolean()) {
                issues.add(new Issue("extension.davinci-crd.configuration.coverage-info", OperationOutcome.IssueType.INVALID,
                        "must be true or false"));
            } else {
                coverageInfo = configuration.get("coverage-info").asBoolean();
            }
        }
        Map<String, JsonNode> prefetch = new java.util.HashMap<>();
        JsonNode prefetchNode = body.get("prefetch");
        if (prefetchNode != null && prefetchNode.isObject()) {
            prefetchNode.properties().forEach(field -> prefetch.put(field.getKey(), field.getValue()));
        }
        if (!issues.isEmpty()) {
            throw new FhirInputException(issues);
        }
        return new Call(hookInstance, userId, orders, sent, prefetch, coverageInfo);
    }

    /** order-select: only the orders the clinician selected are evaluated. */
    private static List<Resource> selected(JsonNode context, List<Resource> orders, List<Issue> issues) {
        JsonNode selections = context.get("selections");
        if (selections == null || !selections.isArray()) {
            issues.add(new Issue("context.selections", OperationOutcome.IssueType.REQUIRED, "is required for order-select (references of the selected orders)"));
            return orders;
        }
        Set<String> wanted = new HashSet<>();
        selections.forEach(reference -> wanted.add(reference.asText()));
        return orders.stream().filter(order -> wanted.contains(order.fhirType() + "/" + order.getIdElement().getIdPart())).toList();
    }

    // ---- Coverage --------------------------------------------------------------------------------

    private record CoverageLookup(Reference reference, String memberId, CoverageAssertion problem, String summary) {
    }

    private static CoverageLookup coverage(Map<String, JsonNode> prefetch) {
        JsonNode node = prefetch.get("coverage");
        if (node == null || node.isNull()) {
            return new CoverageLookup(new Reference().setDisplay("Coverage not available"), null,
                    CoverageAssertion.indeterminate("technical", "The patient's Coverage was not prefetched, so coverage "
                            + "requirements could not be evaluated; send prefetch 'coverage' (Coverage?patient={{context.patientId}}&status=active)."),
                    "Coverage could not be evaluated: the patient's coverage was not provided");
        }
        List<Coverage> coverages = new ArrayList<>();
        try {
            Resource resource = Fhir.parseAny(node, "prefetch.coverage");
            if (resource instanceof Coverage single) {
                coverages.add(single);
            } else if (resource instanceof Bundle bundle) {
                bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                        .filter(Coverage.class::isInstance).map(Coverage.class::cast).forEach(coverages::add);
            }
        } catch (FhirInputException e) {
            return new CoverageLookup(new Reference().setDisplay("Coverage not readable"), null,
                    CoverageAssertion.indeterminate("technical", "The prefetched coverage could not be read: " + e.getMessage()),
                    "Coverage could not be evaluated: the coverage provided could not be read");
        }
        if (coverages.isEmpty()) {
            return new CoverageLookup(new Reference().setDisplay("No coverage found"), null,
                    CoverageAssertion.notCovered("coverage-not-found", "No coverage with this plan was found for the patient."),
                    "No coverage with this plan was found for the patient");
        }
        Coverage active = coverages.stream().filter(c -> c.getStatus() == Coverage.CoverageStatus.ACTIVE).findFirst().orElse(null);
        Coverage chosen = active == null ? coverages.get(0) : active;
        Reference reference = new Reference("Coverage/" + chosen.getIdElement().getIdPart());
        if (active == null) {
            return new CoverageLookup(reference, null,
                    CoverageAssertion.notCovered("no-active-coverage", "The patient's coverage with this plan is not active."),
                    "The patient's coverage with this plan is not active");
        }
        String memberId = active.hasSubscriberId() ? active.getSubscriberId()
                : active.hasBeneficiary() ? active.getBeneficiary().getReference() : null;
        JsonNode patient = prefetch.get("patient");
        if (memberId == null && patient != null && patient.isObject()) {
            try {
                Patient read = Fhir.parse(patient, Patient.class, "prefetch.patient");
                memberId = read.hasIdentifier() ? read.getIdentifierFirstRep().getValue() : read.getIdElement().getIdPart();
            } catch (FhirInputException ignored) {
                // The member id only keys the log; a patient we cannot read does not stop the answer.
            }
        }
        return new CoverageLookup(reference, memberId, null, null);
    }
}
