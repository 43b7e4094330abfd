package org.medpolicy.core.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The code shapes, as a table: value, CPT form?, HCPCS Level II?, ICD-10-CM? (S2107 and Q2041 are
 * also ICD-10-CM shapes without their dot: S21.07, Q20.41; the field decides which is meant.)
 */
class CodeFormatsTest {

    @ParameterizedTest(name = "{0}: cpt={1} hcpcs={2} icd10={3}")
    @CsvSource({
            "36511, true,  false, false",
            "0537T, true,  false, false",
            "3008F, true,  false, false",
            "S2107, false, true,  true",
            "Q2041, false, true,  true",
            "C43.9, false, false, true",
            "C439,  false, false, true",
            "C43,   false, false, true",
            "Z51.11, false, false, true",
            "C4A.0, false, false, true",
            "S72.001A, false, false, true",
            "C43.,  false, false, false",
            "C43.12345, false, false, false",
            "3651,  false, false, false",
            "365111, false, false, false",
            "s2107, false, false, false",
            "12.34, false, false, false",
            "43.9,  false, false, false",
    })
    void shapes(String value, boolean cpt, boolean hcpcs, boolean icd10) {
        assertThat(CodeFormats.isCptForm(value)).as("CPT form").isEqualTo(cpt);
        assertThat(CodeFormats.isHcpcsLevelTwo(value)).as("HCPCS Level II").isEqualTo(hcpcs);
        assertThat(CodeFormats.isIcd10(value)).as("ICD-10-CM").isEqualTo(icd10);
    }
}
