package org.medpolicy.core.determination;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The decision for one item. {@code reason} only for NOT_COVERED; {@code questions} only for
 * INFO_NEEDED; {@code category} is written even when null (the contract says "or null").
 * Immutable; the engine builds most of these once per policy version and only stamps the index.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"index", "outcome", "reason", "category", "product", "governedBy", "explanation", "citations", "questions"})
public record ItemDetermination(
        int index,
        Outcome outcome,
        Reason reason,
        @JsonInclude(JsonInclude.Include.ALWAYS) String category,
        ProductReference product,
        List<GovernedBy> governedBy,
        String explanation,
        List<Citation> citations,
        List<Question> questions) {

    public ItemDetermination {
        governedBy = List.copyOf(governedBy);
        citations = List.copyOf(citations);
        questions = questions == null || questions.isEmpty() ? null : List.copyOf(questions);
    }

    /** The same decision for the item at {@code newIndex}. */
    public ItemDetermination at(int newIndex) {
        return newIndex == index ? this
                : new ItemDetermination(newIndex, outcome, reason, category, product, governedBy, explanation, citations, questions);
    }
}
