package org.medpolicy.security;

/** Reads {@code Authorization: Bearer <token>} (RFC 6750 section 2.1). Stateless. */
public final class BearerTokens {

    private BearerTokens() {
    }

    /**
     * @throws AuthenticationException 401 without an error code when there is no bearer token
     *         (RFC 6750 section 3.1), with {@code invalid_request} semantics folded into invalid_token otherwise
     */
    public static String extract(String authorization) throws AuthenticationException {
        if (authorization == null || authorization.isBlank()) {
            throw AuthenticationException.missing("This call needs an access token: Authorization: Bearer <token>.");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AuthenticationException.invalid("The Authorization header must be 'Bearer <token>'.");
        }
        String token = value.substring(7).strip();
        if (token.isEmpty()) {
            throw AuthenticationException.invalid("The Authorization header has no token after 'Bearer'.");
        }
        return token;
    }
}
