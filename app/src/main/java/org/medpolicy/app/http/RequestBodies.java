package org.medpolicy.app.http;

import org.medpolicy.app.http.fhir.FhirRoutes;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.fhir.FhirInputException;

/**
 * Reads request bodies within limits: a declared or actual size over the limit is refused without
 * reading the rest, and the content type must be JSON. Stateless.
 */
public final class RequestBodies {

    public static final int MAX_BYTES = 1 << 20;

    /** Why a body was refused. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** A body a FHIR or CDS Hooks endpoint refuses: the HTTP status, and the issue for its OperationOutcome. */
    public static final class FhirRefusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final transient FhirInputException input;

        FhirRefusal(int status, FhirInputException input) {
            super(input.getMessage(), null, false, false);
            this.status = status;
            this.input = input;
        }

        public int status() {
            return status;
        }

        public FhirInputException input() {
            return input;
        }
    }

    private RequestBodies() {
    }

    /** The JSON tree of a body sent to a FHIR or CDS Hooks endpoint, or why it is refused (wrong type, too large, not JSON). */
    public static JsonNode fhirJson(Context ctx, String... acceptedTypes) throws FhirRefusal, IOException {
        byte[] body;
        try {
            body = json(ctx, acceptedTypes);
        } catch (Refused refused) {
            throw new FhirRefusal(refused.status, new FhirInputException("$", refused.getMessage()));
        }
        try {
            return RequestReader.parse(body);
        } catch (ProblemException e) {
            throw new FhirRefusal(400, new FhirInputException("$", e.errors().get(0).message()));
        }
    }

    /**
     * Reads and drops what is left of a body within the size limit, before answering without it.
     *
     * <p>Why: a server that answers early and closes a connection with unread bytes in it makes the
     * kernel reset the connection, and a client still sending its body may lose the answer along
     * with it (the JDK client then reports "received no bytes"). Reading a bounded body first lets
     * every refusal arrive; a body over the limit is left to Jetty, which closes the connection.
     * {@link HttpProblems#send} and {@link FhirRoutes#send} call it for every error they write.
     */
    public static void discard(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0 || declared > MAX_BYTES) {
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            in.readNBytes(MAX_BYTES + 1);
        } catch (IOException | RuntimeException e) {
            // The client went away or the body is unreadable: nothing left to protect.
        }
    }

    public static byte[] json(Context ctx, String... acceptedTypes) throws Refused, IOException {
        String contentType = ctx.header("Content-Type");
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        boolean accepted = false;
        for (String accept : acceptedTypes) {
            accepted |= accept.equals(type);
        }
        if (!accepted) {
            throw new Refused(415, "Content-Type must be " + String.join(" or ", acceptedTypes)
                    + (contentType == null ? "; none was sent" : ", not " + contentType));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw new Refused(413, "the request body is " + declared + " bytes; the limit is 1 MiB");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw new Refused(413, "the request body is larger than 1 MiB");
            }
            return body;
        }
    }

    /**
     * The body as a JSON object, or null after answering the problem (wrong type, too large, not
     * JSON, not an object) as a problem document.
     */
    public static JsonNode jsonObject(Context ctx) throws IOException {
        try {
            JsonNode tree = RequestReader.parse(json(ctx, "application/json"));
            if (tree.isObject()) {
                return tree;
            }
            HttpProblems.send(ctx, org.medpolicy.core.problem.Problem.invalidRequest(
                    java.util.List.of(new org.medpolicy.core.problem.FieldError("$", "must be a JSON object"))));
        } catch (Refused refused) {
            HttpProblems.send(ctx, refused.status, refused.status == 415 ? "Unsupported media type" : "Content too large",
                    refused.getMessage());
        } catch (ProblemException e) {
            HttpProblems.send(ctx, e.problem());
        }
        return null;
    }
}
