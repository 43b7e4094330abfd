package org.medpolicy.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks the JWT an EHR sends with each CDS Hooks call (CDS Hooks 2.0, "Trusting CDS Clients"):
 * signed ES384 or RS384 by a key of the EHR registered for its {@code iss} (or of a {@code jku} the
 * EHR registered: any other {@code jku} is refused, not fetched), {@code aud} = the URL of the
 * service called, {@code exp} and {@code iat} within a small skew, a {@code jti} never seen before.
 *
 * <p>Thread-safe.
 */
public final class CdsHooksAuthenticator {

    static final Duration SKEW = Duration.ofSeconds(30);
    /** CDS Hooks recommends five minutes; a longer-lived JWT would also have to be remembered longer. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private final ClientRegistry clients;
    private final ReplayGuard replays;
    private final JwksSource remoteKeys;
    private final Clock clock;

    public CdsHooksAuthenticator(ClientRegistry clients, ReplayGuard replays, JwksSource remoteKeys, Clock clock) {
        this.clients = clients;
        this.replays = replays;
        this.remoteKeys = remoteKeys;
        this.clock = clock;
    }

    /**
     * @param authorization the {@code Authorization} header as sent (may be null)
     * @param serviceUrl    the full URL of the service called: the {@code aud} the JWT must carry
     * @throws AuthenticationException 401 with the reason
     */
    public Caller authenticate(String authorization, String serviceUrl) throws AuthenticationException {
        String token = BearerTokens.extract(authorization);
        try {
            SignedJWT jwt = JwtChecks.parse(token, JwtChecks.CLIENT_ALGORITHMS);
            JWTClaimsSet claims = JwtChecks.claims(jwt);
            String issuer = claims.getIssuer();
            if (issuer == null || issuer.isBlank()) {
                throw new JwtChecks.Rejected("the JWT has no iss");
            }
            Client ehr = clients.findByIssuer(issuer)
                    .orElseThrow(() -> new JwtChecks.Rejected("the issuer " + issuer + " is not registered"));
            if (ehr.isRevoked()) {
                throw new JwtChecks.Rejected("the EHR client '" + ehr.id() + "' was revoked");
            }
            JwtChecks.verifySignature(jwt, keysFor(ehr, jwt.getHeader().getJWKURL()));
            if (claims.getAudience() == null || !claims.getAudience().contains(serviceUrl)) {
                throw new JwtChecks.Rejected("aud must be the service URL, " + serviceUrl);
            }
            Instant expires = JwtChecks.checkTimes(claims, clock.instant(), SKEW, MAX_LIFETIME, true);
            if (!replays.firstUse(issuer, JwtChecks.jti(claims), expires.plus(SKEW))) {
                throw new JwtChecks.Rejected("this JWT's jti was already used");
            }
            return new Caller(ehr.id(), Client.Kind.EHR, Scopes.none(), expires);
        } catch (JwtChecks.Rejected e) {
            throw AuthenticationException.invalid("The CDS Hooks JWT is not accepted: " + e.getMessage() + ".");
        }
    }

    private JWKSet keysFor(Client ehr, URI jku) throws JwtChecks.Rejected {
        if (jku == null) {
            return ehr.jwks();
        }
        if (!ehr.allowedJku().contains(jku)) {
            throw new JwtChecks.Rejected("the jku " + jku + " is not registered for this issuer");
        }
        try {
            return remoteKeys.fetch(jku);
        } catch (IOException e) {
            throw new JwtChecks.Rejected("the keys at the registered jku could not be fetched");
        }
    }
}
