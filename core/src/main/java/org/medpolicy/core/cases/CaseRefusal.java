package org.medpolicy.core.cases;

/**
 * An action the rules do not allow, and why: 403 (the role may not), 404 (no such case), 409 (not
 * in this state, or someone else changed the case first), 422 (the action is malformed: no
 * rationale, a second extension). Nothing was changed.
 */
public final class CaseRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public CaseRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
