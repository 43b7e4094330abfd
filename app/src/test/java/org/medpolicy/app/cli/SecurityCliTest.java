package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medpolicy.security.AccessTokens;
import org.medpolicy.security.AuthenticationException;
import org.medpolicy.security.Caller;
import org.medpolicy.security.SigningKey;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcClientRegistry;

/** {@code medpolicy clients}, {@code token} and {@code assertion} as an operator runs them, against a real database. */
class SecurityCliTest {

    @TempDir
    Path folder;
    String db;
    String keyFile;
    Path publicJwks;
    Path privateJwk;
    ECKey key;

    @BeforeEach
    void setUp() throws Exception {
        db = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        keyFile = folder.resolve("signing.jwk").toString();
        Files.writeString(Path.of(keyFile), SigningKey.generate().toPrivateJson());
        key = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
        publicJwks = folder.resolve("public.json");
        Files.writeString(publicJwks, new JWKSet(key.toPublicJWK()).toString(true));
        privateJwk = folder.resolve("private.json");
        Files.writeString(privateJwk, key.toJSONString());
    }

    CliTest.Run run(String... args) {
        String[] withStore = new String[args.length + 4];
        System.arraycopy(args, 0, withStore, 0, args.length);
        withStore[args.length] = "--db";
        withStore[args.length + 1] = db;
        withStore[args.length + 2] = "--signing-key-file";
        withStore[args.length + 3] = keyFile;
        return CliTest.run(withStore);
    }

