package org.medpolicy.core.problem;

/** One problem with one field, named by its path in the request ({@code items[0].code.system}). */
public record FieldError(String field, String message) {
}
