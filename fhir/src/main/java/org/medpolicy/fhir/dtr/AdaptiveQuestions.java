package org.medpolicy.fhir.dtr;

import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/** The adaptive form of our questionnaires: one unanswered coded question at a time. Stateless. */
final class AdaptiveQuestions {

    private AdaptiveQuestions() {
    }

    /**
     * DTR's adaptive {@code $next-question}: given an in-progress QuestionnaireResponse of one of our
     * questionnaires (by its {@code questionnaire} canonical, or a contained adaptive Questionnaire
     * with our url), the response with the next unanswered question added, or, when every question
     * is answered with one of its options, marked completed.
     *
     * @throws FhirInputException when the response names no questionnaire of ours or holds an answer
     *         its question does not offer
     */
    static QuestionnaireResponse next(Questionnaires questionnaires, QuestionnaireResponse response) {
        Questionnaire questionnaire = null;
        String canonical = response.getQuestionnaire();
        for (var contained : response.getContained()) {
            if (contained instanceof Questionnaire adaptive && adaptive.hasUrl()) {
                questionnaire = questionnaires.byCanonical(adaptive.getUrl()).orElse(null);
            }
        }
        if (questionnaire == null && canonical != null && !canonical.startsWith("#")) {
            questionnaire = questionnaires.byCanonical(canonical).orElse(null);
        }
        if (questionnaire == null) {
            throw new org.medpolicy.fhir.FhirInputException("QuestionnaireResponse.questionnaire",
                    "names no questionnaire of these policies (give its canonical, or contain it with its url)");
        }
        java.util.List<org.medpolicy.fhir.FhirInputException.Issue> issues = new java.util.ArrayList<>();
        java.util.Map<String, String> answers = DtrAnswers.of(response);
        for (var item : response.getItem()) {
            var question = questionnaire.getItem().stream().filter(q -> q.getLinkId().equals(item.getLinkId())).findFirst();
            if (question.isEmpty()) {
                issues.add(new org.medpolicy.fhir.FhirInputException.Issue("QuestionnaireResponse.item[" + item.getLinkId() + "]",
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.VALUE, "is not a question of " + questionnaire.getUrl()));
                continue;
            }
            String given = answers.get(item.getLinkId());
            if (given != null && question.get().hasAnswerOption() && question.get().getAnswerOption().stream().noneMatch(o -> given.equals(o.getValueCoding().getCode()))) {
                issues.add(new org.medpolicy.fhir.FhirInputException.Issue("QuestionnaireResponse.item[" + item.getLinkId() + "].answer",
                        org.hl7.fhir.r4.model.OperationOutcome.IssueType.CODEINVALID, given + " is not one of the question's answers"));
            }
        }
        if (!issues.isEmpty()) {
            throw new org.medpolicy.fhir.FhirInputException(issues);
        }
        QuestionnaireResponse next = response.copy();
        next.getContained().removeIf(resource -> resource instanceof Questionnaire);
        Questionnaire adaptive = questionnaire.copy();
        adaptive.setId("adaptive");
        adaptive.getItem().clear();
        next.addContained(adaptive);
        next.setQuestionnaire("#adaptive");
        boolean complete = true;
        for (var question : questionnaire.getItem()) {
            adaptive.addItem(question.copy());
            boolean present = next.getItem().stream().anyMatch(item -> item.getLinkId().equals(question.getLinkId()));
            if (question.getType() == Questionnaire.QuestionnaireItemType.CHOICE && !answers.containsKey(question.getLinkId())) {
                complete = false;
                if (!present) {
                    next.addItem().setLinkId(question.getLinkId()).setText(question.getText());
                }
                break;
            }
        }
        next.setStatus(complete ? QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED
                : QuestionnaireResponse.QuestionnaireResponseStatus.INPROGRESS);
        return next;
    }
}
