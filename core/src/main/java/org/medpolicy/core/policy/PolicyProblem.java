package org.medpolicy.core.policy;

/** One thing wrong with the policy data: which file, where in it (a JSON path), and what. */
public record PolicyProblem(String file, String path, String message) {
    @Override
    public String toString() {
        return file + (path == null || path.isEmpty() ? "" : " at " + path) + ": " + message;
    }
}
