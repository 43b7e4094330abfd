package org.medpolicy.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.text.ParseException;
import java.util.UUID;

/**
 * The server's own key: it signs the access tokens the token endpoint issues (ES384, P-384). Kept
 * out of the repository: read from a file or the environment, or generated on first start into the
 * data folder. Immutable and thread-safe (the Nimbus signer and verifier are).
 */
public final class SigningKey {

    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES384;

    private final ECKey key;
    private final JWSSigner signer;
    private final JWSVerifier verifier;

    private SigningKey(ECKey key) {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the signing key must include its private part");
        }
        if (!Curve.P_384.equals(key.getCurve())) {
            throw new IllegalArgumentException("the signing key must be an EC key on P-384 (for ES384), not " + key.getCurve());
        }
        if (key.getKeyID() == null) {
            throw new IllegalArgumentException("the signing key needs a key id (kid)");
        }
        this.key = key;
        try {
            this.signer = new ECDSASigner(key);
            this.verifier = new ECDSAVerifier(key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable signing key: " + e.getMessage(), e);
        }
    }

    /** A new random key. */
    public static SigningKey generate() {
        try {
            return new SigningKey(new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM)
                    .keyID(UUID.randomUUID().toString()).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-384 key", e);
        }
    }

    /** Reads a private EC P-384 JWK (JSON). */
    public static SigningKey parse(String json) {
        try {
            JWK jwk = JWK.parse(json);
            if (!(jwk instanceof ECKey ec)) {
                throw new IllegalArgumentException("the signing key must be an EC JWK (kty EC, crv P-384)");
            }
            return new SigningKey(ec);
        } catch (ParseException e) {
            throw new IllegalArgumentException("the signing key is not a JWK: " + e.getMessage(), e);
        }
    }

    /** The private JWK as JSON, for the key file. */
    public String toPrivateJson() {
        return key.toJSONString();
    }

    /** The public key set clients may use to check our tokens ({@code /.well-known/jwks.json}). */
    public JWKSet publicJwks() {
        return new JWKSet(key.toPublicJWK());
    }

    public String keyId() {
        return key.getKeyID();
    }

    JWSSigner signer() {
        return signer;
    }

    JWSVerifier verifier() {
        return verifier;
    }
}
