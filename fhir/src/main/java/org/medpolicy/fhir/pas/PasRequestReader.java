package org.medpolicy.fhir.pas;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.request.Urgency;
import org.medpolicy.core.request.RequesterRole;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestBuilder;
import org.medpolicy.core.request.ServiceCode;
import org.medpolicy.fhir.ClinicalCodes;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.FhirInputException.Issue;

/**
 * Reads a PAS request Bundle: a collection Bundle with an identifier and a timestamp, the Claim
 * first ({@code use} preauthorization, {@code status} active), and the resources it references
 * (Patient, Coverage, the provider, the insurer, the ordered services, QuestionnaireResponses as
 * supporting information). Every problem is collected and reported at once, as an
 * OperationOutcome; nothing is read from a Bundle that has one.
 *
 * <p>Each Claim item becomes one contract item, in order: its CPT / HCPCS code, its text, its
 * diagnoses, and the product of the MedicationRequest it names; the answers of the
 * QuestionnaireResponses go with every item (a question only matters to an item that asks it).
 *
 * <p>Long because a Claim is: each part is one short method. Stateless and thread-safe.
 */
public final class PasRequestReader {

    static final String REQUESTED_SERVICE = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-requestedService";
    static final String CERTIFICATION_TYPE = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-certificationType";
    static final String PRIOR = "prior";
    /** X12 service type codes (1365), which PAS requests may name a service by instead of CPT or HCPCS. */
    static final String X12_SERVICE_TYPE = "https://codesystem.x12.org/005010/1365";

    /** What a submission asks for, ready for the case rules. */
    /**
     * What a submission asks for, ready for the case rules. {@code priorClaimKey} is set for an
     * update of an earlier request ({@code related.claim} with relationship prior); {@code cancel}
     * when the whole request is cancelled (certification type 3).
     */
    public record Submission(RequestBuilder request, Contact requester, boolean expedited, String claimKey, String patientKey,
                             List<Integer> itemSequences, Bundle bundle, String priorClaimKey, boolean cancel, boolean priorCarried) {
    }

    /** What an inquiry names: the claim identifier and the member. */
    public record Inquiry(String claimKey, String patientKey) {
    }

