package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

/**
 * The CRD services: discovery and the hooks (order-sign, order-select, order-dispatch and
 * appointment-book, which may ask for documentation; encounter-start and encounter-discharge, which
 * inform only). A call is read (every problem reported at once, as an OperationOutcome), the
 * resources it is about become one contract request (one determination, so one
 * coverage-assertion-id per Coverage per call), the engine decides, and the answer is an update
 * system action per resource carrying its coverage information, plus cards. Immutable and thread-safe.
 *
 * <p>Data comes from prefetch, and what prefetch lacks is read from the EHR's FHIR server when the
 * call's {@link EhrFhir.Access} allows it (a server registered for that EHR). When the Coverage can
 * be had neither way the answer is still 200, with coverage information {@code indeterminate} for a
 * technical reason that says what failed.
 *
 * <p>Long because a hook call's subjects are found, its coverage found and its answer built here,
 * in that order, each in its own section; reading the call, its data, the mapping of resources, the
 * assertions and the cards are their own classes.
 */
public final class CrdService {

    /** What a hook's context gives the resources to attach coverage information to. */
    enum Context { DRAFT_ORDERS, SELECTED_ORDERS, APPOINTMENTS, DISPATCHED_ORDERS, ENCOUNTER }

    /** The services, by id. */
    public enum Hook {
        ORDER_SIGN("medpolicy-order-sign", "order-sign", true, Context.DRAFT_ORDERS),
        ORDER_SELECT("medpolicy-order-select", "order-select", false, Context.SELECTED_ORDERS),
        ORDER_DISPATCH("medpolicy-order-dispatch", "order-dispatch", true, Context.DISPATCHED_ORDERS),
        APPOINTMENT_BOOK("medpolicy-appointment-book", "appointment-book", true, Context.APPOINTMENTS),
        ENCOUNTER_START("medpolicy-encounter-start", "encounter-start", false, Context.ENCOUNTER),
        ENCOUNTER_DISCHARGE("medpolicy-encounter-discharge", "encounter-discharge", false, Context.ENCOUNTER);

        final String id;
        final String hook;
        final boolean asksForDocumentation;
        final Context context;

