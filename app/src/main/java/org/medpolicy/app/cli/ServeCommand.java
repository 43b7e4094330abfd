package org.medpolicy.app.cli;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medpolicy.app.http.AccessLog;
import org.medpolicy.app.http.Application;
import org.medpolicy.app.http.MedpolicyServer;
import org.medpolicy.app.http.SecuritySettings;
import org.medpolicy.app.http.ServerSecurity;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcAuditTrail;
import org.medpolicy.store.JdbcClientRegistry;
import org.medpolicy.store.JdbcReplayGuard;
import org.medpolicy.store.JdbcUserDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy serve}: the HTTP server on an embedded H2 file under {@code ./data/} by default,
 * or the database {@code --db} names. Runs until stopped (Ctrl-C or SIGTERM), then finishes the
 * requests in flight and commits the decision log before exiting.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the HTTP server: JSON API, CDS Hooks (Da Vinci CRD), FHIR (DTR), health, metrics.",
                "Every call but health, discovery and metadata needs a token; see `medpolicy clients` and `medpolicy token`."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    StoreOptions store;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = {"Serve HTTPS with this PKCS#12 keystore (its password from MEDPOLICY_TLS_KEYSTORE_PASSWORD",
                    "or the file --tls-password-file names)."})
    Path tlsKeystore;

    @Option(names = "--behind-proxy",
            description = "Trust Forwarded / X-Forwarded-For headers for the client address (only behind a proxy that sets them).")
    boolean behindProxy;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "File holding the keystore password.")
    Path tlsPasswordFile;

    @Option(names = "--public-url", description = "The URL clients reach this server at, for links in responses (default: http://localhost:PORT).")
    String publicUrl;

    @Option(names = "--member-key-file", defaultValue = "./data/member-hash.key",
            description = {"File holding the key that hashes member ids in the decision log (created on first start).",
                    "MEDPOLICY_MEMBER_HASH_KEY (base64, at least 32 bytes) takes precedence."})
    Path memberKeyFile;

    @Option(names = "--zone", description = "The plan's time zone: calendar-day deadlines end at the same local time (default: the system's).")
    java.time.ZoneId zone;

    @Option(names = "--plan-name", defaultValue = "Your Medicare Advantage plan", description = "The plan's name on notices (default: ${DEFAULT-VALUE}).")
    String planName;

    @Option(names = "--host", defaultValue = MedpolicyServer.LOOPBACK,
            description = {"The address to listen on (default: ${DEFAULT-VALUE}, this machine only); 0.0.0.0 for every interface.",
                    "Demo clients are registered only when listening on loopback."})
    String host;

    @Option(names = "--policy-poll-seconds", defaultValue = "5",
            description = "How often to look for newly published policy data (`medpolicy policy publish`); 0 never (default: ${DEFAULT-VALUE}).")
    long pollSeconds;

    @Option(names = "--quiet", description = "Do not write the per-request log lines.")
    boolean quiet;

    @Mixin
    PolicySource policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        java.time.ZoneId planZone = zone == null ? java.time.ZoneId.systemDefault() : zone;
        PolicySet startedWith = policies.set();
        CoverageEngine engine = CoverageEngines.create(policies.load(), startedWith.id(), Clock.systemUTC(), planZone);
        SecuritySettings settings = SecuritySettings.defaults().behindProxy(behindProxy);
        if (tlsKeystore != null) {
            settings = settings.withTls(tlsKeystore, tlsPassword());
        }
        Database db = store.open();
        CommandSocket commands;
        try {
            java.nio.file.Path embedded = StoreOptions.embeddedBase(store.database, Invocation.current());
            commands = embedded == null ? null : CommandSocket.listen(embedded);
        } catch (java.io.IOException e) {
            db.close();
            err.println("medpolicy: " + e.getMessage());
            return ExitCodes.FAULT;
        }
        org.medpolicy.core.log.PhiSeal phi = store.phiSeal(true);
        org.medpolicy.core.log.DeterminationLog log = new org.medpolicy.core.log.SealedDeterminationLog(
                new org.medpolicy.store.JdbcDeterminationLog(db), phi);
        JdbcAuditTrail audit = new JdbcAuditTrail(db);
        JdbcReplayGuard replays = new JdbcReplayGuard(db, Clock.systemUTC());
        String url = publicUrl == null ? (tlsKeystore == null ? "http" : "https") + "://localhost:" + port : publicUrl;
        Application application;
        String demo;
        try {
            JdbcClientRegistry registry = new JdbcClientRegistry(db);
            // Demo clients (keys on disk, all scopes) only where no one else can reach the server:
            // registered only on loopback, and a server that others can reach does not start while they are active.
            boolean loopback = isLoopback(host);
            List<String> demoClients = store.isEmbedded() ? DemoClient.active(registry) : List.of();
            if (!loopback && !demoClients.isEmpty()) {
                throw new IllegalStateException("the demo client" + (demoClients.size() == 1 ? " " : "s ") + String.join(" and ", demoClients)
                        + " (every scope, private keys on disk) must not be reachable from " + host + ": revoke "
                        + (demoClients.size() == 1 ? "it" : "them") + " first (medpolicy clients revoke --id "
                        + String.join(", then --id ", demoClients) + ")");
            }
            demo = store.isEmbedded() && loopback ? DemoClient.registerIfFresh(registry, store.signingKeyFile.toAbsolutePath().normalize().getParent()) : null;
            JdbcUserDirectory users = new JdbcUserDirectory(db);
            ServerSecurity security = ServerSecurity.create(registry, replays, audit, users, users,
                    new org.medpolicy.store.JdbcSignInFailures(db), store.signingKey(true), url, Clock.systemUTC(), Duration.ofSeconds(5), settings);
            application = Application.assemble(db, log, phi, security, engine, startedWith, new MemberKeyHasher(memberKey()),
                    new Application.Options(url, planName, quiet ? AccessLog.disabled() : new AccessLog(System.out, true),
                            "serve (" + policies.describe() + ")", Duration.ofSeconds(pollSeconds), org.medpolicy.app.outbound.EndpointRule.publicHttps(),
                            line -> {
                                err.println("medpolicy: " + line);
                                err.flush();
                            }));
            application.server().start(host, port);
        } catch (RuntimeException e) {
            if (commands != null) {
                commands.close();
            }
            replays.close();
            audit.close();
            log.close();
            db.close();
            err.println("medpolicy: cannot start the server on port " + port + ": " + rootMessage(e));
            return ExitCodes.FAULT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable shutdown = () -> {
            if (closing.compareAndSet(false, true)) {
                try {
                    application.close();   // drains the calls under way first
                    if (commands != null) {
                        commands.close();   // and the commands a CLI sent
                    }
                    log.close();
                    replays.close();
                    audit.close();
                    db.close();
                } finally {
                    stopped.countDown();   // even if a close failed: the process must still exit
                }
            }
        };
        stopOnSignals(shutdown, stopped);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "medpolicy-shutdown"));
        err.printf("medpolicy %s serving on %s (policies: %s, data %s; database: %s)%n",
                org.medpolicy.core.EngineVersion.get(), url, policies.describe(), startedWith.shortId(), db.url().replaceAll(";.*", ""));
        if (demo != null) {
            err.println(demo);
        }
        String urlOption = publicUrl == null && port == 8080 && tlsKeystore == null ? "" : " --public-url " + url;
        err.printf("Try: TOKEN=$(./medpolicy token --client demo%s)%n"
                + "     curl -s -X POST %s/v1/determinations -H \"Authorization: Bearer $TOKEN\" "
                + "-H 'Content-Type: application/json' -d @examples/01-til-term.json%n", urlOption, url);
        err.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * SIGTERM and SIGINT stop the server in order: drain the calls under way, then close the store.
     * Why not only a shutdown hook: the JVM runs hooks all at once, and the embedded H2 database
     * registers its own, which closed the database while calls were still being answered (16
     * errors for one SIGTERM under load). Handling the signal ourselves finishes our shutdown
     * before the JVM's begins; the hook stays for every other way out.
     */
    @SuppressWarnings("restriction")
    private static void stopOnSignals(Runnable shutdown, CountDownLatch stopped) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    shutdown.run();
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError notHere) {
                // No such signal on this platform, or signals not available: the shutdown hook stops it.
            }
        }
    }

    private char[] tlsPassword() throws IOException {
        String fromEnvironment = System.getenv("MEDPOLICY_TLS_KEYSTORE_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        return tlsPasswordFile == null ? new char[0] : Files.readString(tlsPasswordFile).strip().toCharArray();
    }

    private byte[] memberKey() throws IOException {
        String fromEnvironment = System.getenv("MEDPOLICY_MEMBER_HASH_KEY");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Base64.getDecoder().decode(fromEnvironment.strip());
        }
        if (Files.exists(memberKeyFile)) {
            return Base64.getDecoder().decode(Files.readString(memberKeyFile).strip());
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        StoreOptions.writeSecret(memberKeyFile, Base64.getEncoder().encodeToString(key));
        return key;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
