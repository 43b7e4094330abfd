package org.medpolicy.fhir.crd;

import java.util.Optional;

/**
 * The versions of Da Vinci CRD medpolicy answers in. They differ on the wire only in the coverage
 * information's codes: CRD 2.0 (STU 2.0.1, the version the released test kit certifies) has no
 * {@code indeterminate} for {@code covered} or {@code pa-needed}, and {@code detail-code} is a
 * reason coded in its {@code CodeSystem/temp}, not an {@code info-needed} value; CRD 2.2 has both,
 * and moved its codes to {@code coverage-information-codes}.
 *
 * <p>A call names its version with {@code extension.davinci-crd.requestedVersion} (CRD 2.2's
 * request extension, major.minor); a call that does not is answered in the version its EHR is
 * registered for ({@code clients add … --crd-version}), else the latest.
 */
public enum CrdVersion {
    V2_0("2.0"),
    V2_2("2.2");

    private final String majorMinor;

    CrdVersion(String majorMinor) {
        this.majorMinor = majorMinor;
    }

    /** {@code 2.0} or {@code 2.2}: how the guide names a version (the patch never changes the wire). */
    public String majorMinor() {
        return majorMinor;
    }

    public static CrdVersion latest() {
        return V2_2;
    }

    /** The version {@code text} names (major.minor, or major.minor.patch); empty for one not served. */
    public static Optional<CrdVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        for (CrdVersion version : values()) {
            if (trimmed.equals(version.majorMinor) || trimmed.startsWith(version.majorMinor + ".")
                    && trimmed.substring(version.majorMinor.length() + 1).matches("[0-9]+")) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }
}
