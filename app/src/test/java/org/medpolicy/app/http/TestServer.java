package org.medpolicy.app.http;

import org.medpolicy.app.http.auth.TokenRoutes;
import org.medpolicy.app.http.fhir.DecisionNotifier;

import org.medpolicy.core.application.DeterminationService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.security.Client;
import org.medpolicy.security.Scopes;
import org.medpolicy.security.SigningKey;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcAuditTrail;
import org.medpolicy.store.JdbcClientRegistry;
import org.medpolicy.store.JdbcDeterminationLog;
import org.medpolicy.store.JdbcReplayGuard;
import org.medpolicy.store.JdbcUserDirectory;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Passwords;
import org.medpolicy.security.User;

/**
 * A real server on a free port with a real database, and an HTTP client to call it. Close it after use.
 *
 * <p>Security is real too: a backend client {@code test-all} holding every scope, whose token
 * {@link #get}, {@link #post} and {@link #send} attach, and an EHR {@code test-ehr} whose freshly
 * signed CDS Hooks JWT goes with every POST to {@code /cds-services/…}. Tests of security itself
 * use {@link #raw} and build their credentials by hand.
 */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final java.time.ZoneId ZONE = java.time.ZoneId.of("America/New_York");
    /** The policies of the checkout, as the set a server publishes. */
    static final org.medpolicy.core.policy.PolicySet POLICY_SET = org.medpolicy.core.policy.PolicySet.read(Path.of("..", "policies"));
    static final CoverageEngine ENGINE = CoverageEngines.create(PolicyLoader.load(Path.of("..", "policies")), POLICY_SET.id(),
            Clock.systemUTC(), ZONE);
    static final byte[] KEY = "an-example-member-hash-key-of-32-bytes!".getBytes();
    static final String PUBLIC_URL = "http://localhost:0";
    static final String EHR_ISSUER = "https://ehr.example.org";
    /** The PHI seal of every test server's decision log (a fixed test key). */
    static final org.medpolicy.core.log.PhiSeal PHI_SEAL = new org.medpolicy.core.log.PhiSeal(
            "medpolicy-test-phi-key-32-bytes!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final String ALL_SCOPES = String.join(" ", TokenRoutes.SCOPES);
    static final String PASSWORD = "correct horse battery staple";
    /** The provider NPI of {@link PasTest}'s requests, and of the PAS kit's fixtures: the test client acts for both. */
    static final String PROVIDER_NPI = "1234567893";
    static final String KIT_PROVIDER_NPI = "8189991234";

    /** The clock cases and reconsiderations keep time by: the system's, moved forward by {@link TestClock#advance}. */
    final TestClock clock = new TestClock();
    final Database database;
    final Database securityDatabase;
    final DeterminationLog log;
    final DeterminationService determinations;
    final org.medpolicy.store.JdbcPolicySets policySets;
    final org.medpolicy.core.application.PublishedPolicies published;
    final ServerSecurity security;
    final JdbcAuditTrail audit;
    final JdbcReplayGuard replays;
    final JdbcUserDirectory users;
    final org.medpolicy.core.cases.CaseRepository cases;
    final Application application;
    final DecisionNotifier notifier;
    final MedpolicyServer server;
    final ECKey ehrKey;
    final String token;
    final HttpClient client;
    private final String scheme;

    TestServer(String databaseUrl, String user, String password) {
        this(Database.open(databaseUrl, user, password), null, SecuritySettings.defaults().withFailureLimit(10_000, 10_000));
    }

    TestServer(DeterminationLog log) {
        this(null, log, SecuritySettings.defaults().withFailureLimit(10_000, 10_000));
    }

    TestServer(Database database, DeterminationLog log, SecuritySettings settings) {
        this(database, log, settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    TestServer(Database database, DeterminationLog log, SecuritySettings settings, HttpClient client) {
        this(database, log, settings, client, SigningKey.generate(), null);
    }

    /**
     * A second server on {@code first}'s database (its own pool, {@code database}), as a second
     * instance of a deployment is: the same signing key, the same clients (not registered again),
     * nothing else shared.
     */
    TestServer(Database database, TestServer first) {
        this(database, null, SecuritySettings.defaults().withFailureLimit(10_000, 10_000),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), first.security.signingKey(), first);
    }

    private TestServer(Database database, DeterminationLog log, SecuritySettings settings, HttpClient client, SigningKey signingKey,
                       TestServer first) {
        this.client = client;
        this.scheme = settings.tlsKeystore() == null ? "http" : "https";
        this.database = database;
        // As serve keeps it: PHI sealed at rest (a test key).
        this.log = log != null ? log : new org.medpolicy.core.log.SealedDeterminationLog(new JdbcDeterminationLog(database), PHI_SEAL);
        this.securityDatabase = database != null ? database
                : Database.open("jdbc:h2:mem:security-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, null);
        JdbcClientRegistry registry = new JdbcClientRegistry(securityDatabase);
        this.audit = new JdbcAuditTrail(securityDatabase);
        this.users = new JdbcUserDirectory(securityDatabase);
        this.replays = new JdbcReplayGuard(securityDatabase, Clock.systemUTC());
        this.security = ServerSecurity.create(registry, replays, audit, users, users,
                new org.medpolicy.store.JdbcSignInFailures(securityDatabase), signingKey, PUBLIC_URL, Clock.systemUTC(), Duration.ZERO, settings);
        // Assembled as `serve` assembles, except that PAS notifications may go to a listener on loopback.
        this.application = Application.assemble(securityDatabase, this.log, PHI_SEAL, security, ENGINE, POLICY_SET, new MemberKeyHasher(KEY),
                new Application.Options(PUBLIC_URL, "Example Health Plan", AccessLog.disabled(), "test server", Duration.ZERO,
                        org.medpolicy.app.outbound.EndpointRule.anyForTests(), line -> { }, clock));
        this.determinations = application.determinations();
        this.cases = application.cases().repository();
        this.notifier = application.cases().notifier();
        this.policySets = application.policySets();
        this.published = application.published();
        Client all;
        if (first == null) {
            this.ehrKey = newKey("ehr-1");
            all = new Client("test-all", Client.Kind.BACKEND, null, new JWKSet(newKey("all-1").toPublicJWK()), List.of(),
                    Scopes.parse(ALL_SCOPES), 100_000, 100_000, Instant.now(), null, List.of(PROVIDER_NPI, KIT_PROVIDER_NPI));
            registry.register(all);
            registry.register(new Client("test-ehr", Client.Kind.EHR, EHR_ISSUER, new JWKSet(ehrKey.toPublicJWK()), List.of(),
                    Scopes.none(), 100_000, 100_000, Instant.now(), null));
        } else {
            this.ehrKey = first.ehrKey;
            all = registry.find("test-all").orElseThrow();
        }
        this.token = security.tokens().issue(all, Scopes.parse(ALL_SCOPES), Duration.ofHours(1)).accessToken();
        this.server = application.server().start(0);
    }

    /** The system clock moved forward by a settable amount, so a test can reach a deadline. Thread-safe. */
    static final class TestClock extends Clock {
        private volatile Duration ahead = Duration.ZERO;

        /** Moves the clock {@code by} further ahead; {@link #reset} brings it back. */
        void advance(Duration by) {
            ahead = ahead.plus(by);
        }

        void reset() {
            ahead = Duration.ZERO;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the test clock is UTC");
        }
    }

    static TestServer h2(Path folder) {
        return new TestServer("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(), null, null);
    }

    static ECKey newKey(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CDS Hooks JWT of the test EHR for the service at {@code path}, valid for five minutes. */
    String ehrJwt(String path) {
        Instant now = Instant.now();
        return sign(ehrKey, new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(ehrKey.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(EHR_ISSUER).audience(PUBLIC_URL + path).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString()).build());
    }

    static String sign(ECKey key, JWSHeader header, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Adds a user with {@link #PASSWORD} and the roles, and signs them in: the session token. */
    String signedIn(String username, Role... roles) throws IOException, InterruptedException {
        return signedIn(username, username, null, roles);
    }

    /** Adds a user with a display name and credentials (as notices print them) and signs them in. */
    String signedIn(String username, String displayName, String credentials, Role... roles) throws IOException, InterruptedException {
        if (users.find(username).isEmpty()) {
            users.add(new User(username, displayName, java.util.Set.of(roles), Passwords.hash(PASSWORD.toCharArray()), Instant.now(), null,
                    credentials));
        }
        HttpResponse<String> session = raw(HttpRequest.newBuilder(uri("/v1/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")).build());
        if (session.statusCode() != 201) {
            throw new IllegalStateException("sign-in failed: " + session.body());
        }
        return json(session).get("token").asText();
    }

    /** Sends {@code body} (JSON) with {@code method} to {@code path} as the session {@code token}. */
    HttpResponse<String> as(String token, String method, String path, String body) throws IOException, InterruptedException {
        return as(token, method, path, "application/json", body);
    }

    /** Sends {@code body} of {@code contentType} with {@code method} to {@code path} with the bearer {@code token}. */
    HttpResponse<String> as(String token, String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return raw(request.build());
    }

    /**
     * Registers another backend client, {@code id}, with {@code scopes}, acting for the organizations
     * {@code npis}, and returns an access token of it: a second tenant.
     */
    String clientToken(String id, String scopes, String... npis) {
        try {
            Client client = new Client(id, Client.Kind.BACKEND, null, new JWKSet(newKey(id + "-1").toPublicJWK()), List.of(),
                    Scopes.parse(scopes), 100_000, 100_000, Instant.now(), null, List.of(npis));
            security.clients().register(client);
            return security.tokens().issue(client, Scopes.parse(scopes), Duration.ofHours(1)).accessToken();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return URI.create(scheme + "://localhost:" + server.port() + path);
    }

    private HttpRequest.Builder authorized(String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        String credential = method.equals("POST") && path.startsWith("/cds-services/") ? ehrJwt(path) : token;
        return request.header("Authorization", "Bearer " + credential);
    }

    /** How many determinations the log holds for {@code requestId}, whoever made them. */
    /** Lets the test EHR's hook calls be read from {@code bases} (listeners on loopback, so registered as private). */
    void ehrReadsFrom(String... bases) {
        security.clients().setFhirServers("test-ehr", new org.medpolicy.security.FhirServers(
                java.util.Arrays.stream(bases).map(java.net.URI::create).toList(), true));
    }

    static int countLogged(TestServer server, String requestId) {
        return server.log.search(org.medpolicy.core.log.DeterminationSearch.of(requestId, org.medpolicy.core.log.DeterminationSearch.MAX_LIMIT))
                .records().size();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(authorized("GET", path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = authorized("POST", path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return client.send(authorized(method, path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} as built: no credentials added. */
    HttpResponse<String> raw(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static final java.util.regex.Pattern CITED = java.util.regex.Pattern.compile("\\(determination ([0-9a-z-]+)\\)");

    /**
     * Every determination a case's history cites, read back over {@code GET /v1/determinations/{id}}
     * (each must be there, exactly as the case keeps its latest), with the channel the log recorded
     * for each, oldest first. The latest one's {@code decisionDueBy} is the case's own due time:
     * one rule for the deadline.
     */
    List<String> channelsOfCaseDeterminations(String caseId) throws IOException, InterruptedException {
        var reviewCase = cases.find(caseId).orElseThrow();
        List<String> ids = new java.util.ArrayList<>();
        for (var event : cases.history(caseId)) {
            var cited = CITED.matcher(String.valueOf(event.reason()));
            while (cited.find()) {
                ids.add(cited.group(1));
            }
        }
        org.assertj.core.api.Assertions.assertThat(ids).as("determinations cited by case " + caseId).isNotEmpty();
        List<String> channels = new java.util.ArrayList<>();
        for (String id : ids) {
            HttpResponse<String> read = get("/v1/determinations/" + id);
            org.assertj.core.api.Assertions.assertThat(read.statusCode()).as("GET /v1/determinations/" + id).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThat(json(read).get("determinationId").asText()).isEqualTo(id);
            channels.add(log.find(id).orElseThrow().channel());
        }
        JsonNode latest = org.medpolicy.core.json.ContractJson.mapper().valueToTree(reviewCase.recommendation());
        org.assertj.core.api.Assertions.assertThat(latest.get("determinationId").asText()).isEqualTo(ids.get(ids.size() - 1));
        org.assertj.core.api.Assertions.assertThat(json(get("/v1/determinations/" + ids.get(ids.size() - 1))))
                .isEqualTo(latest);
        org.assertj.core.api.Assertions.assertThat(Instant.parse(latest.get("decisionDueBy").asText()))
                .as("the determination's decisionDueBy is the case's due time").isEqualTo(reviewCase.originalDueAt());
        return channels;
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        application.close();
        log.close();
        replays.close();
        audit.close();
        if (database != null) {
            database.close();
        }
        if (securityDatabase != database) {
            securityDatabase.close();
        }
    }
}
