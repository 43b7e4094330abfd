package org.medpolicy.security;

/** An access token as the token endpoint returns it (RFC 6749 section 5.1), and the client it was issued to. Immutable. */
public record IssuedToken(String clientId, String accessToken, long expiresInSeconds, Scopes scopes) {
}