    /**
     * {@code reader}: the reader of the policy data in use, whose builder states the request (PAS
     * requests do not say their line of business; the policy data does). The request is built, and
     * checked, by the caller.
     */
    public Submission read(JsonNode tree, RequestReader reader) {
        Bundle bundle = Fhir.parse(tree, Bundle.class, "$");
        List<Issue> issues = new ArrayList<>();
        Claim claim = claimOf(bundle, issues);
        Map<String, Resource> byReference = index(bundle);
        if (claim == null) {
            throw new FhirInputException(issues);
        }
        if (claim.getStatus() != Claim.ClaimStatus.ACTIVE) {
            issues.add(new Issue("Claim.status", IssueType.VALUE, "must be active"));
        }
        Patient patient = resolve(claim.getPatient(), Patient.class, byReference, "Claim.patient", issues);
        Resource provider = resolve(claim.getProvider(), Resource.class, byReference, "Claim.provider", issues);
        resolve(claim.getInsurer(), Organization.class, byReference, "Claim.insurer", issues);
        Coverage coverage = claim.getInsurance().isEmpty() ? null
                : resolve(claim.getInsuranceFirstRep().getCoverage(), Coverage.class, byReference, "Claim.insurance[0].coverage", issues);
        if (claim.getInsurance().isEmpty()) {
            issues.add(new Issue("Claim.insurance", IssueType.REQUIRED, "is required: the member's Coverage"));
        }
        String memberId = memberId(patient, coverage);
        if (patient != null && memberId == null) {
            issues.add(new Issue("Patient.identifier", IssueType.REQUIRED, "is required: the member id (or Coverage.subscriberId)"));
        }
        Map<Integer, String> diagnoses = new HashMap<>();
        for (Claim.DiagnosisComponent diagnosis : claim.getDiagnosis()) {
            if (diagnosis.hasDiagnosisCodeableConcept()) {
                for (Coding coding : diagnosis.getDiagnosisCodeableConcept().getCoding()) {
                    String code = ClinicalCodes.diagnosis(coding);
                    if (code != null) {
                        diagnoses.put(diagnosis.getSequence(), code);
                    }
                }
            }
        }
        Map<String, String> answers = answers(claim, byReference);

        RequestBuilder request = reader.builder().kind(RequestKind.PRE_SERVICE);
        int items = 0;
        List<Integer> sequences = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        LocalDate dateOfService = null;
        if (claim.getItem().isEmpty()) {
            issues.add(new Issue("Claim.item", IssueType.REQUIRED, "is required: at least one service to authorize"));
        }
        for (int index = 0; index < claim.getItem().size(); index++) {
            Claim.ItemComponent item = claim.getItem().get(index);
            String where = "Claim.item[" + index + "]";
            if (!item.hasSequence() || item.getSequence() < 1 || !seen.add(item.getSequence())) {
                issues.add(new Issue(where + ".sequence", IssueType.VALUE, "is required, positive and unique"));
            }
            sequences.add(item.getSequence());
            LocalDate date = item.hasServicedDateType() ? day(item.getServicedDateType().getValueAsString())
                    : item.hasServicedPeriod() && item.getServicedPeriod().hasStart()
                    ? day(item.getServicedPeriod().getStartElement().getValueAsString()) : null;
            if (date == null) {
                issues.add(new Issue(where + ".serviced[x]", IssueType.REQUIRED, "is required: the date of service"));
            } else if (dateOfService == null || date.isBefore(dateOfService)) {
                dateOfService = date;
            }
            if (!cancelled(item)) {
                item(request.item(), item, where, diagnoses, answers, byReference, issues);
                items++;
            }
        }
        boolean wholeCancel = cancels(claim) || (!claim.getItem().isEmpty() && items == 0);
        if (prior(claim, byReference) == null && (wholeCancel || items < claim.getItem().size())) {
            issues.add(new Issue("Claim.extension-certificationType", IssueType.BUSINESSRULE,
                    "only an update (related.claim with relationship prior) can cancel a request or its items"));
        }
        if (!issues.isEmpty()) {
            throw new FhirInputException(issues);
        }
        Identifier identifier = claim.getIdentifierFirstRep();
        boolean expedited = claim.hasPriority() && claim.getPriority().getCoding().stream().anyMatch(c -> "stat".equals(c.getCode()));
        String npi = npi(provider);
        // No receivedAt: the plan receives it now, and the case says so; a client does not state it.
        request.requestId(identifier.getValue()).dateOfService(dateOfService)
                .urgency(expedited ? Urgency.EXPEDITED : Urgency.STANDARD)
                .requester(RequesterRole.TREATING_PROVIDER, npi == null ? null : "NPI-" + npi)
                .member(memberId, patient.hasName() ? patient.getNameFirstRep().getNameAsSingleString() : null,
                        patient.hasAddress() && patient.getAddressFirstRep().hasState() ? patient.getAddressFirstRep().getState() : null);
        return new Submission(request, contact(provider), expedited, key(identifier), memberId, sequences, bundle, prior(claim, byReference),
                wholeCancel, priorCarried(claim, byReference));
    }

    /** The identifier of the earlier request this Claim updates, or null. */
    /** Whether the prior Claim this one updates is itself in the Bundle (referenced, not only identified). */
    private static boolean priorCarried(Claim claim, Map<String, Resource> byReference) {
        return claim.getRelated().stream().anyMatch(related -> related.hasClaim() && !related.getClaim().hasIdentifier()
                && related.getClaim().hasReference() && byReference.get(related.getClaim().getReference()) instanceof Claim);
    }

    /**
     * The identifier of the earlier request this Claim updates: {@code related.claim} with
     * relationship prior, by identifier, or (as the PAS kit sends it) by reference to the prior
     * Claim carried in the same Bundle, whose own identifier names it.
     */
    private static String prior(Claim claim, Map<String, Resource> byReference) {
        for (Claim.RelatedClaimComponent related : claim.getRelated()) {
            boolean prior = related.getRelationship().getCoding().stream().anyMatch(c -> PRIOR.equals(c.getCode()));
            if (!prior || !related.hasClaim()) {
                continue;
            }
            if (related.getClaim().hasIdentifier()) {
                return key(related.getClaim().getIdentifier());
            }
            if (related.getClaim().hasReference() && byReference.get(related.getClaim().getReference()) instanceof Claim earlier
                    && earlier.hasIdentifier()) {
                return key(earlier.getIdentifierFirstRep());
            }
        }
        return null;
    }

