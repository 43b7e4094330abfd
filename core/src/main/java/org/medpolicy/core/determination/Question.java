package org.medpolicy.core.determination;

import java.util.List;

/** What the engine needs to know to decide an INFO_NEEDED item; answer by sending the option's code under {@code items[i].answers[id]}. */
public record Question(String id, String text, List<AnswerOption> answerOptions) {
    public Question {
        answerOptions = List.copyOf(answerOptions);
    }
}
