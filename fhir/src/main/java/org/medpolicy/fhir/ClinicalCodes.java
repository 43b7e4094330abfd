package org.medpolicy.fhir;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Coding;
import org.medpolicy.core.request.CodeSystem;
import org.medpolicy.core.request.ServiceCode;

/**
 * The code systems every FHIR channel reads the same way: CPT and HCPCS service codes under their
 * common system URIs, and ICD-10-CM diagnoses. Codings of other systems, or malformed codes, are not
 * read (null), so a caller decides what an unknown code means for it. Stateless.
 */
public final class ClinicalCodes {

    public static final Set<String> CPT_SYSTEMS = Set.of("http://www.ama-assn.org/go/cpt", "urn:oid:2.16.840.1.113883.6.12");
    public static final Set<String> HCPCS_SYSTEMS = Set.of("https://bluebutton.cms.gov/resources/codesystem/hcpcs",
            "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", "urn:oid:2.16.840.1.113883.6.285");
    public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    private static final Pattern CPT = Pattern.compile("\\d{4}[0-9A-Z]");
    private static final Pattern HCPCS = Pattern.compile("[A-Z]\\d{4}");
    private static final Pattern ICD10 = Pattern.compile("[A-Z]\\d[0-9A-Z](\\.?[0-9A-Z]{1,4})?");

    private ClinicalCodes() {
    }

    /** A CPT or HCPCS code from a coding of a known system, or null. */
    public static ServiceCode serviceCode(Coding coding) {
        if (!coding.hasCode() || !coding.hasSystem()) {
            return null;
        }
        String value = coding.getCode().strip().toUpperCase(Locale.ROOT);
        if (CPT_SYSTEMS.contains(coding.getSystem()) && CPT.matcher(value).matches()) {
            return new ServiceCode(CodeSystem.CPT, value);
        }
        if (HCPCS_SYSTEMS.contains(coding.getSystem()) && (HCPCS.matcher(value).matches() || CPT.matcher(value).matches())) {
            return new ServiceCode(CodeSystem.HCPCS, value);
        }
        return null;
    }

    /** An ICD-10-CM code from a coding of that system, or null. */
    public static String diagnosis(Coding coding) {
        if (!ICD10_CM.equals(coding.getSystem()) || !coding.hasCode()) {
            return null;
        }
        String value = coding.getCode().strip().toUpperCase(Locale.ROOT);
        return ICD10.matcher(value).matches() ? value : null;
    }
}
