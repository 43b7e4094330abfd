package org.medpolicy.fhir.pas;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationState;

/**
 * The PAS response Bundle for a case: a collection Bundle (identifier, timestamp) whose first entry
 * is the ClaimResponse, followed by the patient, insurer and provider it references (as
 * {@code urn:uuid} references equal to the entries' fullUrls). Per Claim item, in sequence: the
 * {@code submitted} adjudication carrying the PAS reviewAction (PAS 2.2 puts it on
 * {@code ClaimResponse.item.adjudication}), coded in X12 306:
 * <ul>
 *   <li>A4 (pended) while the case is undecided, an adverse recommendation included: it becomes a
 *       denial only when a physician signs it; also for referrals (another authority decides) and
 *       withdrawn requests;</li>
 *   <li>A1 (certified) for an approved item, with its issue date and authorized period;</li>
 *   <li>A3 (not certified) for a denied item, with the reason in plain language;</li>
 *   <li>C (cancelled) for an item an update cancelled (certification type 3 on the item).</li>
 * </ul>
 * An item under the member's reconsideration answers as the reconsideration stands: A4 while it is
 * reviewed, A1 once the plan (or the IRE) reverses the denial, A3 while the denial stands (upheld,
 * or with the independent review entity).
 * Stateless and thread-safe.
 */
public final class PasResponses {

    static final String REVIEW_ACTION = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction";
    static final String REVIEW_ACTION_CODE = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode";
    static final String ISSUE_DATE = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemPreAuthIssueDate";
    static final String PREAUTH_PERIOD = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemPreAuthPeriod";
    static final String X12_306 = "https://codesystem.x12.org/005010/306";
    static final String ITEM_TRACE_NUMBER = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemTraceNumber";
    static final String REQUESTED_SERVICE_DATE = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-itemRequestedServiceDate";
    static final String ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication";
    /** How long an authorization lasts from the date of service. A plan setting in a real deployment; 90 days is common. */
    static final int AUTHORIZED_DAYS = 90;

    private PasResponses() {
    }

    /** The response to {@code submitted} (the request Bundle as received) for {@code reviewCase} as it stands. */
    public static Bundle response(Bundle submitted, ReviewCase reviewCase, List<Integer> sequences, JsonNode determination) {
        return response(submitted, reviewCase, sequences, determination, List.<Reconsideration>of());
    }

    /** The response for {@code reviewCase} as it stands, with {@code appeal} (or null) deciding the items it contests. */
    public static Bundle response(Bundle submitted, ReviewCase reviewCase, List<Integer> sequences, JsonNode determination,
                                  Reconsideration appeal) {
        return response(submitted, reviewCase, sequences, determination, appeal == null ? List.of() : List.of(appeal));
    }

    /**
     * The response for {@code reviewCase} as it stands, each item it contests decided by the latest
     * of {@code appeals} (the case's reconsiderations, earliest first) that contests it and was not dismissed.
     */
    public static Bundle response(Bundle submitted, ReviewCase reviewCase, List<Integer> sequences, JsonNode determination,
                                  List<Reconsideration> appeals) {
        Claim claim = (Claim) submitted.getEntryFirstRep().getResource();
        Map<String, Resource> byReference = new java.util.HashMap<>();
        for (Bundle.BundleEntryComponent entry : submitted.getEntry()) {
            if (entry.hasFullUrl()) {
                byReference.put(entry.getFullUrl(), entry.getResource());
            }
            Resource resource = entry.getResource();
            if (resource != null && resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byReference.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
            }
        }
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.COLLECTION);
        bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        bundle.setTimestamp(new Date());
        ClaimResponse response = new ClaimResponse();
        String responseUrl = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(responseUrl).setResource(response);
        Reference patient = copy(bundle, byReference.get(claim.getPatient().getReference()));
        Reference insurer = copy(bundle, byReference.get(claim.getInsurer().getReference()));
        Reference requestor = copy(bundle, byReference.get(claim.getProvider().getReference()));

