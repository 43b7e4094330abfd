package org.medpolicy.core.request;

import java.util.List;
import java.util.Map;

/**
 * One service of a request. At least one of code, therapy, product and description is present
 * (the reader enforces it). {@code therapy} is an upper-case term of the policy vocabulary;
 * {@code answers} maps a question id the engine asked to the code of the chosen answer option.
 * Immutable: lists and maps are unmodifiable copies.
 */
public record RequestItem(
        ServiceCode code,
        String therapy,
        String product,
        String description,
        List<String> diagnoses,
        Integer units,
        Map<String, String> answers) {

    public RequestItem {
        diagnoses = diagnoses == null ? List.of() : List.copyOf(diagnoses);
        answers = answers == null ? Map.of() : Map.copyOf(answers);
    }

    /** This item with {@code given} merged into its answers (a later answer to a question replaces the earlier). */
    public RequestItem answered(Map<String, String> given) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(answers);
        merged.putAll(given);
        return new RequestItem(code, therapy, product, description, diagnoses, units, merged);
    }

    public static RequestItem ofCode(CodeSystem system, String value) {
        return new RequestItem(new ServiceCode(system, value), null, null, null, null, null, null);
    }

    public static RequestItem ofTherapy(String therapy) {
        return new RequestItem(null, therapy, null, null, null, null, null);
    }

    public static RequestItem ofProduct(String product) {
        return new RequestItem(null, null, product, null, null, null, null);
    }

    public static RequestItem ofDescription(String description) {
        return new RequestItem(null, null, null, description, null, null, null);
    }

    public RequestItem withAnswers(Map<String, String> newAnswers) {
        return new RequestItem(code, therapy, product, description, diagnoses, units, newAnswers);
    }
}
