package org.medpolicy.core.cases;

/**
 * An action the rules do not allow, and why ({@link Reason}). Nothing was changed. The domain says
 * what kind of refusal it is; each boundary says how it answers one (an HTTP status and a problem
 * document or OperationOutcome, an exit code).
 */
public final class CaseRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Reason {
        /** The actor's roles may not take this action. */
        NOT_PERMITTED,
        /** No case has that id. */
        NO_SUCH_CASE,
        /** The case is not in a state the action may leave, or someone else changed it first. */
        CONFLICT,
        /** The action is malformed: no reason or rationale, a second extension, too many days. */
        NOT_PROCESSABLE
    }

    private final Reason reason;
    private final transient java.util.List<org.medpolicy.core.problem.FieldError> problems;

    public CaseRefusal(Reason reason, String message) {
        this(reason, message, java.util.List.of());
    }

    /** A refusal for several reasons at once, each named by the field it is about: every one is reported. */
    public CaseRefusal(Reason reason, String message, java.util.List<org.medpolicy.core.problem.FieldError> problems) {
        super(message, null, false, false);
        this.reason = reason;
        this.problems = java.util.List.copyOf(problems);
    }

    public Reason reason() {
        return reason;
    }

    /** Every problem found, by field; empty when the message says it all. */
    public java.util.List<org.medpolicy.core.problem.FieldError> problems() {
        return problems;
    }
}