        Hook(String id, String hook, boolean asksForDocumentation, Context context) {
            this.id = id;
            this.hook = hook;
            this.asksForDocumentation = asksForDocumentation;
            this.context = context;
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

    /**
     * Who is calling: {@code madeBy} as the decision log names it, what may be read from its EHR, and
     * the CRD version it is registered for (used when a call does not request one).
     */
    public record HookCaller(String madeBy, EhrFhir.Access ehr, CrdVersion registeredVersion) {
        public HookCaller {
            registeredVersion = registeredVersion == null ? CrdVersion.latest() : registeredVersion;
        }
    }

    /** What a call produced: the CDS Hooks response, and the determination it rests on (null when none was made). */
    public record HookOutcome(ObjectNode response, Determination determination) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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

    private static final Map<Context, String> SUBJECTS = Map.of(Context.DRAFT_ORDERS, "draft orders",
            Context.SELECTED_ORDERS, "the selected draft orders", Context.DISPATCHED_ORDERS, "dispatched orders",
            Context.APPOINTMENTS, "proposed appointments", Context.ENCOUNTER, "the encounter");

    /** {@code GET /cds-services}. */
    public ObjectNode discovery() {
        ObjectNode discovery = NODES.objectNode();
        ArrayNode services = discovery.putArray("services");
        for (Hook hook : Hook.values()) {
            ObjectNode service = services.addObject();
            service.put("hook", hook.hook);
            service.put("id", hook.id);
            service.put("title", "Coverage requirements (" + hook.hook + ")");
            service.put("description", "Medicare Advantage coverage information for " + SUBJECTS.get(hook.context)
                    + ", decided from the plan's versioned medical policy data (Da Vinci CRD 2.2)"
                    + (hook.asksForDocumentation ? "." : "; information only, no documentation is asked for."));
            ObjectNode prefetch = service.putObject("prefetch");
            prefetch.put("patient", "Patient/{{context.patientId}}");
            prefetch.put("coverage", "Coverage?patient={{context.patientId}}&status=active");
            if (hook.context == Context.ENCOUNTER) {
                prefetch.put("encounter", "Encounter/{{context.encounterId}}");
            }
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

    /** Answers a hook call that may read nothing from the EHR (prefetch only), in the version it asks for or the latest. */
    public HookOutcome call(Hook hook, JsonNode body, String madeBy) {
        return call(hook, body, new HookCaller(madeBy, EhrFhir.Access.none(), null));
    }

    /**
     * Answers a hook call made by {@code caller}, reading what prefetch lacks through its EHR access,
     * in the CRD version the call requests, else the one the caller is registered for.
     *
     * @throws FhirInputException listing every problem with the call (answer 400 with its OperationOutcome)
     */
    public HookOutcome call(Hook hook, JsonNode body, HookCaller caller) {
        HookCall call = HookCall.read(hook, body);
        String madeBy = caller.madeBy();
        EhrFhir.Access ehr = caller.ehr();
        CrdVersion version = call.requestedVersion().orElse(caller.registeredVersion());
        ObjectNode response = NODES.objectNode();
        ArrayNode cards = response.putArray("cards");
        ArrayNode actions = response.putArray("systemActions");
        if (!call.coverageInfo()) {
            return new HookOutcome(response, null);
        }
        HookData data = new HookData(call.prefetch(), call.fhirServer() == null
                ? EhrFhir.unavailable("the call named no fhirServer") : ehr.forCall(call.fhirServer(), call.accessToken()));

        // The resources the answer is about: those the call carries, and those it names, found.
        List<HookCall.Subject> subjects = new ArrayList<>(call.subjects());
        List<String> missing = new ArrayList<>();
        for (String reference : call.named()) {
            HookCall.Subject found = subject(data, reference);
            if (found == null) {
                missing.add(reference);
            } else {
                subjects.add(found);
            }
        }
        if (!missing.isEmpty()) {
            cards.add(Cards.problem("Coverage could not be evaluated: " + String.join(", ", missing) + " could not be read",
                    "medpolicy needs " + String.join(", ", missing) + " in prefetch or from the EHR's FHIR server"
                            + because(data.failures()), "medpolicy"));
        }
        if (subjects.isEmpty()) {
            return new HookOutcome(response, null);
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));

        // The coverage the assertions are about.
        CoverageLookup coverage = coverage(data, call.patientId());
        if (coverage.problem() != null) {
            for (HookCall.Subject subject : subjects) {
                actions.add(update(subject, coverage.problem(), version, coverage.reference(), today, "none-" + call.hookInstance()));
            }
            cards.add(Cards.problem(coverage.summary(), coverage.problem().reasonText(), "medpolicy"));
            return new HookOutcome(response, null);
        }

        // One contract request for every order this service can read.
        List<Resource> evaluated = new ArrayList<>();
        List<RequestItem> items = new ArrayList<>();
        LocalDate dateOfService = null;
        boolean urgent = false;
        for (HookCall.Subject subject : subjects) {
            Resource order = subject.resource();
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
        for (HookCall.Subject subject : subjects) {
            Resource order = subject.resource();
            int index = evaluated.indexOf(order);
            CoverageAssertion assertion;
            if (index < 0) {
                assertion = CoverageAssertion.indeterminate("not-evaluated",
                        "medpolicy evaluates ServiceRequest, MedicationRequest and DeviceRequest orders, Appointments and Encounters "
                                + "that carry a CPT or HCPCS code or a description; this " + order.fhirType() + " has none it can read.");
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
            actions.add(update(subject, assertion, version, coverage.reference(), today, assertionId));
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
    private static ObjectNode update(HookCall.Subject subject, CoverageAssertion assertion, CrdVersion version, Reference coverage,
                                     LocalDate date, String assertionId) {
        Resource order = subject.resource();
        JsonNode sent = subject.sent();
        org.hl7.fhir.r4.model.Basic carrier = new org.hl7.fhir.r4.model.Basic();
        carrier.addExtension(assertion.as(version).toExtension(coverage, date, assertionId));
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

    // ---- Finding what the call names --------------------------------------------------------

    /** The resource {@code reference} names, from prefetch or the EHR, or null when it cannot be had or read. */
    private static HookCall.Subject subject(HookData data, String reference) {
        JsonNode json = data.resource(reference);
        if (json == null) {
            return null;
        }
        try {
            return new HookCall.Subject(Fhir.parseAny(json, reference), json);
        } catch (FhirInputException e) {
            return null;
        }
    }

    private static String because(List<String> failures) {
        return failures.isEmpty() ? "." : "; " + String.join("; ", failures) + ".";
    }

    // ---- Coverage --------------------------------------------------------------------------------

    private record CoverageLookup(Reference reference, String memberId, CoverageAssertion problem, String summary) {
    }

    private static CoverageLookup coverage(HookData data, String patientId) {
        JsonNode node = data.prefetchedOrRead("coverage", "Coverage?patient=" + patientId + "&status=active");
        if (node == null) {
            return new CoverageLookup(new Reference().setDisplay("Coverage not available"), null,
                    CoverageAssertion.indeterminate("technical", "The patient's Coverage was not prefetched and could not be read "
                            + "from the EHR, so coverage requirements could not be evaluated; send prefetch 'coverage' "
                            + "(Coverage?patient={{context.patientId}}&status=active)" + because(data.failures())),
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
        JsonNode patient = memberId == null ? data.prefetchedOrRead("patient", "Patient/" + patientId) : null;
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
