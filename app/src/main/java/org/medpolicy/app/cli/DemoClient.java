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
 * The demo clients a fresh embedded database gets, so that the README's first commands work without
 * registering anything: a backend client {@code demo} with every scope but reading other clients'
 * determinations, a generous rate, acting for the provider organization of the Da Vinci PAS test
 * kit's fixtures (NPI {@value #KIT_PROVIDER_NPI}), and an
 * EHR {@code demo-ehr} for CDS Hooks; their private keys are written (owner-readable only) beside the
 * database, for trying the SMART token exchange and signing hook JWTs. Never on PostgreSQL: a
 * production registry starts empty.
 */
final class DemoClient {

    static final String ID = "demo";
    static final String SCOPES = "system/determinations.write system/determinations.read system/policies.read "
            + "system/Questionnaire.read system/Claim.write system/ClaimResponse.read system/metrics.read system/audit.read "
            + "system/cases.write system/cases.read system/reports.read";

    /** The NPI of the requesting provider (UMOExample) in the PAS test kit's request Bundles. */
    static final String KIT_PROVIDER_NPI = "8189991234";

    private DemoClient() {
    }

    static final String EHR_ID = "demo-ehr";

    /** The demo clients registered and not revoked, by id. */
    static List<String> active(ClientRegistry registry) {
        return java.util.stream.Stream.of(ID, EHR_ID)
                .filter(id -> registry.find(id).filter(client -> !client.isRevoked()).isPresent()).toList();
    }

    /**
     * Registers the demo backend client and the demo EHR (CDS Hooks issuer {@code demo-ehr}) if no
     * client was ever registered; their private keys go to {@code demo-client.jwk} and
     * {@code demo-ehr.jwk} in {@code folder}. Returns what to tell the user, or null.
     */
    static String registerIfFresh(ClientRegistry registry, Path folder) {
        if (!registry.isEmpty()) {
            return null;
        }
        Path backendKey = folder.resolve("demo-client.jwk");
        Path ehrKey = folder.resolve("demo-ehr.jwk");
        try {
            registry.register(new Client(ID, Client.Kind.BACKEND, null, newKey(backendKey), List.of(),
                    Scopes.parse(SCOPES), 1_000, 2_000, Instant.now(), null, List.of(KIT_PROVIDER_NPI)));
            registry.register(new Client(EHR_ID, Client.Kind.EHR, EHR_ID, newKey(ehrKey), List.of(), Scopes.none(), 1_000, 2_000,
                    Instant.now(), null));
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException("cannot create the demo clients: " + e.getMessage(), e);
        }
        return "Fresh embedded database: registered the backend client 'demo' (all scopes; private key " + backendKey
                + ") and the EHR 'demo-ehr' (CDS Hooks issuer demo-ehr; private key " + ehrKey + ").";
    }

    /** A new P-384 key: the private half to {@code file} (owner-readable only), the public half returned as a set. */
    private static JWKSet newKey(Path file) throws JOSEException, IOException {
        ECKey key = new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
                .keyID(file.getFileName().toString().replace(".jwk", "") + "-1").generate();
        StoreOptions.writeSecret(file, key.toJSONString());
        return new JWKSet(key.toPublicJWK());
    }
}
