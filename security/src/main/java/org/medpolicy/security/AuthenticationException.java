package org.medpolicy.security;

/**
 * A call that cannot be let in. {@code status} is 401 (who are you?) or 403 (you may not);
 * {@code error} is the OAuth / RFC 6750 error code for the {@code WWW-Authenticate} header
 * ({@code invalid_token}, {@code insufficient_scope}, {@code invalid_request}); the message says why
 * in words a client developer can act on, and never echoes a secret.
 */
public final class AuthenticationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String requiredScope;

    private AuthenticationException(int status, String error, String message, String requiredScope) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.requiredScope = requiredScope;
    }

    /** 401: no credentials at all. */
    public static AuthenticationException missing(String message) {
        return new AuthenticationException(401, null, message, null);
    }

    /** 401: credentials that are not acceptable. */
    public static AuthenticationException invalid(String message) {
        return new AuthenticationException(401, "invalid_token", message, null);
    }

    /** 403: a good token without the scope this call needs. */
    public static AuthenticationException insufficientScope(String requiredScope) {
        return new AuthenticationException(403, "insufficient_scope",
                "The access token does not carry the scope this call needs: " + requiredScope + ".", requiredScope);
    }

    public int status() {
        return status;
    }

    /** The RFC 6750 error code, or null when the request carried no credentials. */
    public String error() {
        return error;
    }

    public String requiredScope() {
        return requiredScope;
    }
}
