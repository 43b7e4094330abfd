package org.medpolicy.app.http;

import org.medpolicy.app.http.fhir.FhirRoutes;

import io.javalin.http.Context;
import java.util.List;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;

/** Writes RFC 9457 problem documents. Stateless. */
public final class HttpProblems {

    static final String PROBLEM_JSON = "application/problem+json";

    private HttpProblems() {
    }

    /**
     * Sends {@code problem}: as a problem document, or, under {@code /fhir} and {@code /cds-services},
     * as the OperationOutcome those clients read (every field error one issue). The one converter
     * for every refusal the server's handlers raise, whichever channel the path belongs to.
     */
    public static void send(Context ctx, Problem problem) {
        if (isFhirChannel(ctx)) {
            List<org.medpolicy.fhir.FhirInputException.Issue> issues = new java.util.ArrayList<>();
            var type = issueType(problem.status());
            if (problem.errors().isEmpty()) {
                issues.add(new org.medpolicy.fhir.FhirInputException.Issue("$", type, problem.detail()));
            }
            problem.errors().forEach(error -> issues.add(new org.medpolicy.fhir.FhirInputException.Issue(error.field(), type,
                    error.message())));
            FhirRoutes.send(ctx, problem.status(), new org.medpolicy.fhir.FhirInputException(issues).toOperationOutcome());
            return;
        }
        RequestBodies.discard(ctx);
        ctx.status(problem.status()).contentType(PROBLEM_JSON).result(ContractJson.write(problem));
    }

    /** Whether the call is to a channel whose clients read OperationOutcomes: {@code /fhir} and {@code /cds-services}. */
    public static boolean isFhirChannel(Context ctx) {
        return ctx.path().startsWith("/fhir") || ctx.path().startsWith("/cds-services");
    }

    private static org.hl7.fhir.r4.model.OperationOutcome.IssueType issueType(int status) {
        return switch (status) {
            case 401 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.LOGIN;
            case 403 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.FORBIDDEN;
            case 404 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTFOUND;
            case 405, 415 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED;
            case 409 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.CONFLICT;
            case 413, 431 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.TOOCOSTLY;
            case 422 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.BUSINESSRULE;
            case 429 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.THROTTLED;
            case 503 -> org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT;
            default -> status >= 500 ? org.hl7.fhir.r4.model.OperationOutcome.IssueType.EXCEPTION
                    : org.hl7.fhir.r4.model.OperationOutcome.IssueType.INVALID;
        };
    }

    public static void send(Context ctx, int status, String title, String detail) {
        send(ctx, new Problem("https://medpolicy.org/problems/" + slug(title), title, status, detail, List.of(), null));
    }

    public static void send(Context ctx, int status, String title, String detail, String field, String message) {
        send(ctx, new Problem("https://medpolicy.org/problems/" + slug(title), title, status, detail,
                List.of(new FieldError(field, message)), null));
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
