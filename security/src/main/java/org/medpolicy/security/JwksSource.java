package org.medpolicy.security;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;

/** Fetches the JWKS a CDS Hooks JWT's {@code jku} names. Implementations are thread-safe. */
@FunctionalInterface
public interface JwksSource {

    JWKSet fetch(URI jku) throws IOException;
}
