package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;

/**
 * CDS Hooks callers authenticate as CDS Hooks 2.0 says: a JWT signed by the EHR, checked against the
 * keys registered for its {@code iss} or a registered {@code jku}. Every refusal is a 401 with an
 * OperationOutcome; the hook never runs and nothing is logged as a determination.
 */
class CdsHooksAuthTest {

    static final String SERVICE = "/cds-services/medpolicy-order-sign";
    static final String AUDIENCE = TestServer.PUBLIC_URL + SERVICE;

    @TempDir
    static Path folder;
    static TestServer server;
    static HttpServer jwksHost;
    static final AtomicInteger jwksFetches = new AtomicInteger();
    static final ECKey remoteKey = TestServer.newKey("remote-1");
    static final ECKey strangerKey = TestServer.newKey("ehr-1");
    static String body;
    static URI registeredJku;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.h2(folder);
        body = Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
        jwksHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksHost.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] keys = new JWKSet(remoteKey.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, keys.length);
            exchange.getResponseBody().write(keys);
            exchange.close();
        });
        jwksHost.start();
        registeredJku = URI.create("http://127.0.0.1:" + jwksHost.getAddress().getPort() + "/jwks.json");
        server.security.clients().register(new Client("jku-ehr", Client.Kind.EHR, "https://jku-ehr.example.org",
                new JWKSet(), List.of(registeredJku), Scopes.none(), 1_000, 1_000, Instant.now(), null));
        server.security.clients().register(new Client("old-ehr", Client.Kind.EHR, "https://old-ehr.example.org",
                new JWKSet(server.ehrKey.toPublicJWK()), List.of(), Scopes.none(), 1_000, 1_000, Instant.now(), null));
        server.security.clients().revoke("old-ehr", Instant.now());
    }

    @AfterAll
    static void stop() {
        server.close();
        jwksHost.stop(0);
    }

    static HttpResponse<String> call(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(SERVICE)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.raw(request.build());
    }

    static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
        return Jwts.claims(TestServer.EHR_ISSUER, null, AUDIENCE, change);
    }

    @Test
    void aRegisteredEhrIsServed() throws Exception {
        HttpResponse<String> served = call("Bearer " + Jwts.signed(server.ehrKey, claims(c -> c)));
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.body()).contains("ext-coverage-information");
    }

    @Test
    void aRegisteredJkuIsFetchedAndItsKeysAccepted() throws Exception {
        String jwt = Jwts.signed(remoteKey, Jwts.claims("https://jku-ehr.example.org", null, AUDIENCE, c -> c),
                header -> header.jwkURL(registeredJku));
        HttpResponse<String> served = call("Bearer " + jwt);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(jwksFetches.get()).isPositive();
    }

    @Test
    void aJkuThatIsNotRegisteredIsNeverFetched() throws Exception {
        int before = jwksFetches.get();
        URI unregistered = URI.create("http://127.0.0.1:" + jwksHost.getAddress().getPort() + "/jwks.json?evil=1");
        String jwt = Jwts.signed(remoteKey, Jwts.claims("https://jku-ehr.example.org", null, AUDIENCE, c -> c),
                header -> header.jwkURL(unregistered));
        HttpResponse<String> refused = call("Bearer " + jwt);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("is not registered for this issuer");
        assertThat(jwksFetches.get()).isEqualTo(before);
    }

    static Stream<Arguments> refused() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("no token", null, "needs an access token"),
                Arguments.of("not a JWT", "Bearer nonsense", "not a well-formed JWT"),
                Arguments.of("alg none", "Bearer " + Jwts.unsigned(claims(c -> c)), "alg none"),
                Arguments.of("HMAC keyed with the EHR's public key",
                        "Bearer " + Jwts.hmacWithPublicKey(server.ehrKey.toPublicJWK(), claims(c -> c)), "HS256 is refused"),
                Arguments.of("bad signature", "Bearer " + Jwts.signed(strangerKey, claims(c -> c)), "signature does not verify"),
                Arguments.of("expired", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.issueTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.minusSeconds(300))))), "expired"),
                Arguments.of("issued in the future", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.issueTime(
                        Date.from(now.plusSeconds(120))))), "iat is in the future"),
                Arguments.of("not yet valid", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.notBeforeTime(
                        Date.from(now.plusSeconds(120))))), "not valid before"),
                Arguments.of("no iat", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.issueTime(null))), "no iat"),
                Arguments.of("lives too long", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.expirationTime(
                        Date.from(now.plusSeconds(3600))))), "more than 5 minutes ahead"),
                Arguments.of("wrong aud", "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.audience(
                        TestServer.PUBLIC_URL + "/cds-services/medpolicy-order-select"))), "aud must be the service URL"),
                Arguments.of("unknown issuer", "Bearer " + Jwts.signed(server.ehrKey, Jwts.claims("https://stranger.example", null,
                        AUDIENCE, c -> c)), "is not registered"),
                Arguments.of("revoked EHR", "Bearer " + Jwts.signed(server.ehrKey, Jwts.claims("https://old-ehr.example.org", null,
                        AUDIENCE, c -> c)), "was revoked"),
                Arguments.of("a backend access token instead of an EHR JWT", "Bearer " + server.token, "is not registered"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedCallsGet401WithAnOperationOutcome(String why, String authorization, String reason) throws Exception {
        HttpResponse<String> refused = call(authorization);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(TestServer.json(refused).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(refused.body()).contains(reason);
    }

    @Test
    void aJwtIsUsableOnce() throws Exception {
        String jwt = "Bearer " + Jwts.signed(server.ehrKey, claims(c -> c));
        assertThat(call(jwt).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = call(jwt);
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("jti was already used");
    }

    @Test
    void aRefusedCallStoresNoDetermination() throws Exception {
        String requestIdBefore = server.get("/v1/determinations?requestId=x").body();
        long before = count();
        call("Bearer " + Jwts.signed(strangerKey, claims(c -> c)));
        assertThat(count()).isEqualTo(before);
        assertThat(requestIdBefore).isNotNull();
    }

    private static long count() throws Exception {
        try (var connection = server.database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM determination_log")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Test
    void timesWithinTheSkewAreTolerated() throws Exception {
        Instant now = Instant.now();
        HttpResponse<String> served = call("Bearer " + Jwts.signed(server.ehrKey, claims(c -> c.issueTime(Date.from(now.plusSeconds(10)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))))));
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    }
}