    /** True when the Claim as a whole carries certification type 3 (cancel). */
    private static boolean cancels(Claim claim) {
        return cancelling(claim.getExtensionsByUrl(CERTIFICATION_TYPE));
    }

    /** True when a Claim item carries certification type 3: that item is cancelled. */
    public static boolean cancelled(Claim.ItemComponent item) {
        return cancelling(item.getExtensionsByUrl(CERTIFICATION_TYPE));
    }

    private static boolean cancelling(List<Extension> extensions) {
        for (Extension extension : extensions) {
            if (extension.getValue() instanceof org.hl7.fhir.r4.model.CodeableConcept concept
                    && concept.getCoding().stream().anyMatch(c -> "3".equals(c.getCode()))) {
                return true;
            }
        }
        return false;
    }

    /** The claim identifier and member an inquiry Bundle names. */
    public Inquiry readInquiry(JsonNode tree) {
        Bundle bundle = Fhir.parse(tree, Bundle.class, "$");
        List<Issue> issues = new ArrayList<>();
        Claim claim = claimOf(bundle, issues);
        if (claim == null) {
            throw new FhirInputException(issues);
        }
        Map<String, Resource> byReference = index(bundle);
        Patient patient = resolve(claim.getPatient(), Patient.class, byReference, "Claim.patient", issues);
        Coverage coverage = claim.getInsurance().isEmpty() ? null
                : resolve(claim.getInsuranceFirstRep().getCoverage(), Coverage.class, byReference, "Claim.insurance[0].coverage", issues);
        String memberId = memberId(patient, coverage);
        if (patient != null && memberId == null) {
            issues.add(new Issue("Patient.identifier", IssueType.REQUIRED, "is required: the member id"));
        }
        if (!issues.isEmpty()) {
            throw new FhirInputException(issues);
        }
        return new Inquiry(key(claim.getIdentifierFirstRep()), memberId);
    }

    private static Claim claimOf(Bundle bundle, List<Issue> issues) {
        if (bundle.getType() != Bundle.BundleType.COLLECTION) {
            issues.add(new Issue("Bundle.type", IssueType.VALUE, "must be collection"));
        }
        if (!bundle.hasIdentifier() || !bundle.getIdentifier().hasValue()) {
            issues.add(new Issue("Bundle.identifier", IssueType.REQUIRED, "is required"));
        }
        if (!bundle.hasTimestamp()) {
            issues.add(new Issue("Bundle.timestamp", IssueType.REQUIRED, "is required"));
        }
        declaredProfiles(bundle, "Bundle.meta.profile", BUNDLE_PROFILES, issues);
        if (bundle.getEntry().isEmpty() || !(bundle.getEntryFirstRep().getResource() instanceof Claim claim)) {
            issues.add(new Issue("Bundle.entry[0]", IssueType.REQUIRED, "must be the Claim"));
            return null;
        }
        declaredProfiles(claim, "Claim.meta.profile", CLAIM_PROFILES, issues);
        if (claim.getUse() != Claim.Use.PREAUTHORIZATION) {
            issues.add(new Issue("Claim.use", IssueType.VALUE, "must be preauthorization"));
        }
        if (!claim.hasIdentifier() || !claim.getIdentifierFirstRep().hasValue()) {
            issues.add(new Issue("Claim.identifier", IssueType.REQUIRED, "is required: it names the request in $inquire"));
        } else if (claim.getIdentifierFirstRep().getSystem() != null
                && claim.getIdentifierFirstRep().getSystem().length() > MAX_IDENTIFIER_SYSTEM) {
            // The identifier is kept as the request's key (system|value); a key longer than its column would fail only once the case exists.
            issues.add(new Issue("Claim.identifier.system", IssueType.VALUE, "must be at most " + MAX_IDENTIFIER_SYSTEM + " characters"));
        }
        return claim;
    }

    /** The longest Claim.identifier.system: with the value (at most 64) it fits the 512 characters a submission's key is kept in. */
    private static final int MAX_IDENTIFIER_SYSTEM = 400;

