package org.medpolicy.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * The one FHIR R4 context of the process, and the JSON bridges between HAPI models and the Jackson
 * trees CDS Hooks travel in. All FHIR is parsed and written by HAPI, never by hand. Thread-safe:
 * the context is shared; a parser is made per call (HAPI parsers are not thread-safe).
 */
public final class Fhir {

    private static final FhirContext CONTEXT = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fhir() {
    }

    public static FhirContext context() {
        return CONTEXT;
    }

    private static IParser parser() {
        return CONTEXT.newJsonParser().setOmitResourceId(false);
    }

    /**
     * Parses a resource of {@code type} from a JSON tree.
     *
     * @throws FhirInputException naming {@code where} when it is not such a resource
     */
    public static <T extends Resource> T parse(JsonNode json, Class<T> type, String where) {
        if (json == null || !json.isObject()) {
            throw new FhirInputException(where, "must be a FHIR " + type.getSimpleName() + " resource");
        }
        try {
            return parser().parseResource(type, json.toString());
        } catch (DataFormatException | ClassCastException e) {
            throw new FhirInputException(where, "is not a valid FHIR " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Parses any resource from a JSON tree. */
    public static Resource parseAny(JsonNode json, String where) {
        if (json == null || !json.isObject()) {
            throw new FhirInputException(where, "must be a FHIR resource");
        }
        try {
            return (Resource) parser().parseResource(json.toString());
        } catch (DataFormatException | ClassCastException e) {
            throw new FhirInputException(where, "is not a valid FHIR resource: " + e.getMessage());
        }
    }

    /** The resource as a JSON tree (written by HAPI). */
    public static JsonNode toTree(Resource resource) {
        try {
            return JSON.readTree(parser().encodeResourceToString(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String toJson(Resource resource) {
        return parser().encodeResourceToString(resource);
    }

    /** An OperationOutcome with one error issue per problem ({@code expression} names where). */
    public static OperationOutcome outcome(java.util.List<FhirInputException.Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (FhirInputException.Issue issue : issues) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(issue.type())
                    .setDiagnostics(issue.message())
                    .addExpression(issue.where());
        }
        return outcome;
    }
}
