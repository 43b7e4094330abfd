package org.medpolicy.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks medpolicy's access tokens: JWTs (RFC 9068, {@code typ at+jwt}) signed with
 * the server's {@link SigningKey}, naming the client ({@code sub}, {@code client_id}) and its
 * granted {@code scope}, valid for a few minutes.
 *
 * <p>Why a cache of verified tokens: an ES384 signature check costs on the order of a millisecond of
 * CPU, more than deciding a coverage request. A client uses one token for many calls, so the first
 * call verifies it and later calls find it in a bounded map keyed by the token text. What the cache
 * cannot know, revocation, is checked on every call against the (briefly cached) client registry;
 * expiry is checked on every call too.
 *
 * <p>Thread-safe.
 */
public final class AccessTokens {

    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    public static final Duration MAX_LIFETIME = Duration.ofHours(1);
    private static final int CACHE_LIMIT = 10_000;

    private final SigningKey key;
    private final String issuer;
    private final ClientRegistry clients;
    private final Clock clock;
    private final ConcurrentHashMap<String, Caller> verified = new ConcurrentHashMap<>();

    /**
     * @param issuer  the server's public URL: {@code iss} and {@code aud} of every token
     * @param clients where revocation is looked up (wrap it in a {@link CachingClientRegistry} on a hot path)
     */
    public AccessTokens(SigningKey key, String issuer, ClientRegistry clients, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.clients = clients;
        this.clock = clock;
    }

    /** Signs a token for {@code client} carrying {@code scopes}. The caller has checked the client may have them. */
    public IssuedToken issue(Client client, Scopes scopes, Duration lifetime) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a token lives between 1 second and " + MAX_LIFETIME.toMinutes() + " minutes");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(client.id())
                .audience(issuer)
                .claim("client_id", client.id())
                .claim("scope", scopes.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(SigningKey.ALGORITHM).type(new JOSEObjectType("at+jwt"))
                .keyID(key.keyId()).build(), claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return new IssuedToken(client.id(), jwt.serialize(), lifetime.toSeconds(), scopes);
    }

    /**
     * Checks a bearer token and returns its caller.
     *
     * @throws AuthenticationException 401 when it is not a valid, current token of a client that is still registered
     */
    public Caller verify(String token) throws AuthenticationException {
        Caller caller = verified.get(token);
        if (caller == null) {
            caller = verifySignedToken(token);
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, caller);
        }
        if (!caller.expiresAt().isAfter(clock.instant())) {
            verified.remove(token);
            throw AuthenticationException.invalid("The access token has expired; get a new one at the token endpoint.");
        }
        Client client = clients.find(caller.clientId()).orElse(null);
        if (client == null || client.isRevoked()) {
            throw AuthenticationException.invalid("The client '" + caller.clientId() + "' is not registered or was revoked.");
        }
        return caller;
    }

    /** True when {@code token} was verified before and is in the cache: checking it again costs no signature check. */
    public boolean isKnown(String token) {
        return token != null && verified.containsKey(token);
    }

    private Caller verifySignedToken(String token) throws AuthenticationException {
        try {
            SignedJWT jwt = JwtChecks.parse(token, Set.of(SigningKey.ALGORITHM));
            if (!key.keyId().equals(jwt.getHeader().getKeyID())) {
                throw new JwtChecks.Rejected("the token was not signed by this server's current key");
            }
            if (!jwt.verify(key.verifier())) {
                throw new JwtChecks.Rejected("the token's signature does not verify");
            }
            JWTClaimsSet claims = JwtChecks.claims(jwt);
            if (!issuer.equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(issuer)) {
                throw new JwtChecks.Rejected("the token was issued for another server");
            }
            Instant expires = JwtChecks.checkTimes(claims, clock.instant(), Duration.ZERO, MAX_LIFETIME, true);
            String clientId = claims.getStringClaim("client_id");
            if (clientId == null || !clientId.equals(claims.getSubject())) {
                throw new JwtChecks.Rejected("the token does not name its client");
            }
            return new Caller(clientId, Client.Kind.BACKEND, Scopes.parse(claims.getStringClaim("scope")), expires);
        } catch (JwtChecks.Rejected e) {
            throw AuthenticationException.invalid("The access token is not valid: " + e.getMessage() + ".");
        } catch (JOSEException | java.text.ParseException | IllegalArgumentException e) {
            throw AuthenticationException.invalid("The access token is not valid.");
        }
    }
}
