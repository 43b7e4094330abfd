package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first minutes, as separate processes: {@code medpolicy serve} on a fresh embedded
 * database registers the demo clients and says how to get a token; {@code medpolicy token} (another
 * process, while the server holds the database) mints one the server accepts; {@code medpolicy
 * assertion} signs the hook JWT the server accepts. On PostgreSQL there is no demo client.
 */
class ServeProcessTest {

    @TempDir
    Path folder;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ProcessBuilder medpolicy(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.medpolicy.app.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(folder.toFile());
    }

    private String run(String... args) throws Exception {
        return runIn(folder, null, args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process serve(int port, Path log, java.util.Map<String, String> environment, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--quiet",
                "--policies", Path.of("..", "policies").toAbsolutePath().toString()));
        args.addAll(List.of(more));
        ProcessBuilder builder = medpolicy(args.toArray(String[]::new));
        builder.environment().putAll(environment);
        Process server = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(Files.exists(log) ? Files.readString(log) : "server exited").isTrue();
            try {
                if (client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not healthy in 60 s");
    }

    @Test
    void aFreshEmbeddedServerHasDemoClientsWhoseCredentialsWork() throws Exception {
        int port = freePort();
        Path log = folder.resolve("serve.log");
        Process server = serve(port, log, java.util.Map.of());
        try {
            assertThat(Files.readString(log)).contains("registered the backend client 'demo'").contains("TOKEN=$(./medpolicy token --client demo");
            assertThat(Files.exists(folder.resolve("data/signing-key.jwk"))).isTrue();
            String base = "http://localhost:" + port;
            String token = run("token", "--client", "demo", "--public-url", base);
            HttpResponse<String> decided = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/determinations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JsonApiTest.REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(decided.statusCode()).as(decided.body()).isEqualTo(201);

            String jwt = run("assertion", "--client", "demo-ehr", "--key-file", "data/demo-ehr.jwk",
                    "--aud", base + "/cds-services/medpolicy-order-sign");
            HttpResponse<String> hook = client.send(HttpRequest.newBuilder(URI.create(base + "/cds-services/medpolicy-order-sign"))
                    .header("Authorization", "Bearer " + jwt).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofFile(Path.of("..", "examples", "cds", "order-sign.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(200);

            String assertion = run("assertion", "--client", "demo", "--key-file", "data/demo-client.jwk", "--aud", base + "/auth/token");
            HttpResponse<String> exchanged = client.send(HttpRequest.newBuilder(URI.create(base + "/auth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=system/policies.read"
                            + "&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=" + assertion))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);

            assertThat(run("clients", "list")).contains("demo").contains("demo-ehr");
            assertThat(listening(server.pid())).as("serve binds loopback unless --host says otherwise").containsExactly("127.0.0.1:" + port);
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the first server stopped, releasing the database").isTrue();
        }

        // Started again where others can reach it, with the demo clients still active: it does not start.
        Path said = folder.resolve("exposed.log");
        Process exposed = medpolicy("serve", "--port", Integer.toString(freePort()), "--host", "0.0.0.0", "--quiet",
                "--policies", Path.of("..", "policies").toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(said.toFile()).start();
        try {
            assertThat(exposed.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
            assertThat(exposed.exitValue()).as(Files.readString(said)).isNotZero();
            assertThat(Files.readString(said)).contains("demo clients demo and demo-ehr").contains("must not be reachable from 0.0.0.0")
                    .contains("medpolicy clients revoke --id demo");
        } finally {
            exposed.destroyForcibly();   // should the refusal ever regress, no server stays listening on every interface
        }
    }

    /**
     * Issue #12: the embedded store has no network listener, yet the operator's commands reach a
     * running server's data. Typed in another folder, with a relative database path, a relative key
     * file and a password on stdin, they are run by the server on its open database (the file is
     * locked to it), and what they print comes back; the server's process listens on its HTTP port
     * and on nothing else.
     */
    @Test
    void commandsReachARunningServersDatabaseThroughItsSocketAndNothingElseListens() throws Exception {
        int port = freePort();
        Path log = folder.resolve("serve.log");
        Process server = serve(port, log, java.util.Map.of());
        try {
            Path elsewhere = Files.createDirectories(folder.resolve("elsewhere"));
            assertThat(Files.exists(folder.resolve("data/medpolicy.sock"))).isTrue();
            assertThat(Files.getPosixFilePermissions(folder.resolve("data/medpolicy.sock")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            String db = "--db=jdbc:h2:file:../data/medpolicy";
            Files.writeString(elsewhere.resolve("public.json"), runIn(elsewhere, null, "clients", "keygen", "--out", "key.jwk"));
            assertThat(runIn(elsewhere, null, "clients", "add", "--id", "far-away", "--jwks-file", "public.json",
                    "--scopes", "system/determinations.read", db)).contains("registered backend client 'far-away'");
            assertThat(runIn(elsewhere, "a-password-long-enough\n", "users", "add", "--username", "grace", "--role", "REVIEWER", db))
                    .contains("added user 'grace'");
            assertThat(run("clients", "list")).contains("far-away");
            assertThat(run("users", "list")).contains("grace");
            String token = runIn(elsewhere, null, "token", "--client", "far-away", "--public-url", "http://localhost:" + port,
                    db, "--signing-key-file", "../data/signing-key.jwk");
            HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/determinations?requestId=none"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);

            assertThat(listeningPorts(server.pid())).as("what the server's process listens on").containsExactly(port);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(folder.resolve("data/medpolicy.sock"))).as("removed when the server stops").isFalse();
    }

    private String runIn(Path directory, String input, String... args) throws Exception {
        return run(medpolicy(args).directory(directory.toFile()), input, args);
    }

    /** The TCP ports a process listens on. */
    static List<Integer> listeningPorts(long pid) throws IOException {
        return listening(pid).stream().map(bound -> Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1))).toList();
    }

    /**
     * What a process listens on, as "address:port", from /proc: its socket inodes against the LISTEN
     * rows of /proc/net/tcp and tcp6 (addresses there are hex, IPv4 in host byte order).
     */
    static List<String> listening(long pid) throws IOException {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closed) {
                    // gone meanwhile
                }
            }
        }
        List<String> bound = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String[] local = fields[1].split(":");
                    bound.add(address(local[0]) + ":" + Integer.parseInt(local[1], 16));
                }
            }
        }
        return bound;
    }

    /** An address as /proc/net prints it: 8 hex digits for IPv4 (little-endian), 32 for IPv6 (four little-endian words). */
    private static String address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        return java.net.InetAddress.getByAddress(bytes).getHostAddress();
    }

