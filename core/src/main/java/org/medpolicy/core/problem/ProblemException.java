package org.medpolicy.core.problem;

import java.util.List;

/**
 * A request the core refuses, and why: what kind of refusal it is ({@link Kind}), a sentence, and
 * every field problem found. It carries no transport status: each boundary says how it answers a
 * kind (the HTTP server a 400 or 422 problem document or OperationOutcome, {@code decide} an exit
 * code). {@link #problem} is the decision contract's problem document for it.
 */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Kind {
        /** The request cannot be read: malformed, missing or out-of-range fields. */
        INVALID_REQUEST,
        /** Well formed, but no policy can decide it (its line of business, its date of service). */
        UNDECIDABLE
    }

    private final Kind kind;
    private final transient List<FieldError> errors;

    private ProblemException(Kind kind, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    /** The request cannot be read; every problem is listed. */
    public static ProblemException invalid(List<FieldError> errors) {
        return new ProblemException(Kind.INVALID_REQUEST, errors.size() == 1 ? "The request has 1 problem."
                : "The request has " + errors.size() + " problems.", errors);
    }

    /** Well formed, but no policy can decide it. */
    public static ProblemException undecidable(String detail, List<FieldError> errors) {
        return new ProblemException(Kind.UNDECIDABLE, detail, errors);
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The decision contract's problem document: 400 for an invalid request, 422 for an undecidable one. */
    public Problem problem() {
        return kind == Kind.INVALID_REQUEST ? Problem.invalidRequest(errors) : Problem.undecidable(getMessage(), errors);
    }
}
