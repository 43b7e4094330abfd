package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.store.Database;

/**
 * Issue #12: two servers on one PostgreSQL database, as a deployment behind a load balancer runs
 * them. Each has its own connection pool, caches, rate limiter, replay guard writer and HTTP server;
 * they share only the database and the signing key. Whatever one accepts or records holds on the
 * other: clients, tokens, single-use JWTs, sessions, revocations; and a client's rate is the
 * deployment's, each server enforcing its share.
 */
class TwoInstancesTest {

    private static EmbeddedPostgres postgres;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        first = new TestServer(url, "postgres", "postgres");
        second = new TestServer(Database.open(url, "postgres", "postgres"), first);
    }

    @AfterAll
    static void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aClientRegisteredThroughOneHasATokenTheOtherAcceptsAndADeterminationEitherReadsBack() throws Exception {
        String token = first.clientToken("tenant-on-first", "system/determinations.write system/determinations.read", TestServer.PROVIDER_NPI);
        HttpResponse<String> made = second.as(token, "POST", "/v1/determinations", JsonApiTest.REQUEST);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        String id = TestServer.json(made).get("determinationId").asText();
        HttpResponse<String> read = first.as(token, "GET", "/v1/determinations/" + id, null);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(TestServer.json(read)).isEqualTo(TestServer.json(made));
    }

    @Test
    void aHookJwtAcceptedByOneIsAReplayOnTheOther() throws Exception {
        String path = "/cds-services/medpolicy-order-sign";
        String body = Files.readString(Path.of("..", "examples", "cds", "order-sign.json"));
        String jwt = first.ehrJwt(path);
        HttpResponse<String> once = first.raw(HttpRequest.newBuilder(first.uri(path)).header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(once.statusCode()).as(once.body()).isEqualTo(200);
        HttpResponse<String> again = second.raw(HttpRequest.newBuilder(second.uri(path)).header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(again.statusCode()).as("the same jti at the other server: " + again.body()).isEqualTo(401);
    }

    @Test
    void aSessionStartedOnOneWorksOnTheOtherUntilItEndsOnEither() throws Exception {
        String session = first.signedIn("rhea", Role.REVIEWER);
        assertThat(second.as(session, "GET", "/v1/cases", null).statusCode()).isEqualTo(200);
        assertThat(second.as(session, "DELETE", "/v1/sessions/current", null).statusCode()).isEqualTo(204);
        assertThat(first.as(session, "GET", "/v1/cases", null).statusCode()).as("signed out on the other server").isEqualTo(401);
    }

    @Test
    void aClientRevokedThroughOneIsRefusedByTheOther() throws Exception {
        String token = first.clientToken("revoked-on-first", "system/determinations.read");
        assertThat(second.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode()).isEqualTo(200);
        assertThat(first.security.clients().revoke("revoked-on-first", Instant.now())).isTrue();
        assertThat(second.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode()).isEqualTo(401);
    }

    @Test
    void eachServerTakesItsShareOfAClientsRate() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((first.application.servers() < 2 || second.application.servers() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(first.application.servers()).as("servers on the database, seen from the first").isEqualTo(2);
        assertThat(second.application.servers()).as("seen from the second").isEqualTo(2);

        // Registered for a burst of 10 calls and 1 a second: 5 at each server, then 429.
        Client limited = new Client("rate-shared", Client.Kind.BACKEND, null, new JWKSet(TestServer.newKey("rate-1").toPublicJWK()), List.of(),
                Scopes.parse("system/determinations.read"), 1, 10, Instant.now(), null, List.of());
        first.security.clients().register(limited);
        String token = first.security.tokens().issue(limited, Scopes.parse("system/determinations.read"), Duration.ofHours(1)).accessToken();
        for (TestServer server : List.of(first, second)) {
            int answered = 0;
            while (server.as(token, "GET", "/v1/determinations?requestId=none", null).statusCode() == 200) {
                answered++;
            }
            assertThat(answered).as("calls answered before a 429 at one server").isBetween(5, 6);
        }
    }
}
