package org.medpolicy.screen;

import java.util.List;
import org.medpolicy.core.problem.FieldError;

/** An input line that cannot be screened: its line number, its text, and every problem found. Immutable. */
record Rejected(long inputLine, String text, List<FieldError> problems) {
}