        response.addIdentifier().setSystem("https://medpolicy.org/fhir/prior-authorization").setValue(reviewCase.caseId());
        response.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
        response.setType(claim.getType());
        response.setUse(ClaimResponse.Use.PREAUTHORIZATION);
        response.setPatient(patient);
        response.setCreated(new Date());
        response.setInsurer(insurer);
        response.setRequestor(requestor);
        response.setRequest(new Reference().setIdentifier(claim.getIdentifierFirstRep().copy()));
        response.setOutcome(ClaimResponse.RemittanceOutcome.COMPLETE);
        response.setPreAuthRef(reviewCase.caseId());
        LocalDate dateOfService = LocalDate.parse(determinationDateOfService(reviewCase));
        Period period = new Period().setStart(date(dateOfService)).setEnd(date(dateOfService.plusDays(AUTHORIZED_DAYS)));
        response.setPreAuthPeriod(period);
        response.setDisposition(disposition(reviewCase));

        JsonNode items = determination == null ? null : determination.path("items");
        int decided = 0;
        for (int index = 0; index < sequences.size(); index++) {
            boolean cancelled = index < claim.getItem().size() && PasRequestReader.cancelled(claim.getItem().get(index));
            int itemIndex = decided;
            JsonNode item = cancelled || items == null ? null : items.get(decided++);
            Reconsideration appeal = cancelled ? null : contesting(appeals, itemIndex);
            String appealed = appeal == null ? null : appealAction(appeal, itemIndex);
            String action = cancelled ? "C" : appealed != null ? appealed : action(reviewCase, item);
            ClaimResponse.ItemComponent responseItem = response.addItem().setItemSequence(sequences.get(index));
            if (index < claim.getItem().size()) {
                echo(claim.getItem().get(index), responseItem);
            }
            ClaimResponse.AdjudicationComponent adjudication = responseItem.addAdjudication()
                    .setCategory(new CodeableConcept(new Coding(ADJUDICATION, "submitted", "Submitted Amount")));
            Extension reviewAction = new Extension(REVIEW_ACTION);
            reviewAction.addExtension(REVIEW_ACTION_CODE, new CodeableConcept(new Coding(X12_306, action, display(action))));
            adjudication.addExtension(reviewAction);
            String reason = appealed != null ? appealReason(appeal, action) : reason(reviewCase, item, action);
            if (reason != null) {
                adjudication.setReason(new CodeableConcept().setText(reason));
                // The reason as a process note the item points at (PAS must-support: item.noteNumber, processNote).
                int number = response.getProcessNote().size() + 1;
                response.addProcessNote().setNumber(number).setType(org.hl7.fhir.r4.model.Enumerations.NoteType.DISPLAY).setText(reason);
                responseItem.addNoteNumber(number);
            }
            if (action.equals("A1") || action.equals("A3")) {
                java.time.Instant issued = appealed != null && appeal.decision() != null ? appeal.decision().decidedAt()
                        : appealed != null && appeal.forwarding() != null ? appeal.forwarding().forwardedAt() : reviewCase.decision().decidedAt();
                if (appealed != null && appeal.ireDecision() != null) {
                    issued = appeal.ireDecision().decidedAt();
                }
                responseItem.addExtension(ISSUE_DATE, new DateType(Date.from(issued)));
            }
            if (action.equals("A1")) {
                responseItem.addExtension(PREAUTH_PERIOD, period.copy());
            }
        }
        return bundle;
    }

    /**
     * What the response echoes of a submitted item, as PAS's must-support asks: its trace numbers
     * (the submitter's own ids for the item) and the service date it asked for.
     */
    private static void echo(Claim.ItemComponent submitted, ClaimResponse.ItemComponent answered) {
        for (Extension trace : submitted.getExtensionsByUrl(ITEM_TRACE_NUMBER)) {
            answered.addExtension(trace.copy());
        }
        if (submitted.hasServicedDateType()) {
            // The extension takes a dateTime (or a Period): a date is a dateTime of day precision.
            answered.addExtension(REQUESTED_SERVICE_DATE, new org.hl7.fhir.r4.model.DateTimeType(submitted.getServicedDateType().getValueAsString()));
        } else if (submitted.hasServicedPeriod()) {
            answered.addExtension(REQUESTED_SERVICE_DATE, submitted.getServicedPeriod().copy());
        }
    }

    /** The latest reconsideration that contests item {@code index} and was not dismissed; null when none. */
    private static Reconsideration contesting(List<Reconsideration> appeals, int index) {
        Reconsideration latest = null;
        for (Reconsideration appeal : appeals) {
            if (appeal.items().contains(index) && appeal.state() != ReconsiderationState.DISMISSED) {
                latest = appeal;
            }
        }
        return latest;
    }

    /** The review action of item {@code index} under {@code appeal}; null when the reconsideration does not contest it. */
    static String appealAction(Reconsideration appeal, int index) {
        if (appeal == null || !appeal.items().contains(index) || appeal.state() == ReconsiderationState.DISMISSED) {
            return null;
        }
        if (appeal.state() == ReconsiderationState.IN_REVIEW) {
            return "A4";
        }
        boolean reversed = appeal.decision() != null && appeal.decision().reversedItems().contains(index);
        boolean overturned = appeal.ireDecision() != null && appeal.ireDecision().outcome() == Reconsideration.IreOutcome.OVERTURNED;
        return reversed || overturned ? "A1" : "A3";
    }

    private static String appealReason(Reconsideration appeal, String action) {
        return switch (action) {
            case "A4" -> "Pended: under reconsideration (appeal), to be decided by " + appeal.dueAt() + ".";
            case "A1" -> null;
            default -> appeal.forwarding() != null && appeal.ireDecision() == null
                    ? "Not certified on reconsideration; the case is with the independent review entity."
                    : "Not certified on reconsideration" + (appeal.decision() != null && appeal.decision().rationale() != null
                    ? ": " + appeal.decision().rationale() : ".");
        };
    }

    private static String determinationDateOfService(ReviewCase reviewCase) {
        return reviewCase.request().dateOfService().toString();
    }

    /** The review action of one item. */
    static String action(ReviewCase reviewCase, JsonNode item) {
        boolean decided = reviewCase.state() == CaseState.DECIDED || reviewCase.state() == CaseState.NOTIFIED;
        if (!decided) {
            return "A4";
        }
        CaseOutcome outcome = reviewCase.decision().outcome();
        return switch (outcome) {
            case APPROVED -> "A1";
            case DENIED -> "A3";
            case REFERRED -> "A4";
            case PARTIALLY_APPROVED -> item != null && "COVERED".equals(item.path("outcome").asText()) ? "A1" : "A3";
        };
    }

    private static String reason(ReviewCase reviewCase, JsonNode item, String action) {
        String explanation = item == null ? "" : item.path("explanation").asText("");
        return switch (action) {
            case "A3" -> reviewCase.decision().isOverride() && reviewCase.decision().rationale() != null
                    ? reviewCase.decision().rationale() : "Not certified: " + explanation;
            case "C" -> "Cancelled by the provider.";
            case "A4" -> reviewCase.state() == CaseState.WITHDRAWN ? "Pended: the request was withdrawn."
                    : reviewCase.decision() != null && reviewCase.decision().outcome() == CaseOutcome.REFERRED
                    ? "Referred: " + explanation
                    : reviewCase.recommendation() == null ? "Pended for review: no policy version of this plan decides the request"
                    + " on its own; a reviewer decides it."
                    : reviewCase.recommended() == null ? "Pended: more information is needed. " + explanation
                    : "Pended for clinical review (an adverse decision needs a physician's review).";
            default -> null;
        };
    }

    private static String disposition(ReviewCase reviewCase) {
        return switch (reviewCase.state()) {
            case DECIDED, NOTIFIED -> "Decided: " + reviewCase.decision().outcome();
            case WITHDRAWN -> "Withdrawn";
            default -> "Pended: due by " + reviewCase.dueAt();
        };
    }

    private static String display(String action) {
        return switch (action) {
            case "A1" -> "Certified in total";
            case "A3" -> "Not Certified";
            case "A4" -> "Pended";
            case "C" -> "Cancelled";
            default -> action;
        };
    }

    /** Adds a copy of {@code resource} to the response under a fresh urn:uuid and returns a reference to it. */
    private static Reference copy(Bundle bundle, Resource resource) {
        if (resource == null) {
            return null;
        }
        String url = "urn:uuid:" + UUID.randomUUID();
        bundle.addEntry().setFullUrl(url).setResource(resource.copy());
        return new Reference(url);
    }

    private static Date date(LocalDate day) {
        return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
