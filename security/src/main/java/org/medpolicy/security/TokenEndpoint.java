package org.medpolicy.security;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The SMART Backend Services token exchange ({@code grant_type=client_credentials} with a
 * {@code private_key_jwt} client assertion): who the client is, that it signed the assertion with
 * one of its registered keys, for us, recently, once; and which of the scopes it asks for it may have.
 *
 * <p>Every refusal says which check failed. That helps an attacker little (the checks are public,
 * in SMART's specification) and a client developer a great deal.
 *
 * <p>Thread-safe.
 */
public final class TokenEndpoint {

    public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** SMART: the assertion's exp is at most five minutes in the future. */
    static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);
    static final Duration SKEW = Duration.ofSeconds(30);

    private final String tokenUrl;
    private final ClientRegistry clients;
    private final ReplayGuard replays;
    private final AccessTokens tokens;
    private final Clock clock;
    private final Duration tokenLifetime;

    /** @param tokenUrl the absolute URL of the token endpoint: the {@code aud} every assertion must carry */
    public TokenEndpoint(String tokenUrl, ClientRegistry clients, ReplayGuard replays, AccessTokens tokens, Clock clock,
                         Duration tokenLifetime) {
        this.tokenUrl = tokenUrl;
        this.clients = clients;
        this.replays = replays;
        this.tokens = tokens;
        this.clock = clock;
        this.tokenLifetime = tokenLifetime;
    }

    /**
     * Exchanges the form parameters of a token request for an access token.
     *
     * @throws OAuthException with the RFC 6749 error code when the request is refused
     */
    public IssuedToken exchange(Map<String, String> form) throws OAuthException {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new OAuthException(form.get("grant_type") == null ? "invalid_request" : "unsupported_grant_type",
                    "grant_type must be client_credentials");
        }
        if (!ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            throw new OAuthException("invalid_request", "client_assertion_type must be " + ASSERTION_TYPE);
        }
        Scopes requested;
        try {
            requested = Scopes.parse(form.get("scope"));
        } catch (IllegalArgumentException e) {
            throw new OAuthException("invalid_scope", e.getMessage());
        }
        if (requested.isEmpty()) {
            throw new OAuthException("invalid_scope", "scope is required, e.g. scope=system/determinations.write");
        }
        Client client = authenticate(form.get("client_assertion"));
        Scopes granted = client.scopes().allowed(requested);
        if (granted.isEmpty()) {
            throw new OAuthException("invalid_scope", "client '" + client.id() + "' may not have any of: " + requested);
        }
        return tokens.issue(client, granted, tokenLifetime);
    }

    private Client authenticate(String assertion) throws OAuthException {
        try {
            SignedJWT jwt = JwtChecks.parse(assertion, JwtChecks.CLIENT_ALGORITHMS);
            JWTClaimsSet claims = JwtChecks.claims(jwt);
            String clientId = claims.getIssuer();
            if (clientId == null || !clientId.equals(claims.getSubject())) {
                throw new JwtChecks.Rejected("iss and sub must both be the client id");
            }
            Client client = clients.find(clientId).orElseThrow(() -> new JwtChecks.Rejected("no client '" + clientId + "' is registered"));
            if (client.isRevoked()) {
                throw new JwtChecks.Rejected("client '" + clientId + "' was revoked");
            }
            if (client.kind() != Client.Kind.BACKEND) {
                throw new JwtChecks.Rejected("client '" + clientId + "' is registered as an EHR (CDS Hooks), not a backend service");
            }
            JwtChecks.verifySignature(jwt, client.jwks());
            if (claims.getAudience() == null || !claims.getAudience().contains(tokenUrl)) {
                throw new JwtChecks.Rejected("aud must be the token endpoint, " + tokenUrl);
            }
            Instant now = clock.instant();
            Instant expires = JwtChecks.checkTimes(claims, now, SKEW, MAX_ASSERTION_LIFETIME, false);
            if (!replays.firstUse(clientId, JwtChecks.jti(claims), expires.plus(SKEW))) {
                throw new JwtChecks.Rejected("this assertion's jti was already used");
            }
            return client;
        } catch (JwtChecks.Rejected e) {
            throw new OAuthException("invalid_client", "client assertion refused: " + e.getMessage());
        }
    }
}
