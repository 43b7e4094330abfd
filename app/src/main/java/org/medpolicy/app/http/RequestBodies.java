package org.medpolicy.app.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads request bodies within limits: a declared or actual size over the limit is refused without
 * reading the rest, and the content type must be JSON. Stateless.
 */
final class RequestBodies {

    static final int MAX_BYTES = 1 << 20;

    /** Why a body was refused. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private RequestBodies() {
    }

    static byte[] json(Context ctx, String... acceptedTypes) throws Refused, IOException {
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
}