    static final String PAS_PROFILES = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    private static final java.util.Set<String> BUNDLE_PROFILES = java.util.Set.of("profile-pas-request-bundle",
            "profile-pas-inquiry-request-bundle");
    private static final java.util.Set<String> CLAIM_PROFILES = java.util.Set.of("profile-claim", "profile-claim-update",
            "profile-claim-inquiry", "profile-claim-base");
    /** The PAS versions whose requests medpolicy reads (2.0.1 and 2.2.1 are the ones certified; their requests are alike). */
    private static final java.util.regex.Pattern SERVED_PAS = java.util.regex.Pattern.compile("2\\.[0-2](\\.[0-9]+)?");

    /**
     * The PAS profiles a request resource declares must be ones a request of that kind may claim,
     * of a PAS version medpolicy serves; a claim to be something else is refused rather than
     * answered as if it were a request. Profiles of other guides are the sender's business.
     */
    private static void declaredProfiles(Resource resource, String where, java.util.Set<String> allowed, List<Issue> issues) {
        for (var profile : resource.getMeta().getProfile()) {
            String canonical = profile.getValue();
            if (canonical == null || !canonical.startsWith(PAS_PROFILES)) {
                continue;
            }
            String name = canonical.substring(PAS_PROFILES.length());
            String version = null;
            int bar = name.indexOf('|');
            if (bar >= 0) {
                version = name.substring(bar + 1);
                name = name.substring(0, bar);
            }
            if (!allowed.contains(name)) {
                issues.add(new Issue(where, IssueType.VALUE, canonical + " is not a profile a " + resource.fhirType()
                        + " of a PAS request may claim (" + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
            } else if (version != null && !SERVED_PAS.matcher(version).matches()) {
                issues.add(new Issue(where, IssueType.NOTSUPPORTED, canonical + ": medpolicy serves PAS 2.0.1 to 2.2.1, not " + version));
            }
        }
    }

    /** Every entry by its fullUrl and by Type/id, so relative and urn:uuid references both resolve. */
    private static Map<String, Resource> index(Bundle bundle) {
        Map<String, Resource> byReference = new LinkedHashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null) {
                continue;
            }
            if (entry.hasFullUrl()) {
                byReference.put(entry.getFullUrl(), resource);
            }
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byReference.put(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource);
            }
        }
        return byReference;
    }

    private static <T extends Resource> T resolve(Reference reference, Class<T> type, Map<String, Resource> byReference, String where,
                                                 List<Issue> issues) {
        if (reference == null || !reference.hasReference()) {
            issues.add(new Issue(where, IssueType.REQUIRED, "is required"));
            return null;
        }
        Resource resource = byReference.get(reference.getReference());
        if (resource == null) {
            issues.add(new Issue(where, IssueType.NOTFOUND, "'" + reference.getReference() + "' is not in the Bundle"));
            return null;
        }
        if (!type.isInstance(resource)) {
            issues.add(new Issue(where, IssueType.VALUE, "must name a " + type.getSimpleName() + ", not a " + resource.fhirType()));
            return null;
        }
        return type.cast(resource);
    }

    private static void item(RequestBuilder.Item out, Claim.ItemComponent item, String where, Map<Integer, String> diagnoses,
                             Map<String, String> answers, Map<String, Resource> byReference, List<Issue> issues) {
        ServiceCode code = null;
        for (Coding coding : item.getProductOrService().getCoding()) {
            code = code != null ? code : ClinicalCodes.serviceCode(coding);
        }
        if (code != null) {
            out.code(code.system(), code.value());
        }
        String text = item.getProductOrService().getText();
        boolean described = text != null && !text.isBlank();
        out.description(text);
        for (Extension extension : item.getExtensionsByUrl(REQUESTED_SERVICE)) {
            if (extension.getValue() instanceof Reference reference
                    && byReference.get(reference.getReference()) instanceof MedicationRequest medication
                    && medication.hasMedicationCodeableConcept()) {
                String product = medication.getMedicationCodeableConcept().getText();
                if (product == null || product.isBlank()) {
                    product = medication.getMedicationCodeableConcept().getCodingFirstRep().getDisplay();
                }
                if (product != null && !product.isBlank()) {
                    out.product(product);
                    described = true;
                }
            }
        }
        if (code == null && !described) {
            // Named only by an X12 service type (what the PAS kit's requests send): a service this
            // policy may not govern is a business case, decided from what the type says, never a 400.
            for (Coding coding : item.getProductOrService().getCoding()) {
                if (!described && coding.hasCode() && X12_SERVICE_TYPE.equals(coding.getSystem())) {
                    String display = coding.hasDisplay() ? coding.getDisplay().strip() : "";
                    out.description((display.isEmpty() ? "" : display + " ") + "(X12 service type " + coding.getCode() + ")");
                    described = true;
                }
            }
        }
        if (code == null && !described) {
            issues.add(new Issue(where + ".productOrService", IssueType.CODEINVALID,
                    "needs a CPT or HCPCS code (" + String.join(", ", ClinicalCodes.CPT_SYSTEMS) + "; "
                            + String.join(", ", ClinicalCodes.HCPCS_SYSTEMS) + ") or a text"));
        }
        for (var sequence : item.getDiagnosisSequence()) {
            out.diagnosis(diagnoses.get(sequence.getValue()));
        }
        out.answers(answers);
    }

    /** The coded answers of the QuestionnaireResponses the Claim cites as supporting information: linkId → code. */
    private static Map<String, String> answers(Claim claim, Map<String, Resource> byReference) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (Claim.SupportingInformationComponent info : claim.getSupportingInfo()) {
            if (info.getValue() instanceof Reference reference
                    && byReference.get(reference.getReference()) instanceof QuestionnaireResponse response) {
                answers.putAll(org.medpolicy.fhir.dtr.DtrAnswers.of(response));
            }
        }
        return answers;
    }

    private static String memberId(Patient patient, Coverage coverage) {
        if (coverage != null && coverage.hasSubscriberId()) {
            return coverage.getSubscriberId();
        }
        if (patient != null) {
            for (Identifier identifier : patient.getIdentifier()) {
                if (identifier.hasValue()) {
                    return identifier.getValue();
                }
            }
        }
        return null;
    }

    private static String npi(Resource provider) {
        List<Identifier> identifiers = provider instanceof Practitioner practitioner ? practitioner.getIdentifier()
                : provider instanceof Organization organization ? organization.getIdentifier() : List.of();
        for (Identifier identifier : identifiers) {
            if ("http://hl7.org/fhir/sid/us-npi".equals(identifier.getSystem()) && identifier.hasValue()) {
                return identifier.getValue();
            }
        }
        return null;
    }

    private static Contact contact(Resource provider) {
        if (provider instanceof Practitioner practitioner) {
            return new Contact(practitioner.hasName() ? practitioner.getNameFirstRep().getNameAsSingleString() : "the requesting provider",
                    address(practitioner.getAddress()), phone(practitioner.getTelecom()), null);
        }
        if (provider instanceof Organization organization) {
            return new Contact(organization.hasName() ? organization.getName() : "the requesting provider",
                    address(organization.getAddress()), phone(organization.getTelecom()), null);
        }
        return new Contact("the requesting provider", null, null, null);
    }

    private static String address(List<Address> addresses) {
        if (addresses.isEmpty()) {
            return "(address on file)";
        }
        Address address = addresses.get(0);
        List<String> parts = new ArrayList<>();
        address.getLine().forEach(line -> parts.add(line.getValue()));
        for (String part : new String[]{address.getCity(), address.getState(), address.getPostalCode()}) {
            if (part != null) {
                parts.add(part);
            }
        }
        return String.join(", ", parts);
    }

    private static String phone(List<org.hl7.fhir.r4.model.ContactPoint> telecom) {
        return telecom.stream().filter(t -> t.getSystem() == org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE)
                .map(org.hl7.fhir.r4.model.ContactPoint::getValue).findFirst().orElse(null);
    }

    static String key(Identifier identifier) {
        return (identifier.hasSystem() ? identifier.getSystem() : "") + "|" + identifier.getValue();
    }

    /** The calendar day a FHIR date or dateTime names, as written (no time-zone shift). */
    private static LocalDate day(String value) {
        return value == null || value.length() < 10 ? null : LocalDate.parse(value.substring(0, 10));
    }
}
