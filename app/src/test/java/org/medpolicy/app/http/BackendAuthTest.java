package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.security.AccessTokens;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.security.SigningKey;

/**
 * SMART Backend Services over HTTP: the token exchange and the bearer tokens it issues, with every
 * way a credential can be wrong refused as the specification and RFC 6750 say, and the happy paths.
 */
class BackendAuthTest {

    @TempDir
    static Path folder;
    static TestServer server;
    static ECKey ecKey = TestServer.newKey("ec-1");
    static RSAKey rsaKey = Jwts.newRsaKey("rsa-1");
    static ECKey strangerKey = TestServer.newKey("ec-1");
    static String tokenUrl = TestServer.PUBLIC_URL + "/auth/token";

    @BeforeAll
    static void start() {
        server = TestServer.h2(folder);
        server.security.clients().register(new Client("backend", Client.Kind.BACKEND, null,
                new JWKSet(List.<JWK>of(ecKey.toPublicJWK(), rsaKey.toPublicJWK())), List.of(),
                Scopes.parse("system/determinations.write system/determinations.read system/Questionnaire.read"),
                1_000, 1_000, Instant.now(), null));
        server.security.clients().register(new Client("narrow", Client.Kind.BACKEND, null, new JWKSet(ecKey.toPublicJWK()), List.of(),
                Scopes.parse("system/policies.read"), 1_000, 1_000, Instant.now(), null));
        server.security.clients().register(new Client("gone", Client.Kind.BACKEND, null, new JWKSet(ecKey.toPublicJWK()), List.of(),
                Scopes.parse("system/determinations.write"), 1_000, 1_000, Instant.now(), null));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- the token endpoint ------------------------------------------------------------------------

    static HttpResponse<String> requestToken(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return server.raw(HttpRequest.newBuilder(server.uri("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static Map<String, String> form(String assertion, String scope) {
        return Map.of("grant_type", "client_credentials", "scope", scope,
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion);
    }

    static String assertion(JWK key, Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change) {
        return Jwts.signed(key, Jwts.claims("backend", "backend", tokenUrl, change::apply));
    }

    @Test
    void aBackendClientGetsATokenWithAnEs384AssertionAndUsesIt() throws Exception {
        HttpResponse<String> issued = requestToken(form(assertion(ecKey, c -> c), "system/determinations.write"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode token = TestServer.json(issued);
        assertThat(token.get("token_type").asText()).isEqualTo("bearer");
        assertThat(token.get("expires_in").asInt()).isEqualTo(300);
        assertThat(token.get("scope").asText()).isEqualTo("system/determinations.write");

        HttpResponse<String> decided = server.raw(HttpRequest.newBuilder(server.uri("/v1/determinations"))
                .header("Authorization", "Bearer " + token.get("access_token").asText())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JsonApiTest.REQUEST)).build());
        assertThat(decided.statusCode()).isEqualTo(201);

        HttpResponse<String> read = server.raw(HttpRequest.newBuilder(server.uri("/v1/determinations?requestId=PA-2026-000123"))
                .header("Authorization", "Bearer " + token.get("access_token").asText()).GET().build());
        assertThat(read.statusCode()).as("the token carries write, not read").isEqualTo(403);
        assertThat(read.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(challenge)
                .contains("error=\"insufficient_scope\"").contains("scope=\"system/determinations.read\""));
    }

    @Test
    void rs384AssertionsAreAcceptedAndScopesAreCutToWhatTheClientMayHave() throws Exception {
        HttpResponse<String> issued = requestToken(form(assertion(rsaKey, c -> c),
                "system/determinations.read system/audit.read system/Questionnaire.read"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(TestServer.json(issued).get("scope").asText()).isEqualTo("system/determinations.read system/Questionnaire.read");
    }

    @Test
    void smartConfigurationAndKeysArePublic() throws Exception {
        HttpResponse<String> configuration = server.raw(HttpRequest.newBuilder(server.uri("/.well-known/smart-configuration")).build());
        assertThat(configuration.statusCode()).isEqualTo(200);
        JsonNode json = TestServer.json(configuration);
        assertThat(json.get("token_endpoint").asText()).isEqualTo(tokenUrl);
        assertThat(json.get("token_endpoint_auth_methods_supported").toString()).contains("private_key_jwt");
        assertThat(json.get("token_endpoint_auth_signing_alg_values_supported").toString()).contains("RS384").contains("ES384");
        assertThat(json.get("grant_types_supported").toString()).contains("client_credentials");
        assertThat(json.get("capabilities").toString()).contains("client-confidential-asymmetric");
        HttpResponse<String> keys = server.raw(HttpRequest.newBuilder(server.uri("/.well-known/jwks.json")).build());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).contains("P-384").doesNotContain("\"d\"");
    }

    static Stream<Arguments> refusedAssertions() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("alg none", Jwts.unsigned(Jwts.claims("backend", "backend", tokenUrl, c -> c)), "invalid_client"),
                Arguments.of("HMAC keyed with the public key", Jwts.hmacWithPublicKey(ecKey.toPublicJWK(),
                        Jwts.claims("backend", "backend", tokenUrl, c -> c)), "invalid_client"),
                Arguments.of("signed by a key not registered", assertion(strangerKey, c -> c), "invalid_client"),
                Arguments.of("wrong aud", assertion(ecKey, c -> c.audience("https://elsewhere.example/token")), "invalid_client"),
                Arguments.of("expired", assertion(ecKey, c -> c.expirationTime(Date.from(now.minusSeconds(120)))), "invalid_client"),
                Arguments.of("exp more than five minutes ahead", assertion(ecKey, c -> c.expirationTime(Date.from(now.plusSeconds(900)))),
                        "invalid_client"),
                Arguments.of("not yet valid", assertion(ecKey, c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))), "invalid_client"),
                Arguments.of("no exp", assertion(ecKey, c -> c.expirationTime(null)), "invalid_client"),
                Arguments.of("no jti", assertion(ecKey, c -> c.jwtID(null)), "invalid_client"),
                Arguments.of("iss is not sub", assertion(ecKey, c -> c.subject("narrow")), "invalid_client"),
                Arguments.of("unknown client", Jwts.signed(ecKey, Jwts.claims("nobody", "nobody", tokenUrl, c -> c)), "invalid_client"),
                Arguments.of("revoked client", Jwts.signed(ecKey, Jwts.claims("gone", "gone", tokenUrl, c -> c)), "invalid_client"),
                Arguments.of("not a JWT", "not.a.jwt", "invalid_client"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAssertions")
    void refusedAssertionsGet401InvalidClient(String why, String assertion, String error) throws Exception {
        server.security.clients().revoke("gone", Instant.now());
        HttpResponse<String> refused = requestToken(form(assertion, "system/determinations.write"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        JsonNode body = TestServer.json(refused);
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
        assertThat(refused.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anAssertionIsUsableOnce() throws Exception {
        String once = assertion(ecKey, c -> c);
        assertThat(requestToken(form(once, "system/determinations.write")).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = requestToken(form(once, "system/determinations.write"));
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.body()).contains("jti was already used");
    }

    @Test
    void malformedTokenRequestsGet400WithTheOAuthError() throws Exception {
        assertThat(TestServer.json(requestToken(Map.of("grant_type", "password", "scope", "system/policies.read")))
                .get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(TestServer.json(requestToken(Map.of("grant_type", "client_credentials", "client_assertion", assertion(ecKey, c -> c),
                "scope", "system/policies.read"))).get("error").asText()).isEqualTo("invalid_request");
        HttpResponse<String> notAllowed = requestToken(form(assertion(ecKey, c -> c), "system/audit.read"));
        assertThat(notAllowed.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(notAllowed).get("error").asText()).isEqualTo("invalid_scope");
        assertThat(TestServer.json(requestToken(form(assertion(ecKey, c -> c), "patient/*.read"))).get("error").asText())
                .isEqualTo("invalid_scope");
        HttpResponse<String> json = server.raw(HttpRequest.newBuilder(server.uri("/auth/token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\"}")).build());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(json).get("error").asText()).isEqualTo("invalid_request");
        HttpResponse<String> twice = server.raw(HttpRequest.newBuilder(server.uri("/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&grant_type=client_credentials")).build());
        assertThat(TestServer.json(twice).get("error").asText()).isEqualTo("invalid_request");
    }

    // ---- bearer tokens at the resource endpoints ---------------------------------------------------

    /** An access token signed with the server's own key, with whatever claims a forger wants. */
    static String forged(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change) {
        SigningKey key = server.security.signingKey();
        ECKey jwk;
        try {
            jwk = ECKey.parse(key.toPrivateJson());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        JWTClaimsSet claims = change.apply(new JWTClaimsSet.Builder(Jwts.claims(TestServer.PUBLIC_URL, "test-all", TestServer.PUBLIC_URL,
                c -> c.claim("client_id", "test-all").claim("scope", TestServer.ALL_SCOPES)))).build();
        return Jwts.signed(jwk, claims, header -> header.keyID(key.keyId()));
    }

    static Stream<Arguments> refusedTokens() throws Exception {
        Instant now = Instant.now();
        String expired = new AccessTokens(server.security.signingKey(), TestServer.PUBLIC_URL, server.security.clients(),
                Clock.fixed(now.minus(Duration.ofHours(2)), ZoneOffset.UTC))
                .issue(server.security.clients().find("test-all").orElseThrow(), Scopes.parse("system/determinations.write"),
                        Duration.ofMinutes(5)).accessToken();
        JWTClaimsSet plain = Jwts.claims(TestServer.PUBLIC_URL, "test-all", TestServer.PUBLIC_URL,
                c -> c.claim("client_id", "test-all").claim("scope", TestServer.ALL_SCOPES));
        return Stream.of(
                Arguments.of("no Authorization header", null, null),
                Arguments.of("not a bearer scheme", "Basic dGVzdDp0ZXN0", "invalid_token"),
                Arguments.of("empty bearer", "Bearer ", "invalid_token"),
                Arguments.of("malformed token", "Bearer abc.def", "invalid_token"),
                Arguments.of("alg none", "Bearer " + Jwts.unsigned(plain), "invalid_token"),
                Arguments.of("HMAC keyed with the server's public key", "Bearer " + Jwts.hmacWithPublicKey(
                        server.security.signingKey().publicJwks().getKeys().get(0), plain), "invalid_token"),
                Arguments.of("bad signature", "Bearer " + Jwts.signed(strangerKey, plain,
                        header -> header.keyID(server.security.signingKey().keyId())), "invalid_token"),
                Arguments.of("expired", "Bearer " + expired, "invalid_token"),
                Arguments.of("not yet valid", "Bearer " + forged(c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))), "invalid_token"),
                Arguments.of("wrong aud", "Bearer " + forged(c -> c.audience("https://another.example")), "invalid_token"),
                Arguments.of("wrong iss", "Bearer " + forged(c -> c.issuer("https://another.example")), "invalid_token"),
                Arguments.of("unknown client", "Bearer " + forged(c -> c.subject("ghost").claim("client_id", "ghost")), "invalid_token"),
                Arguments.of("revoked client", "Bearer " + forged(c -> c.subject("gone").claim("client_id", "gone")), "invalid_token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusedTokensGet401WithAChallenge(String why, String authorization, String error) throws Exception {
        server.security.clients().revoke("gone", Instant.now());
        for (String path : List.of("/v1/determinations", "/fhir/Questionnaire/$questionnaire-package")) {
            HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).header("Content-Type",
                    path.startsWith("/fhir") ? "application/fhir+json" : "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JsonApiTest.REQUEST));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> refused = server.raw(request.build());
            assertThat(refused.statusCode()).as(why + " at " + path + ": " + refused.body()).isEqualTo(401);
            String challenge = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).startsWith("Bearer realm=\"medpolicy\"");
            if (error == null) {
                assertThat(challenge).doesNotContain("error=");
            } else {
                assertThat(challenge).contains("error=\"" + error + "\"");
            }
            if (path.startsWith("/fhir")) {
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
                assertThat(TestServer.json(refused).get("resourceType").asText()).isEqualTo("OperationOutcome");
            } else {
                assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
                assertThat(TestServer.json(refused).get("status").asInt()).isEqualTo(401);
            }
        }
    }

    @Test
    void revokingAClientStopsItsTokensAtOnce() throws Exception {
        Client client = new Client("short-lived", Client.Kind.BACKEND, null, new JWKSet(ecKey.toPublicJWK()), List.of(),
                Scopes.parse("system/policies.read"), 1_000, 1_000, Instant.now(), null);
        server.security.clients().register(client);
        String token = server.security.tokens().issue(client, client.scopes(), Duration.ofMinutes(5)).accessToken();
        HttpRequest read = HttpRequest.newBuilder(server.uri("/v1/policies")).header("Authorization", "Bearer " + token).build();
        assertThat(server.raw(read).statusCode()).isEqualTo(200);
        server.security.clients().revoke("short-lived", Instant.now());
        HttpResponse<String> after = server.raw(read);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("revoked");
    }

    static Stream<String> protectedRoutes() {
        return Stream.of("GET /v1/determinations?requestId=x", "GET /v1/determinations/abc", "POST /v1/determinations",
                "GET /v1/policies", "GET /v1/policies/x", "GET /v1/audit", "GET /fhir/Questionnaire/x",
                "POST /fhir/Questionnaire/$questionnaire-package", "POST /cds-services/medpolicy-order-sign",
                "POST /cds-services/medpolicy-order-select", "GET /metrics", "GET /openapi.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protectedRoutes")
    void everyRouteButThePublicOnesNeedsCredentials(String route) throws Exception {
        String[] parts = route.split(" ");
        HttpResponse<String> response = server.raw(HttpRequest.newBuilder(server.uri(parts[1]))
                .method(parts[0], parts[0].equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json").build());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicRoutes")
    void thePublicRoutesAnswerWithoutCredentials(String path) throws Exception {
        assertThat(server.raw(HttpRequest.newBuilder(server.uri(path)).build()).statusCode()).isEqualTo(200);
    }

    static Stream<String> publicRoutes() {
        return Stream.of("/health", "/fhir/metadata", "/cds-services", "/.well-known/smart-configuration", "/.well-known/jwks.json");
    }

    @Test
    void aTokenWithoutTheScopeIsForbiddenWithAnOperationOutcomeUnderFhir() throws Exception {
        Client narrow = server.security.clients().find("narrow").orElseThrow();
        String token = server.security.tokens().issue(narrow, narrow.scopes(), Duration.ofMinutes(5)).accessToken();
        HttpResponse<String> forbidden = server.raw(HttpRequest.newBuilder(server.uri("/fhir/Questionnaire/anything"))
                .header("Authorization", "Bearer " + token).build());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(forbidden).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("insufficient_scope").contains("system/Questionnaire.read");
    }
}
