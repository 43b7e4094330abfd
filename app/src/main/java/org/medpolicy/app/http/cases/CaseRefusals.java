package org.medpolicy.app.http.cases;

import org.medpolicy.app.http.HttpProblems;

import io.javalin.http.Context;
import java.util.Locale;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.problem.Problem;

/**
 * How HTTP answers a refused case action: the one place that maps the domain's
 * {@link CaseRefusal.Reason} to a status and a problem document. Registered once as the server's
 * handler for {@code CaseRefusal}; the workbench and PAS ask it for the status of their own pages
 * and OperationOutcomes. Stateless.
 */
public final class CaseRefusals {

    private CaseRefusals() {
    }

    public static int status(CaseRefusal refusal) {
        return switch (refusal.reason()) {
            case NOT_PERMITTED -> 403;
            case NO_SUCH_CASE -> 404;
            case CONFLICT -> 409;
            case NOT_PROCESSABLE -> 422;
        };
    }

    /** The refusal as a problem document. */
    public static void send(Context ctx, CaseRefusal refusal) {
        String title = switch (refusal.reason()) {
            case NOT_PERMITTED -> "Forbidden";
            case NO_SUCH_CASE -> "Not found";
            case CONFLICT -> "Conflict";
            case NOT_PROCESSABLE -> "Not allowed";
        };
        HttpProblems.send(ctx, new Problem("https://medpolicy.org/problems/case-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'),
                title, status(refusal), refusal.getMessage(), refusal.problems(), null));
    }
}
