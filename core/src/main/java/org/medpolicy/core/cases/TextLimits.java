package org.medpolicy.core.cases;

import java.time.Duration;
import java.util.List;
import org.medpolicy.core.problem.FieldError;

/**
 * What a person may write into a case or a reconsideration: at most 1,500 characters a field (the
 * history keeps it with room for what the action adds), and how far ahead of this server's clock a
 * stated time may be. Refusals name the field. Stateless.
 */
public final class TextLimits {

    public static final int MAX_TEXT = 1_500;
    /** How far ahead of this server's clock a stated time may be (another machine's clock). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private TextLimits() {
    }

    public static void limited(String text, String name, List<FieldError> problems) {
        if (text != null && text.length() > MAX_TEXT) {
            problems.add(new FieldError(name, "is at most " + MAX_TEXT + " characters; this one has " + text.length()));
        }
    }

    public static String limited(String text, String name) {
        if (text != null && text.length() > MAX_TEXT) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "A " + name + " is at most " + MAX_TEXT + " characters; this one has "
                    + text.length() + ".", List.of(new FieldError(name, "is at most " + MAX_TEXT + " characters")));
        }
        return text;
    }

    public static String required(String text, String name) {
        if (text == null || text.isBlank()) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "A " + name + " is required.", List.of(new FieldError(name, "is required")));
        }
        return limited(text.strip(), name);
    }

    public static void refuseIfAny(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, problems.size() == 1
                    ? problems.get(0).field() + " " + problems.get(0).message() + "."
                    : "The reconsideration has " + problems.size() + " problems.", problems);
        }
    }
}
