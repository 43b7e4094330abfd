package org.medpolicy.fhir.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.FhirInputException.Issue;

/**
 * One CDS Hooks call as read: who and what it is about, the resources coverage information is to
 * be attached to when the call carries them ({@code subjects}: draft orders, selected orders,
 * proposed appointments), or the references of those it only names ({@code named}: a dispatched
 * order, the encounter), and what it lets medpolicy read. Every problem with the call is reported
 * at once. Immutable.
 */
record HookCall(String hookInstance, String userId, String patientId, String fhirServer, String accessToken,
                List<Subject> subjects, List<String> named, Map<String, JsonNode> prefetch, boolean coverageInfo,
                java.util.Optional<CrdVersion> requestedVersion) {

    /** A resource coverage information is about, and its JSON exactly as the EHR sent (or served) it. */
    record Subject(Resource resource, JsonNode sent) {
    }

    static final Set<String> ORDER_TYPES = Set.of("ServiceRequest", "MedicationRequest", "DeviceRequest",
            "NutritionOrder", "VisionPrescription", "CommunicationRequest");
    private static final Pattern ORDER_REFERENCE = Pattern.compile("(" + String.join("|", ORDER_TYPES) + ")/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    static HookCall read(CrdService.Hook hook, JsonNode body) {
        List<Issue> issues = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new FhirInputException("$", "the request body must be a CDS Hooks request (a JSON object)");
        }
        if (!hook.hook.equals(body.path("hook").asText(null))) {
            issues.add(new Issue("hook", OperationOutcome.IssueType.INVALID, "must be '" + hook.hook + "' for service " + hook.id));
        }
        String hookInstance = text(body, "hookInstance");
        if (hookInstance == null || hookInstance.isBlank()) {
            issues.add(new Issue("hookInstance", OperationOutcome.IssueType.REQUIRED, "is required (a UUID for this call)"));
        }
        String fhirServer = text(body, "fhirServer");
        String accessToken = text(body.path("fhirAuthorization"), "access_token");
        if (body.has("fhirAuthorization") && accessToken == null) {
            issues.add(new Issue("fhirAuthorization.access_token", OperationOutcome.IssueType.REQUIRED,
                    "is required when fhirAuthorization is given"));
        }
        JsonNode context = body.get("context");
        List<Subject> subjects = new ArrayList<>();
        List<String> named = new ArrayList<>();
        String userId = null;
        String patientId = null;
        if (context == null || !context.isObject()) {
            issues.add(new Issue("context", OperationOutcome.IssueType.REQUIRED, "is required (an object)"));
        } else {
            userId = text(context, "userId");
            patientId = text(context, "patientId");
            if (patientId == null) {
                issues.add(new Issue("context.patientId", OperationOutcome.IssueType.REQUIRED, "is required"));
            } else if (!ID.matcher(patientId).matches()) {
                issues.add(new Issue("context.patientId", OperationOutcome.IssueType.INVALID, "must be a FHIR id (the Patient's logical id)"));
            }
            switch (hook.context) {
                case DRAFT_ORDERS -> subjects.addAll(entries(context, "draftOrders", ORDER_TYPES, "a FHIR Bundle of draft orders", issues));
                case SELECTED_ORDERS -> subjects.addAll(selected(context,
                        entries(context, "draftOrders", ORDER_TYPES, "a FHIR Bundle of draft orders", issues), issues));
                case APPOINTMENTS -> subjects.addAll(entries(context, "appointments", Set.of("Appointment"),
                        "a FHIR Bundle of the proposed Appointments", issues));
                case DISPATCHED_ORDERS -> named.addAll(dispatched(context, issues));
                case ENCOUNTER -> {
                    String encounterId = text(context, "encounterId");
                    if (encounterId == null || !ID.matcher(encounterId).matches()) {
                        issues.add(new Issue("context.encounterId", OperationOutcome.IssueType.REQUIRED,
                                "is required (the Encounter's logical id)"));
                    } else {
                        named.add("Encounter/" + encounterId);
                    }
                }
                default -> throw new IllegalStateException(hook.context.name());
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
        java.util.Optional<CrdVersion> requestedVersion = java.util.Optional.empty();
        JsonNode requested = body.path("extension").path("davinci-crd.requestedVersion");
        if (!requested.isMissingNode() && !requested.isNull()) {
            requestedVersion = requested.isTextual() ? CrdVersion.parse(requested.asText()) : java.util.Optional.empty();
            if (requestedVersion.isEmpty()) {
                issues.add(new Issue("extension.davinci-crd.requestedVersion", OperationOutcome.IssueType.NOTSUPPORTED,
                        "medpolicy answers CRD 2.0 and 2.2 (major.minor), not " + requested));
            }
        }
        Map<String, JsonNode> prefetch = new LinkedHashMap<>();
        JsonNode prefetchNode = body.get("prefetch");
        if (prefetchNode != null && prefetchNode.isObject()) {
            prefetchNode.properties().forEach(field -> prefetch.put(field.getKey(), field.getValue()));
        }
        if (!issues.isEmpty()) {
            throw new FhirInputException(issues);
        }
        return new HookCall(hookInstance, userId, patientId, fhirServer, accessToken, subjects, named, prefetch, coverageInfo,
                requestedVersion);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.get(field).asText() : null;
    }

    /** The resources of the Bundle at {@code context.field}, each of one of {@code types} and with an id. */
    private static List<Subject> entries(JsonNode context, String field, Set<String> types, String what, List<Issue> issues) {
        List<Subject> subjects = new ArrayList<>();
        JsonNode bundleNode = context.get(field);
        String where = "context." + field;
        if (bundleNode == null || !bundleNode.isObject()) {
            issues.add(new Issue(where, OperationOutcome.IssueType.REQUIRED, "is required (" + what + ")"));
            return subjects;
        }
        try {
            Bundle bundle = Fhir.parse(bundleNode, Bundle.class, where);
            for (int i = 0; i < bundle.getEntry().size(); i++) {
                Resource resource = bundle.getEntry().get(i).getResource();
                if (resource == null || !types.contains(resource.fhirType())) {
                    issues.add(new Issue(where + ".entry[" + i + "]", OperationOutcome.IssueType.INVALID,
                            "must be " + (types.size() == 1 ? "an " + types.iterator().next() : "a draft order (" + String.join(", ", types) + ")")));
                } else if (!resource.getIdElement().hasIdPart()) {
                    issues.add(new Issue(where + ".entry[" + i + "].resource.id", OperationOutcome.IssueType.REQUIRED,
                            "is required: coverage information is returned as an update of the resource by its id"));
                } else {
                    subjects.add(new Subject(resource, bundleNode.path("entry").path(i).path("resource")));
                }
            }
        } catch (FhirInputException e) {
            issues.addAll(e.issues());
        }
        return subjects;
    }

    /** order-select: only the orders the clinician selected are evaluated. */
    private static List<Subject> selected(JsonNode context, List<Subject> orders, List<Issue> issues) {
        JsonNode selections = context.get("selections");
        if (selections == null || !selections.isArray()) {
            issues.add(new Issue("context.selections", OperationOutcome.IssueType.REQUIRED,
                    "is required for order-select (references of the selected orders)"));
            return orders;
        }
        Set<String> wanted = new HashSet<>();
        selections.forEach(reference -> wanted.add(reference.asText()));
        return orders.stream().filter(order -> wanted.contains(order.resource().fhirType() + "/"
                + order.resource().getIdElement().getIdPart())).toList();
    }

    /**
     * order-dispatch: the dispatched orders' references. CDS Hooks' order-dispatch 1.0 names them in
     * {@code dispatchedOrders}; the CRD 2.0.1 test kit sends one as {@code order}. Both are read.
     */
    private static List<String> dispatched(JsonNode context, List<Issue> issues) {
        List<String> references = new ArrayList<>();
        List<JsonNode> given = new ArrayList<>();
        String where;
        if (context.has("dispatchedOrders")) {
            where = "context.dispatchedOrders";
            if (!context.get("dispatchedOrders").isArray() || context.get("dispatchedOrders").isEmpty()) {
                issues.add(new Issue(where, OperationOutcome.IssueType.INVALID, "must be a non-empty array of order references"));
            }
            context.get("dispatchedOrders").forEach(given::add);
        } else if (context.has("order")) {
            where = "context.order";
            given.add(context.get("order"));
        } else {
            issues.add(new Issue("context.dispatchedOrders", OperationOutcome.IssueType.REQUIRED,
                    "is required (the references of the dispatched orders, or context.order)"));
            return references;
        }
        for (JsonNode reference : given) {
            if (!reference.isTextual() || !ORDER_REFERENCE.matcher(reference.asText()).matches()) {
                issues.add(new Issue(where, OperationOutcome.IssueType.INVALID, "must reference an order as Type/id ("
                        + String.join(", ", ORDER_TYPES) + "), not " + reference));
            } else {
                references.add(reference.asText());
            }
        }
        if (text(context, "performer") == null) {
            issues.add(new Issue("context.performer", OperationOutcome.IssueType.REQUIRED, "is required (who the order is dispatched to)"));
        }
        return references;
    }
}
