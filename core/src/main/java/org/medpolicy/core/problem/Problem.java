package org.medpolicy.core.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} lists every field problem found, not just the
 * first; {@code correlationId} ties an internal fault to the log line that explains it. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors, String correlationId) {

    public static final String INVALID_REQUEST = "https://medpolicy.org/problems/invalid-request";
    public static final String UNDECIDABLE = "https://medpolicy.org/problems/undecidable";
    public static final String INTERNAL = "https://medpolicy.org/problems/internal-error";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** 400: the request is malformed; every problem is listed. */
    public static Problem invalidRequest(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? "The request has 1 problem."
                : "The request has " + errors.size() + " problems.";
        return new Problem(INVALID_REQUEST, "Invalid request", 400, detail, errors, null);
    }

    /** 422: well formed, but no policy can decide it. */
    public static Problem undecidable(String detail, List<FieldError> errors) {
        return new Problem(UNDECIDABLE, "Request cannot be decided", 422, detail, errors, null);
    }

    /** 500: our fault; the caller gets an id to quote, never a stack trace. */
    public static Problem internal(String correlationId) {
        return new Problem(INTERNAL, "Internal error", 500,
                "The determination could not be made because of an internal error. Quote the correlation id when reporting it.",
                List.of(), correlationId);
    }
}