    @Test
    void addListTokenRevoke() throws Exception {
        CliTest.Run added = run("clients", "add", "--id", "payer-gateway", "--jwks-file", publicJwks.toString(),
                "--scopes", "system/Claim.write system/ClaimResponse.read", "--rate", "50");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("registered backend client 'payer-gateway'");

        CliTest.Run listed = run("clients", "list");
        assertThat(listed.out()).contains("payer-gateway").contains("BACKEND").contains("active").contains("50")
                .contains("system/Claim.write");

        CliTest.Run minted = run("token", "--client", "payer-gateway", "--scopes", "system/Claim.write system/audit.read");
        assertThat(minted.exit()).as(minted.err()).isZero();
        String token = minted.out().strip();
        Caller caller;
        try (Database database = Database.open(db, null, null)) {
            AccessTokens tokens = new AccessTokens(SigningKey.parse(Files.readString(Path.of(keyFile))), "http://localhost:8080",
                    new JdbcClientRegistry(database), Clock.systemUTC());
            caller = tokens.verify(token);
        }
        assertThat(caller.clientId()).isEqualTo("payer-gateway");
        assertThat(caller.scopes().toString()).as("only what it may have").isEqualTo("system/Claim.write");

        assertThat(run("clients", "revoke", "--id", "payer-gateway").exit()).isZero();
        assertThat(run("clients", "list").out()).contains("revoked");
        CliTest.Run refused = run("token", "--client", "payer-gateway");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("no active backend client");
        assertThat(run("clients", "revoke", "--id", "payer-gateway").exit()).as("revoking twice").isEqualTo(2);
        try (Database database = Database.open(db, null, null)) {
            AccessTokens tokens = new AccessTokens(SigningKey.parse(Files.readString(Path.of(keyFile))), "http://localhost:8080",
                    new JdbcClientRegistry(database), Clock.systemUTC());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void anEhrWithIssuerAndJku() {
        CliTest.Run added = run("clients", "add", "--id", "epic-prod", "--cds-hooks-issuer", "https://ehr.example.org",
                "--jwks-file", publicJwks.toString(), "--jku", "https://ehr.example.org/.well-known/jwks.json");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("registered ehr client 'epic-prod' for issuer https://ehr.example.org");
        assertThat(run("clients", "list").out()).contains("EHR").contains("https://ehr.example.org");
        assertThat(run("token", "--client", "epic-prod").exit()).as("EHRs get no access tokens").isEqualTo(2);
    }

    @Test
    void anEhrsFhirServersAreRegisteredPublicUnlessSaidPrivate() {
        CliTest.Run refused = run("clients", "add", "--id", "ehr-a", "--cds-hooks-issuer", "https://a.example.org",
                "--jwks-file", publicJwks.toString(), "--fhir-server", "http://127.0.0.1:9000/fhir");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("must be https");
        CliTest.Run added = run("clients", "add", "--id", "ehr-a", "--cds-hooks-issuer", "https://a.example.org",
                "--jwks-file", publicJwks.toString(), "--fhir-server", "http://127.0.0.1:9000/fhir", "--private-fhir-server");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("reading from private: http://127.0.0.1:9000/fhir");
        assertThat(run("clients", "list").out()).contains("(FHIR private: http://127.0.0.1:9000/fhir)");

        CliTest.Run loopback = run("clients", "fhir-servers", "--id", "ehr-a", "--fhir-server", "https://127.0.0.1/fhir");
        assertThat(loopback.exit()).isEqualTo(2);
        assertThat(loopback.err()).contains("not a public address");
        CliTest.Run cleared = run("clients", "fhir-servers", "--id", "ehr-a");
        assertThat(cleared.exit()).as(cleared.err()).isZero();
        assertThat(cleared.out()).contains("no FHIR server");
        assertThat(run("clients", "list").out()).doesNotContain("127.0.0.1");
        assertThat(run("clients", "fhir-servers", "--id", "nobody").exit()).isEqualTo(2);

        CliTest.Run version = run("clients", "versions", "--id", "ehr-a", "--crd", "2.0.1", "--dtr", "2.2");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).contains("answered in CRD 2.0, DTR 2.2");
        assertThat(run("clients", "list").out()).contains("(CRD 2.0, DTR 2.2)");
        CliTest.Run unserved = run("clients", "versions", "--id", "ehr-a", "--crd", "2.1");
        assertThat(unserved.exit()).isEqualTo(2);
        assertThat(unserved.err()).contains("medpolicy answers CRD 2.0 and 2.2, not 2.1");
        assertThat(run("clients", "versions", "--id", "ehr-a", "--dtr", "latest").out()).contains("CRD 2.0 (the latest otherwise)");
        assertThat(run("clients", "versions", "--id", "ehr-a", "--crd", "latest").out()).contains("the latest versions");
        assertThat(run("clients", "list").out()).doesNotContain("(CRD");
    }

    @Test
    void aClientIsRegisteredForTheOrganizationsItActsForAndTheyCanBeChanged() {
        CliTest.Run added = run("clients", "add", "--id", "clearinghouse", "--jwks-file", publicJwks.toString(),
                "--scopes", "system/Claim.write system/ClaimResponse.read", "--org-identifier", "1234567893", "--org-identifier", "8189991234");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("acting for NPI 1234567893, 8189991234");
        assertThat(run("clients", "list").out()).contains("1234567893,8189991234");

        CliTest.Run changed = run("clients", "organizations", "--id", "clearinghouse", "--org-identifier", "1111111112");
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.out()).contains("acts for NPI 1111111112");
        assertThat(run("clients", "list").out()).contains("1111111112").doesNotContain("8189991234");

        CliTest.Run bad = run("clients", "organizations", "--id", "clearinghouse", "--org-identifier", "nope");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("NPI");
        assertThat(run("clients", "list").out()).as("unchanged").contains("1111111112");
        assertThat(run("clients", "organizations", "--id", "nobody").exit()).isEqualTo(2);

        CliTest.Run none = run("clients", "organizations", "--id", "clearinghouse");
        assertThat(none.out()).contains("acts for no organization");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "private key in the JWKS      | --id x --jwks-file PRIVATE --scopes system/determinations.write | private key",
            "backend without scopes       | --id x --jwks-file PUBLIC                                       | needs --scopes",
            "EHR with scopes              | --id x --jwks-file PUBLIC --cds-hooks-issuer https://e --scopes system/Claim.write | give no --scopes",
            "not a system scope           | --id x --jwks-file PUBLIC --scopes patient/*.read               | not a system scope",
            "bad id                       | --id bad/id --jwks-file PUBLIC --scopes system/Claim.write      | client id",
            "missing file                 | --id x --jwks-file /nonexistent.json --scopes system/Claim.write | nonexistent",
            "jku for a backend client     | --id x --jwks-file PUBLIC --scopes system/Claim.write --jku https://k | --jku is for EHRs",
            "an organization not an NPI   | --id x --jwks-file PUBLIC --scopes system/Claim.write --org-identifier 12-34 | NPI (10 digits)",
            "an EHR for an organization   | --id x --jwks-file PUBLIC --cds-hooks-issuer https://e --org-identifier 1234567893 | backend clients"})
    void badRegistrationsAreRefusedAndStoreNothing(String why, String arguments, String message) {
        String[] args = ("clients add " + arguments.replace("PRIVATE", privateJwk.toString()).replace("PUBLIC", publicJwks.toString()))
                .split(" ");
        CliTest.Run refused = run(args);
        assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains(message);
        assertThat(run("clients", "list").out().lines().count()).as("only the header line").isEqualTo(1);
    }

    @Test
    void duplicatesAndOverlongTokensAreRefused() {
        assertThat(run("clients", "add", "--id", "a", "--jwks-file", publicJwks.toString(), "--scopes", "system/Claim.write").exit()).isZero();
        CliTest.Run duplicate = run("clients", "add", "--id", "a", "--jwks-file", publicJwks.toString(), "--scopes", "system/Claim.write");
        assertThat(duplicate.exit()).isEqualTo(2);
        assertThat(duplicate.err()).contains("already registered");
        CliTest.Run tooLong = run("token", "--client", "a", "--lifetime", "PT2H");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.err()).contains("60 minutes");
    }

    @Test
    void theTokenCommandNeedsTheServersKey() throws Exception {
        assertThat(run("clients", "add", "--id", "a", "--jwks-file", publicJwks.toString(), "--scopes", "system/Claim.write").exit()).isZero();
        Files.delete(Path.of(keyFile));
        CliTest.Run refused = run("token", "--client", "a");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("no signing key");
    }

    @Test
    void anAssertionIsSignedWithTheClientsKey() throws Exception {
        CliTest.Run signed = CliTest.run("assertion", "--client", "payer-gateway", "--key-file", privateJwk.toString(),
                "--aud", "https://medpolicy.example/auth/token");
        assertThat(signed.exit()).as(signed.err()).isZero();
        SignedJWT jwt = SignedJWT.parse(signed.out().strip());
        assertThat(jwt.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES384");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("payer-gateway");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("payer-gateway");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("https://medpolicy.example/auth/token");
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
        assertThat(CliTest.run("assertion", "--client", "x", "--key-file", publicJwks.toString()).exit()).isEqualTo(2);
    }

    @Test
    void keygenMakesAPairThatRegistersAndSigns() throws Exception {
        Path privateKey = folder.resolve("made.jwk");
        CliTest.Run made = CliTest.run("clients", "keygen", "--out", privateKey.toString());
        assertThat(made.exit()).isZero();
        Path publicSet = folder.resolve("made-public.json");
        Files.writeString(publicSet, made.out());
        assertThat(made.out()).doesNotContain("\"d\"");
        assertThat(Files.getPosixFilePermissions(privateKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(run("clients", "add", "--id", "made", "--jwks-file", publicSet.toString(), "--scopes", "system/Claim.write").exit())
                .isZero();
        CliTest.Run three = CliTest.run("assertion", "--client", "made", "--key-file", privateKey.toString(), "--count", "3");
        assertThat(three.out().lines().distinct().count()).isEqualTo(3);
        SignedJWT jwt = SignedJWT.parse(three.out().lines().findFirst().orElseThrow());
        assertThat(jwt.verify(new ECDSAVerifier(ECKey.parse(Files.readString(privateKey)).toECPublicKey()))).isTrue();
        assertThat(CliTest.run("clients", "keygen", "--rsa", "--out", folder.resolve("rsa.jwk").toString()).out()).contains("\"RSA\"");
    }

    @Test
    void aFreshEmbeddedDatabaseGetsTheDemoClientOnce() throws Exception {
        try (Database database = Database.open(db, null, null)) {
            JdbcClientRegistry registry = new JdbcClientRegistry(database);
            Path demoKey = folder.resolve("demo-client.jwk");
            assertThat(DemoClient.registerIfFresh(registry, folder)).contains("registered the backend client 'demo'");
            assertThat(registry.findByIssuer("demo-ehr")).isPresent();
            assertThat(Files.exists(folder.resolve("demo-ehr.jwk"))).isTrue();
            assertThat(registry.find("demo")).hasValueSatisfying(demo -> assertThat(demo.scopes().grants("system/audit.read")).isTrue());
            assertThat(Files.getPosixFilePermissions(demoKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(ECKey.parse(Files.readString(demoKey)).isPrivate()).isTrue();
            assertThat(DemoClient.registerIfFresh(registry, folder)).isNull();
        }
    }
}
