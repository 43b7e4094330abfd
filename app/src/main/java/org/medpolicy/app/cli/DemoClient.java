package org.medpolicy.app.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.medpolicy.security.Client;
import org.medpolicy.security.ClientRegistry;
import org.medpolicy.security.Scopes;

/**
 * The {@code demo} client a fresh embedded database gets, so that the README's first commands work
 * without registering anything: every scope, a generous rate, and its private key written (owner
 * readable only) beside the database for trying the full SMART token exchange. Never on PostgreSQL:
 * a production registry starts empty.
 */
final class DemoClient {

    static final String ID = "demo";
    static final String SCOPES = "system/determinations.write system/determinations.read system/policies.read "
            + "system/Questionnaire.read system/Claim.write system/ClaimResponse.read system/metrics.read system/audit.read";

    private DemoClient() {
    }

    /** Registers the demo client if no client was ever registered; returns what to tell the user, or null. */
    static String registerIfFresh(ClientRegistry registry, Path privateKeyFile) {
        if (!registry.isEmpty()) {
            return null;
        }
        try {
            ECKey key = new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
                    .keyID("demo-1").generate();
            StoreOptions.writeSecret(privateKeyFile, key.toJSONString());
            registry.register(new Client(ID, Client.Kind.BACKEND, null, new JWKSet(key.toPublicJWK()), List.of(),
                    Scopes.parse(SCOPES), 1_000, 2_000, Instant.now(), null));
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException("cannot create the demo client: " + e.getMessage(), e);
        }
        return "Fresh embedded database: registered the client 'demo' (all scopes; private key in " + privateKeyFile + ").";
    }
}
