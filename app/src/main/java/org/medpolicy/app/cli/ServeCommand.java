package org.medpolicy.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.medpolicy.app.http.AccessLog;
import org.medpolicy.app.http.MedpolicyServer;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;
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
        description = "Start the HTTP server: JSON API, CDS Hooks (Da Vinci CRD), health, metrics.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--db", defaultValue = "jdbc:h2:file:./data/medpolicy",
            description = {"Database URL (default: ${DEFAULT-VALUE}).",
                    "jdbc:postgresql://HOST:PORT/DB takes its user and password from MEDPOLICY_DB_USER and MEDPOLICY_DB_PASSWORD."})
    String database;

    @Option(names = "--public-url", description = "The URL clients reach this server at, for links in responses (default: http://localhost:PORT).")
    String publicUrl;

    @Option(names = "--member-key-file", defaultValue = "./data/member-hash.key",
            description = {"File holding the key that hashes member ids in the decision log (created on first start).",
                    "MEDPOLICY_MEMBER_HASH_KEY (base64, at least 32 bytes) takes precedence."})
    Path memberKeyFile;

    @Option(names = "--quiet", description = "Do not write the per-request log lines.")
    boolean quiet;

    @Mixin
    PolicySource policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        CoverageEngine engine = CoverageEngines.create(policies.load(), Clock.systemUTC());
        if (database.startsWith("jdbc:h2:file:./data/")) {
            Files.createDirectories(Path.of("data"));
        }
        Database db = Database.open(database, System.getenv("MEDPOLICY_DB_USER"), System.getenv("MEDPOLICY_DB_PASSWORD"));
        JdbcDeterminationLog log = new JdbcDeterminationLog(db);
        MedpolicyServer server;
        try {
            String url = publicUrl == null ? "http://localhost:" + port : publicUrl;
            server = new MedpolicyServer(engine, log, new MemberKeyHasher(memberKey()), Clock.systemUTC(), url,
                    quiet ? AccessLog.disabled() : new AccessLog(System.out, true)).start(port);
        } catch (RuntimeException e) {
            log.close();
            db.close();
            err.println("medpolicy: cannot start the server on port " + port + ": " + rootMessage(e));
            return ExitCodes.FAULT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            log.close();
            db.close();
            stopped.countDown();
        }, "medpolicy-shutdown"));
        err.printf("medpolicy %s serving on http://localhost:%d (policies: %s; database: %s)%n",
                org.medpolicy.core.EngineVersion.get(), server.port(), policies.describe(), db.url().replaceAll(";.*", ""));
        err.printf("Try: curl -s -X POST http://localhost:%d/v1/determinations -H 'Content-Type: application/json' "
                + "-d @examples/01-til-term.json%n", server.port());
        err.flush();
        stopped.await();
        return ExitCodes.OK;
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
        if (memberKeyFile.getParent() != null) {
            Files.createDirectories(memberKeyFile.getParent());
        }
        Files.writeString(memberKeyFile, Base64.getEncoder().encodeToString(key) + "\n");
        try {
            Files.setPosixFilePermissions(memberKeyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: the file keeps the default permissions of its folder.
        }
        return key;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
