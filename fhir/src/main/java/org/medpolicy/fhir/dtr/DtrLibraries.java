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

    /** The Library resource: CQL and ELM JSON, both as data. */
    static Library library(PolicyDocument policy, String baseUrl) {
        String[] content = TRANSLATED.computeIfAbsent(policy.id() + "|" + policy.version(), key -> translate(cql(policy)));
        Library library = new Library();
        library.setId(id(policy));
        library.setUrl(baseUrl + "/fhir/Library/" + id(policy));
        library.setVersion(policy.version().toString());
        library.setName(name(policy));
        library.setTitle(policy.title() + ": pre-population");
        library.setStatus(Enumerations.PublicationStatus.ACTIVE);
        library.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", "Logic Library")));
        library.addContent(new Attachment().setContentType("text/cql").setData(content[0].getBytes(StandardCharsets.UTF_8)));
        library.addContent(new Attachment().setContentType("application/elm+json").setData(content[1].getBytes(StandardCharsets.UTF_8)));
        return library;
    }

    /** The canonical a Questionnaire cites: {@code url|version}. */
    static String canonical(PolicyDocument policy, String baseUrl) {
        return baseUrl + "/fhir/Library/" + id(policy) + "|" + policy.version();
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
