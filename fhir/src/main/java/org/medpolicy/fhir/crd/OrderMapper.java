package org.medpolicy.fhir.crd;

import org.medpolicy.core.request.RequestReader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DeviceRequest;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.medpolicy.core.request.RequestItem;
import org.medpolicy.core.request.ServiceCode;

/**
 * Reads one resource a hook is about (a ServiceRequest, MedicationRequest or DeviceRequest; a
 * proposed Appointment; an Encounter) as a contract item: its CPT or HCPCS code, its text as the
 * description, a medication's name as the product, ICD-10-CM reasons as diagnoses, and when it is
 * to happen. An Appointment's or Encounter's service is read from its service and type codes.
 * Only translates; the engine decides. Stateless.
 */
final class OrderMapper {

    /** An order read as an item, with its date of service and urgency when the order says them. */
    record MappedOrder(RequestItem item, Optional<LocalDate> dateOfService, boolean urgent) {
    }

    private OrderMapper() {
    }

    /** The item for {@code order}, or empty when the order type is not one this service evaluates or it names nothing to evaluate. */
    static Optional<MappedOrder> map(Resource order) {
        if (order instanceof ServiceRequest request) {
            return item(request.getCode(), null, request.getReasonCode(), date(request), isUrgent(request.getPriority() == null
                    ? null : request.getPriority().toCode()));
        }
        if (order instanceof MedicationRequest request) {
            CodeableConcept medication = request.hasMedicationCodeableConcept() ? request.getMedicationCodeableConcept() : null;
            Optional<LocalDate> date = request.getDispenseRequest().hasValidityPeriod()
                    ? start(request.getDispenseRequest().getValidityPeriod()) : Optional.empty();
            return item(medication, medication, request.getReasonCode(), date,
                    isUrgent(request.getPriority() == null ? null : request.getPriority().toCode()));
        }
        if (order instanceof DeviceRequest request) {
            CodeableConcept code = request.hasCodeCodeableConcept() ? request.getCodeCodeableConcept() : null;
            Optional<LocalDate> date = request.hasOccurrenceDateTimeType() ? day(request.getOccurrenceDateTimeType())
                    : request.hasOccurrencePeriod() ? start(request.getOccurrencePeriod()) : Optional.empty();
            return item(code, null, request.getReasonCode(), date,
                    isUrgent(request.getPriority() == null ? null : request.getPriority().toCode()));
        }
        if (order instanceof org.hl7.fhir.r4.model.Appointment appointment) {
            CodeableConcept codes = merged(appointment.getServiceType(), appointment.getAppointmentType());
            Optional<LocalDate> date = appointment.hasStartElement() ? day(appointment.getStartElement().getValueAsString())
                    : Optional.empty();
            return item(codes, null, appointment.getReasonCode(), date, false);
        }
        if (order instanceof org.hl7.fhir.r4.model.Encounter encounter) {
            CodeableConcept codes = merged(encounter.getType(), encounter.getServiceType());
            Optional<LocalDate> date = encounter.hasPeriod() ? start(encounter.getPeriod()) : Optional.empty();
            boolean urgent = encounter.hasPriority() && encounter.getPriority().getCoding().stream()
                    .anyMatch(coding -> "EM".equals(coding.getCode()) || "UR".equals(coding.getCode()) || "S".equals(coding.getCode()));
            return item(codes, null, encounter.getReasonCode(), date, urgent);
        }
        return Optional.empty();
    }

    /** The codings and texts of several concepts as one (an Appointment's or Encounter's service and type codes). */
    private static CodeableConcept merged(List<CodeableConcept> concepts, CodeableConcept more) {
        CodeableConcept merged = new CodeableConcept();
        List<CodeableConcept> all = new ArrayList<>(concepts);
        if (more != null && !more.isEmpty()) {
            all.add(more);
        }
        List<String> texts = new ArrayList<>();
        for (CodeableConcept concept : all) {
            concept.getCoding().forEach(merged::addCoding);
            if (concept.hasText()) {
                texts.add(concept.getText());
            }
        }
        if (!texts.isEmpty()) {
            merged.setText(String.join("; ", texts));
        }
        return merged.isEmpty() ? null : merged;
    }

    private static Optional<MappedOrder> item(CodeableConcept code, CodeableConcept productConcept, List<CodeableConcept> reasons,
                                              Optional<LocalDate> date, boolean urgent) {
        ServiceCode serviceCode = null;
        List<String> texts = new ArrayList<>();
        if (code != null) {
            for (Coding coding : code.getCoding()) {
                ServiceCode candidate = serviceCode(coding);
                if (candidate != null && serviceCode == null) {
                    serviceCode = candidate;
                }
                if (coding.hasDisplay()) {
                    texts.add(coding.getDisplay());
                }
            }
            if (code.hasText()) {
                texts.add(0, code.getText());
            }
        }
        String description = texts.isEmpty() ? null : String.join("; ", texts.stream().distinct().toList());
        if (description != null && description.length() > RequestReader.MAX_DESCRIPTION) {
            description = description.substring(0, RequestReader.MAX_DESCRIPTION);
        }
        String product = null;
        if (productConcept != null) {
            product = productConcept.hasText() ? productConcept.getText()
                    : productConcept.getCoding().stream().filter(Coding::hasDisplay).map(Coding::getDisplay).findFirst().orElse(null);
            if (product != null && product.length() > 200) {
                product = product.substring(0, 200);
            }
        }
        if (serviceCode == null && description == null && product == null) {
            return Optional.empty();
        }
        List<String> diagnoses = new ArrayList<>();
        for (CodeableConcept reason : reasons) {
            for (Coding coding : reason.getCoding()) {
                String diagnosis = org.medpolicy.fhir.ClinicalCodes.diagnosis(coding);
                if (diagnosis != null) {
                    diagnoses.add(diagnosis);
                }
            }
        }
        return Optional.of(new MappedOrder(new RequestItem(serviceCode, null, product, description, diagnoses, null, null),
                date, urgent));
    }

    /** A CPT or HCPCS code from a coding of a known system, or null. */
    static ServiceCode serviceCode(Coding coding) {
        return org.medpolicy.fhir.ClinicalCodes.serviceCode(coding);
    }

    private static Optional<LocalDate> date(ServiceRequest request) {
        if (request.hasOccurrenceDateTimeType()) {
            return day(request.getOccurrenceDateTimeType());
        }
        if (request.hasOccurrencePeriod()) {
            return start(request.getOccurrencePeriod());
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> start(Period period) {
        return period.hasStartElement() ? day(period.getStartElement()) : Optional.empty();
    }

    /** The calendar day as the order wrote it (no time-zone shift). */
    private static Optional<LocalDate> day(DateTimeType dateTime) {
        return day(dateTime.getValueAsString());
    }

    private static Optional<LocalDate> day(String text) {
        if (text == null || text.length() < 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text.substring(0, 10)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isUrgent(String priority) {
        return "urgent".equals(priority) || "asap".equals(priority) || "stat".equals(priority);
    }
}
