package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.fhir.Fhir;

/** HAPI's FhirValidator against base R4, built once (it is slow to build and safe to share). */
final class R4Validation {

    static final FhirValidator VALIDATOR = validator();

    private R4Validation() {
    }

    private static FhirValidator validator() {
        var context = Fhir.context();
        FhirValidator validator = context.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(new ValidationSupportChain(
                new InMemoryTerminologyServerValidationSupport(context),
                new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context))));
        return validator;
    }

    /**
     * Fails with every error the validator finds in {@code resource} against base R4. The Subscriptions
     * backport's profiles, which PAS notifications declare, are not loaded here, and the validator
     * reports that it cannot resolve them as errors of its own; those messages (and only those) are
     * left out.
     */
    static void assertValid(Resource resource) {
        ValidationResult result = VALIDATOR.validateWithResult(resource);
        assertThat(result.getMessages().stream().filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .filter(m -> !m.getMessage().contains("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/"))
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList()).as("errors validating " + resource.fhirType()).isEmpty();
    }
}
