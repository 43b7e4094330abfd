package org.medpolicy.core.policy;

import java.util.List;
import java.util.stream.Collectors;

/** The policy data is not usable; {@link #problems()} lists every problem found, not just the first. */
public class PolicyLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<PolicyProblem> problems;

    public PolicyLoadException(List<PolicyProblem> problems) {
        super("policy data has " + problems.size() + " problem(s):\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
