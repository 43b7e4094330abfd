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
        Process process = medpolicy(args).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", args) + ": " + err).isZero();
        return out.strip();
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
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
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
