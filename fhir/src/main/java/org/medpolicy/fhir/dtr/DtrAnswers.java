package org.medpolicy.fhir.dtr;

import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.QuestionnaireResponse;

/**
 * The coded answers of a completed QuestionnaireResponse, by question: {@code linkId → code}. The
 * questionnaires medpolicy serves ask one coded question each, whose linkId is the engine's
 * question id, so the answers go straight into a request's {@code answers}. Nested items are read
 * too. Stateless.
 */
public final class DtrAnswers {

    private DtrAnswers() {
    }

    public static Map<String, String> of(QuestionnaireResponse response) {
        Map<String, String> answers = new LinkedHashMap<>();
        collect(response.getItem(), answers);
        return answers;
    }

    private static void collect(java.util.List<QuestionnaireResponse.QuestionnaireResponseItemComponent> items, Map<String, String> answers) {
        for (QuestionnaireResponse.QuestionnaireResponseItemComponent item : items) {
            for (QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent answer : item.getAnswer()) {
                if (answer.hasValueCoding() && answer.getValueCoding().hasCode()) {
                    answers.put(item.getLinkId(), answer.getValueCoding().getCode());
                }
                collect(answer.getItem(), answers);
            }
            collect(item.getItem(), answers);
        }
    }
}
