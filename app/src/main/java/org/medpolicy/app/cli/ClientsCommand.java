package org.medpolicy.app.cli;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.security.Client;
import org.medpolicy.security.FhirServers;
import org.medpolicy.security.GuideVersions;
import org.medpolicy.security.Scopes;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcClientRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy clients add|list|organizations|fhir-servers|versions|revoke}: the registry of backend services and EHRs, in the same
 * database the server uses (a running embedded server included: H2 lets a second process in).
 */
@Command(name = "clients", mixinStandardHelpOptions = true, description = "Register, list and revoke API clients.",
        subcommands = {ClientsCommand.Add.class, ClientsCommand.ListClients.class, ClientsCommand.Organizations.class, ClientsCommand.FhirServerBases.class, ClientsCommand.Versions.class,
                ClientsCommand.Revoke.class, ClientsCommand.Keygen.class})
final class ClientsCommand extends CommandGroup {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Register a backend service (--scopes) or an EHR calling CDS Hooks (--cds-hooks-issuer).",
                    "The JWKS file holds the client's public keys; private keys are refused."})
    static final class Add implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Client id (the iss and sub of its assertions).")
        String id;
        @Option(names = "--jwks-file", required = true, description = "JSON Web Key Set with the client's public keys.")
        Path jwksFile;
        @Option(names = "--scopes", description = "Scopes a backend client may be granted, e.g. \"system/determinations.write\".")
        String scopes;
        @Option(names = "--cds-hooks-issuer", description = "The iss of the EHR's CDS Hooks JWTs: registers an EHR.")
        String issuer;
        @Option(names = "--jku", description = "A JWKS URL the EHR may name in its JWTs' jku header (repeatable).")
        List<URI> jku = List.of();
        @Option(names = "--rate", defaultValue = "" + Client.DEFAULT_RATE_PER_SECOND, description = {"Tokens per second (default: ${DEFAULT-VALUE}): a call takes 1,",
                "a CDS Hooks call or PAS submission 10, an inquiry, questionnaire package, replay or subscription 5."})
        int rate;
        @Option(names = "--burst", defaultValue = "" + Client.DEFAULT_BURST, description = "Tokens at once (default: ${DEFAULT-VALUE}).")
        int burst;
        @Option(names = "--org-identifier", paramLabel = "NPI", description = {"The NPI of a provider organization the backend",
                "client acts for (repeatable): it may submit PAS requests and subscribe only for these."})
        List<String> organizations = List.of();
        @Mixin
        FhirServerOptions fhirServers;
        @Option(names = "--crd-version", paramLabel = "MAJOR.MINOR", description = {"The CRD version (2.0 or 2.2) the EHR's hook calls",
                "are answered in when they request none (default: the latest)."})
        String crdVersion;
        @Option(names = "--dtr-version", paramLabel = "MAJOR.MINOR", description = {"The DTR version (2.0 or 2.2) the client's",
                "questionnaire packages are named for when it declares none (default: 2.0.1's PackageBundle)."})
        String dtrVersion;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            Client client;
            try {
                JWKSet keys = readKeys(Files.readString(jwksFile));
                boolean ehr = issuer != null;
                if (ehr && scopes != null) {
                    throw new IllegalArgumentException("an EHR (--cds-hooks-issuer) is authorized by the hook it calls: give no --scopes");
                }
                if (!ehr && (scopes == null || scopes.isBlank())) {
                    throw new IllegalArgumentException("a backend client needs --scopes (or --cds-hooks-issuer for an EHR)");
                }
                if (!ehr && !jku.isEmpty()) {
                    throw new IllegalArgumentException("--jku is for EHRs (CDS Hooks); a backend client registers its keys with --jwks-file");
                }
                client = new Client(id, ehr ? Client.Kind.EHR : Client.Kind.BACKEND, issuer, keys, jku,
                        ehr ? Scopes.none() : Scopes.parse(scopes), rate, burst, Instant.now(), null, organizations,
                        fhirServers.registering(), new GuideVersions(servedCrdVersion(crdVersion), servedDtrVersion(dtrVersion)));
            } catch (java.io.IOException | java.text.ParseException | IllegalArgumentException e) {
                err.println("medpolicy clients add: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            try (Database database = store.open()) {
                new JdbcClientRegistry(database).register(client);
            } catch (IllegalArgumentException e) {
                err.println("medpolicy clients add: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().printf("registered %s client '%s'%s%n", client.kind().name().toLowerCase(java.util.Locale.ROOT),
                    client.id(), client.kind() == Client.Kind.EHR ? " for issuer " + client.issuer()
                            + (client.fhirServers().bases().isEmpty() ? "" : ", reading from " + client.fhirServers().describe())
                            + (client.versions().describe().isEmpty() ? "" : ", answered in " + client.versions().describe())
                            : " with scopes " + client.scopes()
                            + (client.organizations().isEmpty() ? ", acting for no organization" : ", acting for NPI "
                            + String.join(", ", client.organizations())));
            return ExitCodes.OK;
        }
    }

    /** {@code version} when medpolicy answers in it (null stays null: the latest). */
    static String servedCrdVersion(String version) {
        if (version == null) {
            return null;
        }
        return org.medpolicy.fhir.crd.CrdVersion.parse(version).map(org.medpolicy.fhir.crd.CrdVersion::majorMinor)
                .orElseThrow(() -> new IllegalArgumentException("medpolicy answers CRD 2.0 and 2.2, not " + version));
    }

    /**
     * Applies {@code change} to the active client {@code id} in the store; says on {@code err} why
     * not (no such client, or the change breaks a rule of the client) and returns false then.
     */
    static boolean change(StoreOptions store, String command, String id, java.util.function.UnaryOperator<Client> change,
                          java.io.PrintWriter err) throws java.io.IOException {
        try (Database database = store.open()) {
            if (new JdbcClientRegistry(database).change(id, change)) {
                return true;
            }
            err.println("medpolicy clients " + command + ": no active client has id '" + id + "'");
        } catch (IllegalArgumentException e) {
            err.println("medpolicy clients " + command + ": " + e.getMessage());
        }
        return false;
    }

    /** {@code version} when medpolicy serves that DTR version (null stays null). */
    static String servedDtrVersion(String version) {
        if (version == null) {
            return null;
        }
        if (!version.matches("2\\.[02](\\.[0-9]+)?")) {
            throw new IllegalArgumentException("medpolicy answers DTR 2.0 and 2.2, not " + version);
        }
        return version;
    }

    @Command(name = "versions", mixinStandardHelpOptions = true,
            description = {"Set the guide versions a client is answered in when its calls do not say: --crd for an EHR's hook calls",
                    "(when they carry no davinci-crd.requestedVersion), --dtr for questionnaire packages (when the input Parameters",
                    "declare no DTR profile). 'latest' clears one. Takes effect within seconds on a running server."})
    static final class Versions implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Client id.")
        String id;
        @Option(names = "--crd", paramLabel = "MAJOR.MINOR", description = "2.0, 2.2 or latest.")
        String crd;
        @Option(names = "--dtr", paramLabel = "MAJOR.MINOR", description = "2.0, 2.2 or latest.")
        String dtr;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            GuideVersions[] set = new GuideVersions[1];
            String newCrd;
            String newDtr;
            try {
                newCrd = crd == null || crd.equals("latest") ? null : servedCrdVersion(crd);
                newDtr = dtr == null || dtr.equals("latest") ? null : servedDtrVersion(dtr);
            } catch (IllegalArgumentException e) {
                err.println("medpolicy clients versions: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            boolean changed = change(store, "versions", id, client -> {
                GuideVersions versions = client.versions();
                versions = crd == null ? versions : versions.withCrd(newCrd);
                versions = dtr == null ? versions : versions.withDtr(newDtr);
                set[0] = versions;
                return client.withVersions(versions);
            }, err);
            if (!changed) {
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().println("client '" + id + "' is answered in "
                    + (set[0].describe().isEmpty() ? "the latest versions" : set[0].describe() + " (the latest otherwise)")
                    + " when its calls do not say");
            return ExitCodes.OK;
        }
    }

    /** The FHIR servers an EHR is read from, as {@code add} and {@code fhir-servers} take them. */
    static final class FhirServerOptions {
        @Option(names = "--fhir-server", paramLabel = "URL", description = {"A FHIR server base the EHR's hook calls may name as",
                "fhirServer (repeatable): medpolicy reads what prefetch lacks from it, with the call's token. https and public only,",
                "unless --private-fhir-server."})
        List<URI> bases = List.of();
        @Option(names = "--private-fhir-server", description = "Allow the --fhir-server URLs to be http or on loopback/private addresses.")
        boolean privateAddresses;

        FhirServers registering() {
            return FhirServers.registering(bases, privateAddresses);
        }
    }

    /** A JWK Set, or a single JWK (taken as a set of one). */
    static JWKSet readKeys(String json) throws java.text.ParseException {
        return json.contains("\"keys\"") ? JWKSet.parse(json) : new JWKSet(com.nimbusds.jose.jwk.JWK.parse(json));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered clients (revoked ones marked).")
    static final class ListClients implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            try (Database database = store.open()) {
                out.printf("%-24s %-8s %-10s %-9s %-24s %s%n", "ID", "KIND", "STATUS", "RATE/S", "ORGANIZATIONS", "SCOPES OR ISSUER");
                for (Client client : new JdbcClientRegistry(database).list()) {
                    out.printf("%-24s %-8s %-10s %-9d %-24s %s%n", client.id(), client.kind(), client.isRevoked() ? "revoked" : "active",
                            client.ratePerSecond(), client.organizations().isEmpty() ? "-" : String.join(",", client.organizations()),
                            client.kind() == Client.Kind.EHR ? client.issuer() + (client.fhirServers().bases().isEmpty() ? ""
                                    : " (FHIR " + client.fhirServers().describe() + ")")
                                    + (client.versions().describe().isEmpty() ? "" : " (" + client.versions().describe() + ")")
                                    : client.scopes() + (client.versions().describe().isEmpty() ? "" : " (" + client.versions().describe() + ")"));
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "organizations", mixinStandardHelpOptions = true,
            description = {"Set the provider organizations (NPIs) a backend client acts for, replacing those it had;",
                    "with none, it may no longer submit PAS requests or subscribe. Takes effect within seconds on a running server."})
    static final class Organizations implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Client id.")
        String id;
        @Option(names = "--org-identifier", paramLabel = "NPI", description = "An NPI the client acts for (repeatable).")
        List<String> organizations = List.of();
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (!change(store, "organizations", id, client -> client.withOrganizations(organizations), spec.commandLine().getErr())) {
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().println("client '" + id + "' acts for "
                    + (organizations.isEmpty() ? "no organization" : "NPI " + String.join(", ", organizations)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "fhir-servers", mixinStandardHelpOptions = true,
            description = {"Set the FHIR servers an EHR's hook calls may have medpolicy read from, replacing those it had;",
                    "with none, nothing is fetched for it. Takes effect within seconds on a running server."})
    static final class FhirServerBases implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Client id (an EHR).")
        String id;
        @Mixin
        FhirServerOptions fhirServers;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FhirServers servers;
            try {
                servers = fhirServers.registering();
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("medpolicy clients fhir-servers: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (!change(store, "fhir-servers", id, client -> client.withFhirServers(servers), spec.commandLine().getErr())) {
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().println("client '" + id + "' is read from "
                    + (servers.bases().isEmpty() ? "no FHIR server" : servers.describe()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a client: its tokens stop working (within seconds on a running server) and it gets no new ones.")
    static final class Revoke implements Callable<Integer> {
        @Option(names = "--id", required = true, description = "Client id.")
        String id;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Database database = store.open()) {
                if (!new JdbcClientRegistry(database).revoke(id, Instant.now())) {
                    spec.commandLine().getErr().println("medpolicy clients revoke: no active client has id '" + id + "'");
                    return ExitCodes.BAD_INPUT;
                }
            }
            spec.commandLine().getOut().println("revoked client '" + id + "'");
            return ExitCodes.OK;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Make a key pair for a client: the private JWK to --out (owner-readable only), the public JWK Set",
                    "to stdout (what `clients add --jwks-file` takes). For tests and trials; a real client makes its own."})
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "File for the private JWK.")
        Path out;
        @Option(names = "--rsa", description = "RSA 2048 for RS384 (default: EC P-384 for ES384).")
        boolean rsa;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String keyId = "k-" + java.util.UUID.randomUUID().toString().substring(0, 8);
            com.nimbusds.jose.jwk.JWK key = rsa
                    ? new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID(keyId).generate()
                    : new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_384).keyID(keyId).generate();
            StoreOptions.writeSecret(out, key.toJSONString());
            spec.commandLine().getOut().println(new JWKSet(key.toPublicJWK()).toString(true));
            return ExitCodes.OK;
        }
    }
}
