package org.medpolicy.core.determination;

/** One answer the engine can decide with. */
public record AnswerOption(String code, String display) {
}
