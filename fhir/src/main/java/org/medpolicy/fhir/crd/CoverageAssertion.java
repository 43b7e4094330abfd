package org.medpolicy.fhir.crd;

import java.time.LocalDate;
import java.util.List;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * What CRD asserts about one order, and its rendering as the {@code ext-coverage-information}
 * extension. The factory methods are the only ways to build one, and each keeps the IG's
 * invariants: not-covered has no pa-needed (every other answer has one); info-needed only with
 * something conditional; a questionnaire only with doc-needed; indeterminate always with a reason.
 * Immutable.
 */
record CoverageAssertion(String covered, String paNeeded, String docNeeded, String docPurpose, String infoNeeded,
                         Coding reasonCode, String reasonText, String questionnaire) {

    static final String EXTENSION_URL = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";
    static final String CODES = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/coverage-information-codes";
    static final String MEDPOLICY_REASONS = "https://medpolicy.org/fhir/CodeSystem/coverage-assertion-reason";

    static CoverageAssertion notCovered(String reason) {
        return new CoverageAssertion("not-covered", null, null, null, null, null, reason, null);
    }

    static CoverageAssertion notCovered(String code, String reason) {
        return new CoverageAssertion("not-covered", null, null, null, null, new Coding(MEDPOLICY_REASONS, code, null), reason, null);
    }

    static CoverageAssertion covered(String reason) {
        return new CoverageAssertion("covered", "no-auth", null, null, null, null, reason, null);
    }

    /** The payer cannot evaluate the order here (another policy governs it, or a technical problem); a reason is required. */
    static CoverageAssertion indeterminate(String code, String reason) {
        return new CoverageAssertion("indeterminate", "indeterminate", null, null, null,
                code == null ? null : new Coding(MEDPOLICY_REASONS, code, null), reason, null);
    }

    /**
     * The ordered code alone is too coarse to decide ({@code detail-code}); with a questionnaire when
     * documentation may be asked for (order-sign), without one when it may not (order-select).
     * {@code detail-code} is an {@code info-needed} value (coverage-information-codes), not a reason:
     * the reason is the engine's question in words, uncoded (no reason code of the IG's value set
     * says "which therapy").
     */
    static CoverageAssertion needsDetail(String reason, String questionnaire) {
        if (questionnaire == null) {
            return new CoverageAssertion("conditional", "conditional", null, null, "detail-code", null, reason, null);
        }
        // No doc-purpose: CRD 2.2's crd-ci-q4 (and 2.0.1's) as published evaluates to empty, not true, for any
        // doc-purpose 'withpa' beside a pa-needed it does not list, so validators reject the assertion (README).
        return new CoverageAssertion("conditional", "conditional", "clinical", null, "detail-code", null, reason, questionnaire);
    }

    /**
     * This assertion as CRD {@code version} writes it. For CRD 2.0, whose value sets lack
     * {@code indeterminate}, an indeterminate answer is {@code conditional} (its reason says what is
     * missing); and 2.0's {@code info-needed} has no {@code detail-code}, which 2.0 codes only as a
     * reason in its {@code CodeSystem/temp}: the reason stays the question in words, uncoded.
     */
    CoverageAssertion as(CrdVersion version) {
        if (version != CrdVersion.V2_0) {
            return this;
        }
        String covered20 = "indeterminate".equals(covered) ? "conditional" : covered;
        String paNeeded20 = "indeterminate".equals(paNeeded) ? "conditional" : paNeeded;
        String infoNeeded20 = "detail-code".equals(infoNeeded) ? null : infoNeeded;
        return new CoverageAssertion(covered20, paNeeded20, docNeeded, docPurpose, infoNeeded20, reasonCode, reasonText, questionnaire);
    }

    Extension toExtension(Reference coverage, LocalDate date, String assertionId) {
        Extension extension = new Extension(EXTENSION_URL);
        extension.addExtension(new Extension("coverage", coverage));
        extension.addExtension(new Extension("covered", new CodeType(covered)));
        if (paNeeded != null) {
            extension.addExtension(new Extension("pa-needed", new CodeType(paNeeded)));
        }
        if (docNeeded != null) {
            extension.addExtension(new Extension("doc-needed", new CodeType(docNeeded)));
        }
        if (docPurpose != null) {
            extension.addExtension(new Extension("doc-purpose", new CodeType(docPurpose)));
        }
        if (infoNeeded != null) {
            extension.addExtension(new Extension("info-needed", new CodeType(infoNeeded)));
        }
        if (reasonText != null || reasonCode != null) {
            CodeableConcept reason = new CodeableConcept().setText(reasonText);
            if (reasonCode != null) {
                reason.setCoding(List.of(reasonCode.copy()));
            }
            extension.addExtension(new Extension("reason", reason));
        }
        if (questionnaire != null) {
            extension.addExtension(new Extension("questionnaire", new CanonicalType(questionnaire)));
        }
        extension.addExtension(new Extension("date", new DateType(date.toString())));
        extension.addExtension(new Extension("coverage-assertion-id", new StringType(assertionId)));
        return extension;
    }
}