    /**
     * Issue #12 item 8, as processes: two {@code serve} on one PostgreSQL database behind one public
     * URL (as behind a load balancer), sharing the data folder's keys. A client added by the CLI
     * gets a token both accept, a determination made at one reads back at the other, a hook JWT
     * accepted by one is a replay at the other, and a session started at one works at the other.
     */
    @Test
    void twoServeProcessesOnOnePostgresqlShareClientsTokensJwtsAndSessions() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            var credentials = java.util.Map.of("MEDPOLICY_DB_USER", "postgres", "MEDPOLICY_DB_PASSWORD", "postgres");
            String publicUrl = "http://medpolicy.test";
            int portA = freePort();
            Process a = serve(portA, folder.resolve("serve-a.log"), credentials, "--db", url, "--public-url", publicUrl);
            int portB = freePort();
            Process b = null;
            try {
                b = serve(portB, folder.resolve("serve-b.log"), credentials, "--db", url, "--public-url", publicUrl);
                Files.writeString(folder.resolve("public.json"), runWith(credentials, null, "clients", "keygen", "--out", "key.jwk"));
                runWith(credentials, null, "clients", "add", "--id", "shared", "--jwks-file", "public.json",
                        "--scopes", "system/determinations.write system/determinations.read", "--db", url);
                runWith(credentials, null, "clients", "add", "--id", "ehr", "--cds-hooks-issuer", "ehr", "--jwks-file", "public.json", "--db", url);
                runWith(credentials, "a-password-long-enough\n", "users", "add", "--username", "uma", "--role", "REVIEWER", "--db", url);

                String token = runWith(credentials, null, "token", "--client", "shared", "--public-url", publicUrl, "--db", url);
                HttpResponse<String> made = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + portA + "/v1/determinations"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JsonApiTest.REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
                String id = TestServer.JSON.readTree(made.body()).get("determinationId").asText();
                HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + portB + "/v1/determinations/" + id))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).as("made at A, read at B: " + read.body()).isEqualTo(200);

                String jwt = runWith(credentials, null, "assertion", "--client", "ehr", "--key-file", "key.jwk",
                        "--aud", publicUrl + "/cds-services/medpolicy-order-sign");
                int[] statuses = new int[2];
                int at = 0;
                for (int port : new int[] {portA, portB}) {
                    statuses[at++] = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/cds-services/medpolicy-order-sign"))
                            .header("Authorization", "Bearer " + jwt).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofFile(Path.of("..", "examples", "cds", "order-sign.json"))).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                }
                assertThat(statuses).as("the hook JWT at A, then the same at B").containsExactly(200, 401);

                HttpResponse<String> session = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + portA + "/v1/sessions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"uma\",\"password\":\"a-password-long-enough\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
                String sessionToken = TestServer.JSON.readTree(session.body()).get("token").asText();
                HttpResponse<String> queue = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + portB + "/v1/cases"))
                        .header("Authorization", "Bearer " + sessionToken).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(queue.statusCode()).as("signed in at A, the queue at B: " + queue.body()).isEqualTo(200);
            } finally {
                for (Process server : new Process[] {b, a}) {
                    if (server != null) {
                        server.destroy();
                        server.waitFor(30, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    private String runWith(java.util.Map<String, String> environment, String input, String... args) throws Exception {
        ProcessBuilder builder = medpolicy(args);
        builder.environment().putAll(environment);
        return run(builder, input, args);
    }

    /** Runs the command {@code builder} makes, with {@code input} on its stdin (or none): what it printed, once it exited 0. */
    private static String run(ProcessBuilder builder, String input, String... args) throws Exception {
        Process process = builder.start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", args) + ": " + err).isZero();
        return out.strip();
    }

    @Test
    void onPostgresqlTheRegistryStartsEmpty() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            var credentials = java.util.Map.of("MEDPOLICY_DB_USER", "postgres", "MEDPOLICY_DB_PASSWORD", "postgres");
            int port = freePort();
            Path log = folder.resolve("serve-pg.log");
            Process server = serve(port, log, credentials, "--db", url);
            try {
                assertThat(Files.readString(log)).doesNotContain("registered");
                ProcessBuilder list = medpolicy("clients", "list", "--db", url);
                list.environment().putAll(credentials);
                Process listing = list.start();
                String out = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(listing.waitFor()).isZero();
                assertThat(out.lines().count()).as("only the header: " + out).isEqualTo(1);
            } finally {
                server.destroy();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
