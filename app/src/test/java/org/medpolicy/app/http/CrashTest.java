package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability of the decision log against the real process: determinations are acknowledged under
 * load, the server is killed with SIGKILL (no shutdown hook, no flush), restarted on the same
 * database, and every acknowledged determination must be there, byte for byte. The same under
 * SIGTERM, which must also let the server exit by itself.
 */
class CrashTest {

    @TempDir
    Path folder;

    private static final String PUBLIC_URL = "https://medpolicy.test";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String token;

    /** A token for the demo client, minted by the {@code medpolicy token} command against the running server's database. */
    private String token() throws Exception {
        if (token == null) {
            String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process minting = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), "org.medpolicy.app.cli.Main",
                    "token", "--client", "demo", "--lifetime", "PT30M", "--public-url", PUBLIC_URL,
                    "--db", "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(),
                    "--signing-key-file", folder.resolve("signing.jwk").toString()).redirectErrorStream(true).start();
            String output = new String(minting.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            assertThat(minting.waitFor()).as("medpolicy token: " + output).isZero();
            token = output;
        }
        return token;
    }

    private Process start(int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.medpolicy.app.cli.Main",
                "serve", "--port", Integer.toString(port), "--quiet",
                "--db", "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(),
                "--member-key-file", folder.resolve("member.key").toString(),
                "--signing-key-file", folder.resolve("signing.jwk").toString(), "--public-url", PUBLIC_URL,
                "--policies", Path.of("..", "policies").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("server-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private void awaitHealthy(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server process is running").isTrue();
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not become healthy in 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Posts until stopped; returns the acknowledged determinations (id to body). */
    private final java.util.Queue<Integer> refusals = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Map<String, String> load(int port, ExecutorService pool, AtomicInteger acknowledged) {
        Map<String, String> acked = new ConcurrentHashMap<>();
        for (int worker = 0; worker < 8; worker++) {
            int id = worker;
            pool.submit(() -> {
                for (int i = 0; i < 10_000 && !Thread.currentThread().isInterrupted(); i++) {
                    String body = JsonApiTest.REQUEST.replace("PA-2026-000123", "CRASH-" + id + "-" + i);
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/v1/determinations"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            String determinationId = TestServer.JSON.readTree(response.body()).get("determinationId").asText();
                            acked.put(determinationId, response.body());
                            acknowledged.incrementAndGet();
                        } else {
                            refusals.add(response.statusCode());
                        }
                    } catch (IOException e) {
                        return null;
                    }
                }
                return null;
            });
        }
        return acked;
    }

    private void assertAllPresent(Map<String, String> acked) throws Exception {
        int port = freePort();
        Process restarted = start(port);
        try {
            awaitHealthy(port, restarted);
            for (var entry : acked.entrySet()) {
                HttpResponse<String> read = client.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/determinations/" + entry.getKey()))
                        .header("Authorization", "Bearer " + token()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(read.statusCode()).as("acknowledged determination " + entry.getKey()).isEqualTo(200);
                assertThat(read.body()).isEqualTo(entry.getValue());
            }
        } finally {
            restarted.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts a server, loads it until {@code acknowledgedBefore} determinations are acknowledged,
     * stops it with {@code stop}, waits for it to exit, and returns what was acknowledged.
     */
    private Map<String, String> loadThenStop(int acknowledgedBefore, java.util.function.Consumer<Process> stop) throws Exception {
        int port = freePort();
        Process server = start(port);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            awaitHealthy(port, server);
            token();
            AtomicInteger acknowledged = new AtomicInteger();
            Map<String, String> acked = load(port, pool, acknowledged);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acknowledged.get() < acknowledgedBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.accept(server);
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server exits").isTrue();
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            return new java.util.HashMap<>(acked);
        } finally {
            pool.shutdownNow();
            server.destroyForcibly();
        }
    }

    @Test
    void acknowledgedDeterminationsSurviveSigkill() throws Exception {
        Map<String, String> acked = loadThenStop(400, Process::destroyForcibly);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(400);
        assertAllPresent(acked);
    }

    @Test
    void sigtermFinishesInFlightRequestsAndExits() throws Exception {
        Map<String, String> acked = loadThenStop(200, Process::destroy);
        assertThat(acked).isNotEmpty();
        // A call under way is answered; a new one finds the door closed (an IOException). None is
        // answered with an error because the store closed under it.
        assertThat(refusals).as("calls answered with something other than 201 while stopping").isEmpty();
        assertAllPresent(acked);
    }
}
