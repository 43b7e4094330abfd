package org.medpolicy.app.http;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.medpolicy.fhir.Fhir;

/**
 * HAPI's validator with the published IG packages the certification kits validate with
 * ({@code shared/interop/igs}: Da Vinci CRD 2.2.0, DTR 2.0.1, PAS 2.2.1, US Core 3.1.1 / 6.1.0 /
 * 7.0.0), loaded once. A validation result is split into the errors the loaded definitions decide
 * and the ones they cannot (a profile, extension, code system or value set that no package here
 * holds: hl7.terminology, the SDC and extension packs, HRex, the Subscriptions backport, X12): the
 * first must be none, the second are reported, never silently dropped.
 */
final class IgValidation {

    static final Path IGS = SharedInterop.FOLDER.resolve("igs");
    static final List<String> PACKAGES = List.of("davinci_pas_2.2.1.tgz", "davinci_dtr_2.0.1.tgz", "davinci_crd_2.2.0-preview.tgz",
            "us_core_700.tgz", "us_core_610.tgz", "us_core_311.tgz");
    static final FhirValidator VALIDATOR = validator();

    /** The result of one validation: the errors the definitions decide, and what they could not check. */
    record Report(List<String> errors, List<String> undecidable) {
    }

    private IgValidation() {
    }

    private static FhirValidator validator() {
        var context = Fhir.context();
        NpmPackageValidationSupport packages = new NpmPackageValidationSupport(context);
        for (String name : PACKAGES) {
            Path file = IGS.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("the IG package " + file.toAbsolutePath() + " is not there");
            }
            try (var in = Files.newInputStream(file)) {
                loadInto(packages, org.hl7.fhir.utilities.npm.NpmPackage.fromPackage(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ValidationSupportChain chain = new ValidationSupportChain(packages, new DefaultProfileValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context), new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context));
        FhirValidator validator = context.newValidator();
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        validator.registerValidatorModule(module);
        return validator;
    }

    private static void loadInto(NpmPackageValidationSupport packages, org.hl7.fhir.utilities.npm.NpmPackage npm) throws IOException {
        var parser = Fhir.context().newJsonParser();
        for (String file : npm.listResources("StructureDefinition", "CodeSystem", "ValueSet", "SearchParameter")) {
            try (var in = npm.loadResource(file)) {
                var resource = parser.parseResource(in);
                switch (resource.fhirType()) {
                    case "StructureDefinition" -> packages.addStructureDefinition(resource);
                    case "CodeSystem" -> packages.addCodeSystem(resource);
                    case "ValueSet" -> packages.addValueSet(resource);
                    default -> packages.addSearchParameter(resource);
                }
            }
        }
    }

    /** {@code resource} against the profiles it declares and {@code profiles} (canonical URLs). */
    static Report validate(Resource resource, String... profiles) {
        List<String> errors = new ArrayList<>();
        List<String> undecidable = new ArrayList<>();
        ca.uhn.fhir.validation.ValidationOptions options = new ca.uhn.fhir.validation.ValidationOptions();
        for (String profile : profiles) {
            options.addProfile(profile);
        }
        for (SingleValidationMessage message : VALIDATOR.validateWithResult(resource, options).getMessages()) {
            if (message.getSeverity().ordinal() < ResultSeverityEnum.ERROR.ordinal()) {
                continue;
            }
            String line = message.getLocationString() + ": " + message.getMessage();
            if (nestedBundleInvariant(message)) {
                undecidable.add(line + " [HAPI evaluates %resource in bdl-3/bdl-4 against the enclosing Parameters, not the Bundle;"
                        + " the Bundle is validated on its own as well]");
                continue;
            }
            (cannotDecide(message.getMessage()) ? undecidable : errors).add(line);
        }
        return new Report(errors, undecidable);
    }

    /**
     * The Bundle invariants bdl-3 and bdl-4 on a Bundle inside a Parameters: HAPI's FHIRPath takes
     * {@code %resource} for the enclosing Parameters there, so a collection Bundle (whose entries
     * have neither request nor response) fails them. The test validates that Bundle on its own too.
     */
    static boolean nestedBundleInvariant(SingleValidationMessage message) {
        String where = String.valueOf(message.getLocationString());
        String text = String.valueOf(message.getMessage());
        return where.startsWith("Parameters.parameter") && (text.contains("bdl-3") || text.contains("bdl-4"));
    }

    /**
     * A message saying a definition is not loaded, rather than that the resource breaks one. "Expected
     * one of ([])" is the validator finding none of an element's target profiles: it follows from
     * their "unable to resolve the profile reference" (CRD 2.2.0-preview names base resources as
     * versioned canonicals, {@code …/Patient|4.0.1}, which the loaded core does not answer to).
     */
    static boolean cannotDecide(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        return text.contains("unable to resolve") || text.contains("could not be resolved") || text.contains("unknown code system")
                || text.contains("not found") && (text.contains("valueset") || text.contains("value set") || text.contains("codesystem"))
                || text.contains("unable to find") || text.contains("unknown codesystem") || text.contains("wasn't found")
                || text.contains("is not known") || text.contains("couldn't find") || text.contains("unresolved")
                || text.contains("but expected one of ([])");
    }
}
