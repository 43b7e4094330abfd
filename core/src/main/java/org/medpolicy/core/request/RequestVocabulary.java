package org.medpolicy.core.request;

import java.util.Map;
import java.util.Set;

/**
 * The terms a request may use, which come from the loaded policies rather than from code: the
 * therapy categories, the questions and their answer codes, the lines of business governed, and the
 * line of business a channel decides under when its requests do not say ({@code defaultLineOfBusiness},
 * from the Medicare rules' reference data). Immutable.
 */
public record RequestVocabulary(Set<String> therapies, Map<String, Set<String>> answers, Set<String> linesOfBusiness,
                                String defaultLineOfBusiness) {
    public RequestVocabulary {
        therapies = Set.copyOf(therapies);
        answers = Map.copyOf(answers);
        linesOfBusiness = Set.copyOf(linesOfBusiness);
    }
}
