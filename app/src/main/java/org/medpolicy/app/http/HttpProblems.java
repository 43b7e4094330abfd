package org.medpolicy.app.http;

import io.javalin.http.Context;
import java.util.List;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;

/** Writes RFC 9457 problem documents. Stateless. */
final class HttpProblems {

    static final String PROBLEM_JSON = "application/problem+json";

    private HttpProblems() {
    }

    /** Answers with {@code problem}, after reading what is left of the body (see {@link RequestBodies#discard}). */
    static void send(Context ctx, Problem problem) {
        RequestBodies.discard(ctx);
        ctx.status(problem.status()).contentType(PROBLEM_JSON).result(ContractJson.write(problem));
    }

    static void send(Context ctx, int status, String title, String detail) {
        send(ctx, new Problem("https://medpolicy.org/problems/" + slug(title), title, status, detail, List.of(), null));
    }

    static void send(Context ctx, int status, String title, String detail, String field, String message) {
        send(ctx, new Problem("https://medpolicy.org/problems/" + slug(title), title, status, detail,
                List.of(new FieldError(field, message)), null));
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
