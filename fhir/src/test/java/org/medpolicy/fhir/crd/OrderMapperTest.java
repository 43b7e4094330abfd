package org.medpolicy.fhir.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.NutritionOrder;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.request.CodeSystem;

/** How draft orders (HAPI models) become contract items: code systems, text, products, reasons, dates, urgency. */
class OrderMapperTest {

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            http://www.ama-assn.org/go/cpt                           | 36511 | CPT   | 36511
            urn:oid:2.16.840.1.113883.6.12                           | 0537t | CPT   | 0537T
            https://bluebutton.cms.gov/resources/codesystem/hcpcs    | Q2041 | HCPCS | Q2041
            http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets  | s2107 | HCPCS | S2107
            http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets  | 96365 | HCPCS | 96365
            http://snomed.info/sct                                   | 36511 | -     | -
            http://www.ama-assn.org/go/cpt                           | Q2041 | -     | -
            http://www.ama-assn.org/go/cpt                           | 123   | -     | -
            """)
    void readsTheCodeSystemsCrdClientsSend(String system, String code, CodeSystem expectedSystem, String expectedValue) {
        var serviceCode = OrderMapper.serviceCode(new Coding(system, code, null));
        if (expectedSystem == null) {
            assertThat(serviceCode).isNull();
        } else {
            assertThat(serviceCode.system()).isEqualTo(expectedSystem);
            assertThat(serviceCode.value()).isEqualTo(expectedValue);
        }
    }

    @Test
    void aServiceRequestGivesCodeTextReasonsDateAndUrgency() {
        ServiceRequest order = new ServiceRequest();
        order.setId("sr-1");
        order.setCode(new CodeableConcept()
                .addCoding(new Coding("http://snomed.info/sct", "1234", "Some SNOMED concept"))
                .addCoding(new Coding("http://www.ama-assn.org/go/cpt", "36511", "Therapeutic apheresis"))
                .setText("Leukapheresis for CIK cell therapy"));
        order.addReasonCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", "c22.0", null)));
        order.addReasonCode(new CodeableConcept(new Coding("http://snomed.info/sct", "93870000", null)));
        order.setOccurrence(new DateTimeType("2026-12-03T09:30:00-08:00"));
        order.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);

        var mapped = OrderMapper.map(order).orElseThrow();
        assertThat(mapped.item().code().value()).isEqualTo("36511");
        assertThat(mapped.item().description()).startsWith("Leukapheresis for CIK cell therapy").contains("Therapeutic apheresis");
        assertThat(mapped.item().diagnoses()).containsExactly("C22.0");
        assertThat(mapped.dateOfService()).contains(LocalDate.parse("2026-12-03"));
        assertThat(mapped.urgent()).isTrue();
    }

    @Test
    void aMedicationRequestNamesItsProduct() {
        MedicationRequest order = new MedicationRequest();
        order.setMedication(new CodeableConcept()
                .addCoding(new Coding("https://bluebutton.cms.gov/resources/codesystem/hcpcs", "Q2042", "Tisagenlecleucel"))
                .setText("Kymriah"));
        order.getDispenseRequest().setValidityPeriod(new Period().setStartElement(new org.hl7.fhir.r4.model.DateTimeType("2026-12-10")));
        var mapped = OrderMapper.map(order).orElseThrow();
        assertThat(mapped.item().product()).isEqualTo("Kymriah");
        assertThat(mapped.item().code().value()).isEqualTo("Q2042");
        assertThat(mapped.dateOfService()).contains(LocalDate.parse("2026-12-10"));
        assertThat(mapped.urgent()).isFalse();
    }

    @Test
    void ordersWithNothingToReadOrOfOtherTypesAreNotMapped() {
        assertThat(OrderMapper.map(new ServiceRequest())).isEmpty();
        assertThat(OrderMapper.map(new NutritionOrder())).isEmpty();
    }

    @Test
    void theAssertionKeepsTheInvariantsOfTheIg() {
        var notCovered = CoverageAssertion.notCovered("investigational");
        assertThat(notCovered.paNeeded()).isNull();
        var indeterminate = CoverageAssertion.indeterminate("technical", "no coverage");
        assertThat(indeterminate.paNeeded()).isNotNull();
        assertThat(indeterminate.reasonText()).isNotBlank();
        var sign = CoverageAssertion.needsDetail("which therapy?", "http://x/fhir/Questionnaire/q");
        assertThat(sign.docNeeded()).isEqualTo("clinical");
        assertThat(sign.infoNeeded()).isEqualTo("detail-code");
        assertThat(sign.reasonCode()).as("detail-code is an info-needed value, not a reason").isNull();
        assertThat(sign.reasonText()).isEqualTo("which therapy?");
        var select = CoverageAssertion.needsDetail("which therapy?", null);
        assertThat(select.docNeeded()).isNull();
        assertThat(select.questionnaire()).isNull();
        assertThat(select.covered()).isEqualTo("conditional");
        assertThat(Cards.shorten("x".repeat(300))).hasSize(139);
    }
}
