package org.medpolicy.app.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy assertion --client ID --key-file JWK --aud URL}: signs the client assertion a
 * SMART backend client posts to the token endpoint ({@code --aud} the token URL), or the JWT an EHR
 * sends with a CDS Hooks call ({@code --client} its issuer, {@code --aud} the service URL): both are
 * iss, sub, aud, iat, exp, jti. For trying things by hand and for integrators checking their own
 * implementation against ours; a real client signs its own.
 */
@Command(name = "assertion", mixinStandardHelpOptions = true,
        description = {"Print a signed JWT (4 minutes, fresh jti): a SMART client assertion for the token endpoint,",
                "or, with --aud a CDS service URL and --client the EHR's issuer, a CDS Hooks JWT.",
                "ES384 for an EC P-384 key, RS384 for an RSA key."})
final class AssertionCommand implements Callable<Integer> {

    @Option(names = "--client", required = true, description = "Client id (iss and sub).")
    String clientId;

    @Option(names = "--key-file", required = true, description = "The client's private JWK.")
    Path keyFile;

    @Option(names = "--aud", defaultValue = "http://localhost:8080/auth/token", description = "Token endpoint URL (default: ${DEFAULT-VALUE}).")
    String audience;

    @Option(names = "--count", defaultValue = "1", description = "How many JWTs to print, one per line, each with its own jti (load tests).")
    int count;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JWK key;
        JWSSigner signer;
        JWSAlgorithm algorithm;
        try {
            key = JWK.parse(Files.readString(keyFile));
            if (key instanceof ECKey ec && ec.isPrivate()) {
                signer = new ECDSASigner(ec);
                algorithm = JWSAlgorithm.ES384;
            } else if (key instanceof RSAKey rsa && rsa.isPrivate()) {
                signer = new RSASSASigner(rsa);
                algorithm = JWSAlgorithm.RS384;
            } else {
                throw new IllegalArgumentException("the key file must hold a private EC (P-384) or RSA JWK");
            }
        } catch (java.io.IOException | java.text.ParseException | JOSEException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("medpolicy assertion: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Instant now = Instant.now();
        JWSHeader header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build();
        var out = spec.commandLine().getOut();
        for (int i = 0; i < count; i++) {
            SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(240))).jwtID(UUID.randomUUID().toString()).build());
            jwt.sign(signer);
            out.println(jwt.serialize());
        }
        return ExitCodes.OK;
    }
}
