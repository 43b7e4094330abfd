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

    public CaseRefusal(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
