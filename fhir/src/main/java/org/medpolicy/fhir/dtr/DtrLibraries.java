package org.medpolicy.fhir.dtr;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cqframework.cql.cql2elm.CqlTranslator;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.ModelManager;
import org.cqframework.cql.cql2elm.quick.FhirLibrarySourceProvider;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Library;
import org.medpolicy.core.policy.PolicyDocument;

/**
 * The CQL Library of a policy's questionnaires, with its ELM translation, as DTR clients run it to
 * pre-populate what the EHR already knows: the member id and the services ordered. The engine's own
 * questions are left to the clinician (the EHR's data cannot answer them: that is why they are
 * asked), so the Library only fills the context items.
 *
 * <p>Why translated once per policy version and kept: the CQL-to-ELM translator loads the FHIR model
 * info (megabytes of XML) and takes a second or two; the result never changes for a version.
 * Thread-safe.
 */
final class DtrLibraries {

    private static final Map<String, String[]> TRANSLATED = new ConcurrentHashMap<>();

    private DtrLibraries() {
    }

    /** The Library's name: unique per policy, a CQL identifier. */
    static String name(PolicyDocument policy) {
        return Questionnaires.camel(policy.id()) + "Prepopulation";
    }

    static String id(PolicyDocument policy) {
        return policy.id() + "-prepopulation";
    }

    static String cql(PolicyDocument policy) {
        return """
                library %s version '%s'

                using FHIR version '4.0.1'

                include FHIRHelpers version '4.0.1' called FHIRHelpers

                context Patient

                // The member id the EHR holds for the patient (the first identifier).
                define "Member ID":
                  First(Patient.identifier).value

                // What is being ordered, in the EHR's words.
                define "Ordered Services":
                  [ServiceRequest] S return S.code.text
                """.formatted(name(policy), policy.version());
    }

    static final String FHIR_HELPERS = "http://hl7.org/fhir/Library/FHIRHelpers";
    static final String FHIR_HELPERS_VERSION = "4.0.1";

    /** The Library resource: CQL and ELM JSON, both as data; it depends on FHIRHelpers 4.0.1. */
    static Library library(PolicyDocument policy, String baseUrl) {
        String[] content = TRANSLATED.computeIfAbsent(policy.id() + "|" + policy.version(), key -> translate(cql(policy)));
        Library library = base(id(policy), baseUrl + "/fhir/Library/" + id(policy), policy.version().toString(), name(policy),
                policy.title() + ": pre-population", content);
        library.addRelatedArtifact().setType(org.hl7.fhir.r4.model.RelatedArtifact.RelatedArtifactType.DEPENDSON)
                .setResource(FHIR_HELPERS + "|" + FHIR_HELPERS_VERSION);
        return library;
    }

    /** FHIRHelpers 4.0.1, which the pre-population CQL includes: a DTR client needs its ELM too. */
    static Library fhirHelpers() {
        String[] content = TRANSLATED.computeIfAbsent("FHIRHelpers|" + FHIR_HELPERS_VERSION, key -> {
            try (var in = FhirLibrarySourceProvider.class.getResourceAsStream("/org/hl7/fhir/FHIRHelpers-" + FHIR_HELPERS_VERSION + ".cql")) {
                return translate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException | NullPointerException e) {
                throw new IllegalStateException("FHIRHelpers " + FHIR_HELPERS_VERSION + " is not on the class path", e);
            }
        });
        return base("FHIRHelpers", FHIR_HELPERS, FHIR_HELPERS_VERSION, "FHIRHelpers", "FHIRHelpers", content);
    }

    private static Library base(String id, String url, String version, String name, String title, String[] content) {
        Library library = new Library();
        library.setId(id);
        library.setUrl(url);
        library.setVersion(version);
        library.setName(name);
        library.setTitle(title);
        library.setStatus(Enumerations.PublicationStatus.ACTIVE);
        library.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", "Logic Library")));
        library.addContent(new Attachment().setContentType("text/cql").setData(content[0].getBytes(StandardCharsets.UTF_8)));
        library.addContent(new Attachment().setContentType("application/elm+json").setData(content[1].getBytes(StandardCharsets.UTF_8)));
        return library;
    }

    /**
     * The canonical a Questionnaire cites: the Library's {@code url}, unversioned. Why not
     * {@code url|version}: the DTR 2.0.1 test kit resolves a cqf-library by comparing it with the
     * packaged Libraries' {@code url} as a whole string, so a versioned canonical is reported
     * missing. The package carries exactly one version of each Library (its {@code version} says
     * which), and an unversioned canonical resolves to it by FHIR's rules.
     */
    static String canonical(PolicyDocument policy, String baseUrl) {
        return baseUrl + "/fhir/Library/" + id(policy);
    }

    private static String[] translate(String cql) {
        ModelManager models = new ModelManager();
        LibraryManager libraries = new LibraryManager(models);
        libraries.getLibrarySourceLoader().registerProvider(new FhirLibrarySourceProvider());
        CqlTranslator translator = CqlTranslator.fromText(cql, libraries);
        if (!translator.getErrors().isEmpty()) {
            throw new IllegalStateException("the pre-population CQL does not translate: " + translator.getErrors());
        }
        return new String[]{cql, translator.toJson()};
    }
}
