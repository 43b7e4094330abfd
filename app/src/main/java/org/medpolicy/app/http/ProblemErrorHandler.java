package org.medpolicy.app.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.Problem;

/**
 * Jetty's own errors (those raised before a request reaches a route: headers too large, a malformed
 * request line, a URI too long) as problem documents instead of Jetty's HTML page. Never includes
 * the cause or a stack. Stateless.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    ProblemErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        String reason = HttpStatus.getMessage(code);
        Problem problem = new Problem("https://medpolicy.org/problems/" + reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"),
                reason, code, "The request was refused before it reached the service: " + reason + ".", List.of(), null);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpProblems.PROBLEM_JSON);
        response.write(true, ByteBuffer.wrap(ContractJson.write(problem).getBytes(StandardCharsets.UTF_8)), callback);
    }
}
