package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.store.Database;

/**
 * What keeps one client, or one slow or hostile connection, from taking the server from everyone:
 * per-client token buckets, throttled guessing, read timeouts, header limits; and HTTPS.
 */
class ProtectionTest {

    @TempDir
    Path folder;

    private TestServer serverWith(SecuritySettings settings) {
        return new TestServer(Database.open("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(), null, null), null, settings);
    }

    @Test
    void aClientOverItsRateGets429WithRetryAfterWhileOthersAreServed() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            Client limited = new Client("limited", Client.Kind.BACKEND, null, new JWKSet(TestServer.newKey("l-1").toPublicJWK()),
                    List.of(), Scopes.parse("system/policies.read"), 20, 20, Instant.now(), null);
            server.security.clients().register(limited);
            String token = server.security.tokens().issue(limited, limited.scopes(), Duration.ofMinutes(5)).accessToken();
            HttpRequest limitedCall = HttpRequest.newBuilder(server.uri("/v1/policies")).header("Authorization", "Bearer " + token).build();

            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger served = new AtomicInteger();
            AtomicInteger throttled = new AtomicInteger();
            AtomicInteger otherServed = new AtomicInteger();
            List<String> retryAfter = java.util.Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            List<Future<?>> work = new ArrayList<>();
            for (int worker = 0; worker < 8; worker++) {
                boolean other = worker == 0;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        HttpResponse<String> response = other ? server.get("/v1/policies") : server.raw(limitedCall);
                        if (other) {
                            otherServed.addAndGet(response.statusCode() == 200 ? 1 : 0);
                        } else if (response.statusCode() == 200) {
                            served.incrementAndGet();
                        } else if (response.statusCode() == 429) {
                            throttled.incrementAndGet();
                            retryAfter.add(response.headers().firstValue("Retry-After").orElse("missing"));
                            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();

            assertThat(served.get() + throttled.get()).isEqualTo(7 * 40);
            assertThat(served.get()).as("burst of 20 plus 20/s over %.2f s", seconds)
                    .isGreaterThanOrEqualTo(20).isLessThanOrEqualTo(20 + (int) Math.ceil(20 * seconds) + 1);
            assertThat(throttled.get()).isPositive();
            assertThat(retryAfter).allSatisfy(value -> assertThat(Integer.parseInt(value)).isPositive());
            assertThat(otherServed.get()).as("another client is not slowed by this one's limit").isEqualTo(40);
        }
    }

    @Test
    void anExpensiveCallWeighsMoreOnTheCallersRate() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            // 15 tokens, refilled at 1 a second: one PAS submission (10) fits, a second does not, a policy read (1) does.
            Client limited = new Client("heavy", Client.Kind.BACKEND, null, new JWKSet(TestServer.newKey("h-1").toPublicJWK()),
                    List.of(), Scopes.parse("system/Claim.write system/policies.read"), 1, 15, Instant.now(), null,
                    List.of(TestServer.PROVIDER_NPI));
            server.security.clients().register(limited);
            String token = server.security.tokens().issue(limited, limited.scopes(), Duration.ofMinutes(5)).accessToken();
            String claim = org.medpolicy.fhir.Fhir.toJson(PasTest.request("CLAIM-COST", "M-COST", null));
            assertThat(server.as(token, "POST", "/fhir/Claim/$submit", "application/fhir+json", claim).statusCode()).isEqualTo(200);
            HttpResponse<String> second = server.as(token, "POST", "/fhir/Claim/$submit", "application/fhir+json",
                    claim.replace("CLAIM-COST", "CLAIM-COST-2"));
            assertThat(second.statusCode()).isEqualTo(429);
            assertThat(second.body()).contains("counts as 10");
            assertThat(Integer.parseInt(second.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(5);
            assertThat(server.as(token, "GET", "/v1/policies", null).statusCode()).as("a light call still fits").isEqualTo(200);
            assertThat(TestServer.json(server.get("/openapi.json")).at("/paths/~1fhir~1Claim~1$submit/post/x-rate-cost").asInt())
                    .as("the cost is published").isEqualTo(10);
        }
    }

    @Test
    void guessingCredentialsIsThrottledPerAddressButKnownTokensStillWork() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults().withFailureLimit(1, 5))) {
            assertThat(server.get("/v1/policies").statusCode()).as("the good token is verified once").isEqualTo(200);
            HttpRequest guess = HttpRequest.newBuilder(server.uri("/v1/policies")).header("Authorization", "Bearer guess").build();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                statuses.add(server.raw(guess).statusCode());
            }
            assertThat(statuses.subList(0, 5)).containsOnly(401);
            assertThat(statuses.subList(5, 8)).containsOnly(429);
            HttpResponse<String> throttled = server.raw(guess);
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.get("/v1/policies").statusCode()).as("a token verified before is not penalized").isEqualTo(200);
        }
    }

    @Test
    void wrongPasswordsAreThrottledPerAccountWithRetryAfterEvenFromAnotherForm() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            server.signedIn("victim", org.medpolicy.core.cases.Role.INTAKE);
            java.util.function.Function<String, HttpRequest> signIn = password -> HttpRequest.newBuilder(server.uri("/v1/sessions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"victim\",\"password\":\"" + password + "\"}")).build();
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                statuses.add(server.raw(signIn.apply("guess number " + i)).statusCode());
            }
            assertThat(statuses).as("five free failures, and the sixth that starts the wait").containsOnly(401);
            HttpResponse<String> throttled = server.raw(signIn.apply("guess number 7"));
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
            assertThat(server.raw(signIn.apply(TestServer.PASSWORD)).statusCode()).as("the right password waits too: no oracle")
                    .isEqualTo(429);
            HttpResponse<String> page = server.raw(HttpRequest.newBuilder(server.uri("/workbench/sign-in"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=victim&password=another+guess")).build());
            assertThat(page.statusCode()).as("the workbench form counts against the same account").isEqualTo(429);
            Thread.sleep(2_100);
            assertThat(server.raw(signIn.apply(TestServer.PASSWORD)).statusCode()).as("after the wait, the right password works")
                    .isEqualTo(201);
        }
    }

    @Test
    void tokenRequestsAreLimitedPerAddress() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                statuses.add(server.raw(HttpRequest.newBuilder(server.uri("/auth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build()).statusCode());
            }
            assertThat(statuses).contains(400).contains(429);
        }
    }

    @Test
    void aConnectionThatStopsSendingIsClosedAndDoesNotBlockOthers() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults().withIdleTimeout(Duration.ofSeconds(1)))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    Socket socket = new Socket("localhost", server.server.port());
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /v1/determinations HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(socket);
                }
                HttpResponse<String> health = server.client.send(HttpRequest.newBuilder(server.uri("/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).as("served while 100 connections dawdle").isEqualTo(200);

                Socket first = slow.get(0);
                first.setSoTimeout(10_000);
                InputStream in = first.getInputStream();
                long start = System.nanoTime();
                byte[] answer = in.readAllBytes();
                double waited = (System.nanoTime() - start) / 1e9;
                assertThat(waited).as("closed by the read timeout, not left open").isLessThan(9);
                String text = new String(answer, StandardCharsets.US_ASCII);
                assertThat(text.isEmpty() || text.startsWith("HTTP/1.1 4")).as(text).isTrue();
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    /**
     * The attack of issue #12: a header line every so often keeps resetting the idle timeout. Here a
     * line every 400 ms against a 2 s header deadline and a 30 s idle timeout: the connection must be
     * closed at the deadline (within a sweep), while one that finishes its header in time is served.
     */
    @Test
    void aHeaderSentALineAtATimeIsCutOffAtTheHeaderDeadline() throws Exception {
        SecuritySettings settings = SecuritySettings.defaults().withConnectionLimits(Duration.ofSeconds(2), 128);
        try (TestServer server = serverWith(settings); Socket slow = new Socket("127.0.0.1", server.server.port())) {
            OutputStream out = slow.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            double closedAfter = -1;
            try {
                for (int line = 0; line < 40; line++) {
                    Thread.sleep(400);
                    out.write(("X-Dawdle-" + line + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.setSoTimeout(1);
                    try {
                        if (slow.getInputStream().read() == -1) {
                            closedAfter = (System.nanoTime() - start) / 1e9;
                            break;
                        }
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // nothing to read yet: the server still holds the connection
                    }
                }
            } catch (java.io.IOException reset) {
                closedAfter = (System.nanoTime() - start) / 1e9;
            }
            assertThat(closedAfter).as("closed, not held for the 16 s of dribbling").isPositive();
            assertThat(closedAfter).as("at the 2 s deadline, within a sweep or two").isBetween(1.9, 4.5);

            try (Socket patient = new Socket("127.0.0.1", server.server.port())) {
                OutputStream in = patient.getOutputStream();
                in.write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                Thread.sleep(1_000);
                in.write("Host: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                patient.setSoTimeout(5_000);
                String answer = new String(patient.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).as("a header finished within the deadline is served").startsWith("HTTP/1.1 200");
            }
        }
    }

    /** Blank lines before a request line: Jetty skips them without a limit, so they must not keep a connection for ever. */
    @Test
    void blankLinesInsteadOfARequestDoNotHoldAConnection() throws Exception {
        SecuritySettings settings = SecuritySettings.defaults().withIdleTimeout(Duration.ofSeconds(2));
        try (TestServer server = serverWith(settings); Socket slow = new Socket("127.0.0.1", server.server.port())) {
            OutputStream out = slow.getOutputStream();
            long start = System.nanoTime();
            double closedAfter = -1;
            try {
                for (int line = 0; line < 40 && closedAfter < 0; line++) {
                    Thread.sleep(400);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.setSoTimeout(1);
                    try {
                        if (slow.getInputStream().read() == -1) {
                            closedAfter = (System.nanoTime() - start) / 1e9;
                        }
                    } catch (java.net.SocketTimeoutException stillOpen) {
                        // still held
                    }
                }
            } catch (java.io.IOException reset) {
                closedAfter = (System.nanoTime() - start) / 1e9;
            }
            assertThat(closedAfter).as("closed after the 2 s keep-alive period, not held for 16 s").isBetween(1.9, 5.0);
        }
    }

    /** Connections that come and go are counted out again: the per-address limit is of open connections, not of all time. */
    @Test
    void theLimitPerAddressCountsOpenConnectionsOnly() throws Exception {
        SecuritySettings settings = SecuritySettings.defaults().withConnectionLimits(Duration.ofSeconds(10), 8);
        try (TestServer server = serverWith(settings)) {
            java.net.InetAddress from = java.net.InetAddress.getByName("127.0.0.3");
            java.net.InetAddress target = java.net.InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < 50; i++) {
                try (Socket socket = new Socket(target, server.server.port(), from, 0)) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(answer).as("connection " + i + " of 50, one at a time, with a limit of 8").startsWith("HTTP/1.1 200");
                }
            }
        }
    }

    /**
     * 2,000 slow connections from one address (127.0.0.2, another loopback address) while a
     * legitimate caller on 127.0.0.1 is served: the address gets its 32 connections and no more, so
     * the server's 2,000 are never filled.
     */
    @Test
    void twoThousandSlowConnectionsFromOneAddressDoNotStarveOthers() throws Exception {
        SecuritySettings settings = SecuritySettings.defaults().withConnectionLimits(Duration.ofSeconds(10), 32);
        try (TestServer server = serverWith(settings)) {
            List<Socket> slow = new ArrayList<>();
            try {
                java.net.InetAddress attacker = java.net.InetAddress.getByName("127.0.0.2");
                java.net.InetAddress target = java.net.InetAddress.getByName("127.0.0.1");
                for (int i = 0; i < 2_000; i++) {
                    Socket socket = new Socket(target, server.server.port(), attacker, 0);
                    socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: l".getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                List<Double> seconds = new ArrayList<>();
                for (int call = 0; call < 20; call++) {
                    long start = System.nanoTime();
                    HttpResponse<String> health = server.client.send(HttpRequest.newBuilder(server.uri("/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    seconds.add((System.nanoTime() - start) / 1e9);
                    assertThat(health.statusCode()).as("served while 2,000 connections dawdle").isEqualTo(200);
                }
                assertThat(seconds.stream().sorted().toList().get(10)).as("median answer, seconds").isLessThan(1.0);
                long open = slow.stream().filter(socket -> {
                    try {
                        socket.setSoTimeout(1);
                        return socket.getInputStream().read() != -1;
                    } catch (java.net.SocketTimeoutException held) {
                        return true;
                    } catch (java.io.IOException closed) {
                        return false;
                    }
                }).count();
                assertThat(open).as("connections the server still holds for the attacking address").isLessThanOrEqualTo(32);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void whenCredentialsCannotBeCheckedTheAnswerIs503NotAFault() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            String body = java.nio.file.Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
            server.database.close();
            HttpResponse<String> hook = server.post("/cds-services/medpolicy-order-sign", "application/json", body);
            assertThat(hook.statusCode()).as(hook.body()).isEqualTo(503);
            assertThat(TestServer.json(hook).get("resourceType").asText()).isEqualTo("OperationOutcome");
            HttpResponse<String> api = server.get("/v1/policies");
            assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
        }
    }

    @Test
    void oversizedHeadersAreRefused() throws Exception {
        try (TestServer server = serverWith(SecuritySettings.defaults())) {
            HttpResponse<String> response = server.raw(HttpRequest.newBuilder(server.uri("/health"))
                    .header("X-Padding", "x".repeat(20_000)).build());
            assertThat(response.statusCode()).isEqualTo(431);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(TestServer.json(response).get("status").asInt()).isEqualTo(431);
        }
    }

    @Test
    void httpsWithAKeystore() throws Exception {
        Path keystore = folder.resolve("tls.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "medpolicy", "-keyalg", "EC", "-groupname", "secp384r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();

        SecuritySettings settings = SecuritySettings.defaults().withTls(keystore, "changeit".toCharArray());
        try (TestServer server = new TestServer(Database.open("jdbc:h2:file:" + folder.resolve("tls-db").toAbsolutePath(), null, null),
                null, settings, client)) {
            assertThat(server.uri("/health").getScheme()).isEqualTo("https");
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
            assertThat(server.post("/v1/determinations", "application/json", JsonApiTest.REQUEST).statusCode()).isEqualTo(201);
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            boolean plainRefused;
            try {
                plainRefused = plain.send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.server.port() + "/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() != 200;
            } catch (java.io.IOException e) {
                plainRefused = true;
            }
            assertThat(plainRefused).as("plain HTTP is not served on the TLS port").isTrue();
        }
    }

    /**
     * A server listens on 127.0.0.1 unless told otherwise: another address, even another loopback one
     * (127.0.0.2, which a server on every interface would answer), gets no connection.
     */
    @Test
    void theServerListensOnItsLoopbackAddressOnly() throws Exception {
        try (TestServer local = TestServer.h2(java.nio.file.Files.createTempDirectory("loopback"));
             java.net.Socket socket = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(
                    new java.net.InetSocketAddress(java.net.InetAddress.getByName("127.0.0.2"), local.server.port()), 2_000))
                    .isInstanceOf(java.io.IOException.class);
            org.assertj.core.api.Assertions.assertThat(local.get("/health").statusCode()).as("on 127.0.0.1 it answers").isEqualTo(200);
        }
    }
}
