package org.medpolicy.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * The checks every JWT a client signs goes through, in the order that refuses cheaply first:
 * parse, algorithm on the allow-list, key chosen from the client's set, signature, then times.
 *
 * <p>The algorithm is checked against our list before any key is touched: that is what stops
 * {@code alg: none} and the "HMAC keyed with the public key" confusion, whatever the token claims.
 * Stateless.
 */
final class JwtChecks {

    /** What SMART Backend Services and CDS Hooks require servers to accept; nothing else is. */
    static final Set<JWSAlgorithm> CLIENT_ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    private static final int MAX_TOKEN_CHARS = 16 * 1024;

    /** A check that failed, with a reason fit for the caller. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String reason) {
            super(reason, null, false, false);
        }
    }

    private JwtChecks() {
    }

    /** Parses {@code token} as a JWS whose algorithm is in {@code allowed}. */
    static SignedJWT parse(String token, Set<JWSAlgorithm> allowed) throws Rejected {
        if (token == null || token.isBlank()) {
            throw new Rejected("no JWT was given");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new Rejected("the JWT is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            throw new Rejected("the token is not a well-formed JWT");
        }
        if (!(parsed instanceof SignedJWT signed)) {
            throw new Rejected("unsigned (alg none) or encrypted JWTs are refused; sign with " + names(allowed));
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!allowed.contains(algorithm)) {
            throw new Rejected("the algorithm " + algorithm + " is refused; sign with " + names(allowed));
        }
        return signed;
    }

    /** Checks the signature against the keys of {@code keys} that fit the header (kid, key type, curve). */
    static void verifySignature(SignedJWT jwt, JWKSet keys) throws Rejected {
        JWSHeader header = jwt.getHeader();
        List<JWK> candidates = keys.getKeys().stream()
                .filter(key -> header.getKeyID() == null || header.getKeyID().equals(key.getKeyID()))
                .filter(key -> key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse()))
                .filter(key -> key.getAlgorithm() == null || key.getAlgorithm().equals(header.getAlgorithm()))
                .toList();
        if (candidates.isEmpty()) {
            throw new Rejected(header.getKeyID() == null
                    ? "no registered key fits the JWT's algorithm " + header.getAlgorithm()
                    : "no registered key has kid '" + header.getKeyID() + "'");
        }
        for (JWK key : candidates) {
            JWSVerifier verifier = verifierFor(key, header.getAlgorithm());
            try {
                if (verifier != null && jwt.verify(verifier)) {
                    return;
                }
            } catch (JOSEException e) {
                // A key that cannot check this signature is simply not the right key; try the next.
            }
        }
        throw new Rejected("the signature does not verify with the registered keys");
    }

    private static JWSVerifier verifierFor(JWK key, JWSAlgorithm algorithm) {
        try {
            if (JWSAlgorithm.ES384.equals(algorithm) && key instanceof ECKey ec && Curve.P_384.equals(ec.getCurve())) {
                return new ECDSAVerifier(ec);
            }
            if (JWSAlgorithm.RS384.equals(algorithm) && key instanceof RSAKey rsa) {
                return new RSASSAVerifier(rsa);
            }
        } catch (JOSEException e) {
            return null;
        }
        return null;
    }

    static JWTClaimsSet claims(SignedJWT jwt) throws Rejected {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new Rejected("the JWT's claims are not a JSON object");
        }
    }

    /**
     * Checks {@code exp} (required, not past, at most {@code maxLifetime} ahead) and, when present,
     * {@code nbf} and {@code iat} (not in the future), each with {@code skew} of tolerance.
     */
    static Instant checkTimes(JWTClaimsSet claims, Instant now, Duration skew, Duration maxLifetime, boolean iatRequired)
            throws Rejected {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new Rejected("the JWT has no exp");
        }
        Instant expires = exp.toInstant();
        if (expires.plus(skew).isBefore(now)) {
            throw new Rejected("the JWT expired at " + expires);
        }
        if (expires.isAfter(now.plus(maxLifetime).plus(skew))) {
            throw new Rejected("the JWT's exp is more than " + maxLifetime.toMinutes() + " minutes ahead");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw new Rejected("the JWT is not valid before " + nbf.toInstant());
        }
        Date iat = claims.getIssueTime();
        if (iat == null && iatRequired) {
            throw new Rejected("the JWT has no iat");
        }
        if (iat != null && iat.toInstant().minus(skew).isAfter(now)) {
            throw new Rejected("the JWT's iat is in the future");
        }
        return expires;
    }

    static String jti(JWTClaimsSet claims) throws Rejected {
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw new Rejected("the JWT has no jti");
        }
        if (jti.length() > 256) {
            throw new Rejected("the JWT's jti is longer than 256 characters");
        }
        return jti;
    }

    private static String names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().reduce((a, b) -> a + " or " + b).orElse("");
    }
}
