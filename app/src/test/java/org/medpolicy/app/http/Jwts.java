package org.medpolicy.app.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Builds JWTs the way honest and dishonest callers do, for the security tests. Stateless. */
final class Jwts {

    private Jwts() {
    }

    static RSAKey newRsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims valid for five minutes from now, with a fresh jti, then changed by {@code change}. */
    static JWTClaimsSet claims(String issuer, String subject, String audience, UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(240))).jwtID(UUID.randomUUID().toString());
        return change.apply(builder).build();
    }

    static String signed(JWK key, JWTClaimsSet claims) {
        return signed(key, claims, header -> header);
    }

    static String signed(JWK key, JWTClaimsSet claims, UnaryOperator<JWSHeader.Builder> header) {
        try {
            if (key instanceof ECKey ec) {
                SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID())).build(), claims);
                jwt.sign(new ECDSASigner(ec));
                return jwt.serialize();
            }
            SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID())).build(), claims);
            jwt.sign(new RSASSASigner((RSAKey) key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none}: no signature at all. */
    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /**
     * The algorithm-confusion attack: HS256 keyed with the victim's <em>public</em> key, which a
     * verifier that trusts the header's {@code alg} would accept.
     */
    static String hmacWithPublicKey(JWK publicKey, JWTClaimsSet claims) {
        try {
            byte[] secret = ((com.nimbusds.jose.jwk.AsymmetricJWK) publicKey).toPublicKey().getEncoded();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(publicKey.getKeyID()).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
