package org.medpolicy.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;

/** FHIR or CDS Hooks input that cannot be used; rendered as a 400 with an OperationOutcome listing every issue. */
public class FhirInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One problem: where (a path in the input), what kind, and what. */
    public record Issue(String where, OperationOutcome.IssueType type, String message) {
    }

    private final transient List<Issue> issues;

    public FhirInputException(String where, String message) {
        this(List.of(new Issue(where, OperationOutcome.IssueType.INVALID, message)));
    }

    public FhirInputException(List<Issue> issues) {
        super(issues.isEmpty() ? "invalid input" : issues.get(0).where() + " " + issues.get(0).message(), null, false, false);
        this.issues = List.copyOf(issues);
    }

    public List<Issue> issues() {
        return issues;
    }

    public OperationOutcome toOperationOutcome() {
        return Fhir.outcome(issues);
    }
}
