package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.fhir.Fhir;

/**
 * The crash harness of issue #12: the real {@code serve} process is killed with SIGKILL, at a random
 * moment under concurrent load on every write path, restarted on the same database, and every write
 * it acknowledged must be there: determinations (byte for byte), cases filed, given information,
 * signed by a physician and noticed, PAS submissions and updates, sessions, the replay guard's used assertion ids, and clients and
 * users added by the CLI while the server runs.
 *
 * <p>{@code mvn -B verify} runs the short form: {@value #DEFAULT_KILLS} kills on the embedded H2
 * default. {@code bench/crash.sh KILLS [h2|postgresql]} runs the long form with the system
 * properties {@code medpolicy.crash.kills}, {@code medpolicy.crash.store} and
 * {@code medpolicy.crash.seconds}; it prints one line per kill and a summary for BENCHMARKS.md.
 */
class CrashHarnessTest {

    static final int DEFAULT_KILLS = 2;
    private static final String PUBLIC_URL = "https://medpolicy.test";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path folder;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String db;
    private Map<String, String> environment = Map.of();
    private String token;
    private int port;

    // What was acknowledged, kept across kills: each must survive every later kill too.
    private final Map<String, String> determinations = new ConcurrentHashMap<>();
    private final Map<String, String> caseStages = new ConcurrentHashMap<>();
    private final Queue<String> claims = new ConcurrentLinkedQueue<>();
    private final Queue<String> sessions = new ConcurrentLinkedQueue<>();
    private final Queue<String> clients = new ConcurrentLinkedQueue<>();
    private final Queue<String> users = new ConcurrentLinkedQueue<>();
    // Used assertions are checked in the round they were used: after it, they expire anyway.
    private final Queue<String> usedAssertions = new ConcurrentLinkedQueue<>();
    private final Deque<String> freshAssertions = new ConcurrentLinkedDeque<>();
    // Unique across rounds: a Claim identifier or client id is never reused after a restart.
    private final AtomicInteger sequence = new AtomicInteger();
    // The access audit is written behind the response: how much of it each kill took, in milliseconds.
    private final List<Long> auditLossMillis = new ArrayList<>();
    private java.time.Instant killedAt;

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        int kills = Integer.getInteger("medpolicy.crash.kills", DEFAULT_KILLS);
        int seconds = Integer.getInteger("medpolicy.crash.seconds", 3);
        String store = System.getProperty("medpolicy.crash.store", "h2");
        EmbeddedPostgres postgres = null;
        if (store.equals("postgresql")) {
            postgres = EmbeddedPostgres.builder().start();
            db = postgres.getJdbcUrl("postgres", "postgres");
            environment = Map.of("MEDPOLICY_DB_USER", "postgres", "MEDPOLICY_DB_PASSWORD", "postgres");
        } else {
            db = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        }
        try {
            prepare();
            int lost = 0;
            int acknowledged = 0;
            for (int kill = 1; kill <= kills; kill++) {
                port = freePort();
                Process server = start();
                try {
                    awaitHealthy(server);
                    mintToken();
                    if (kill > 1) {
                        lost += verify("after kill " + (kill - 1));
                    }
                    usedAssertions.clear();
                    int before = total();
                    load(server, seconds);
                    acknowledged += total() - before;
                } finally {
                    server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
            port = freePort();
            Process last = start();
            try {
                awaitHealthy(last);
                lost += verify("after kill " + kills);
            } finally {
                last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            System.out.printf("crash harness: store %s, %d kills, %d writes acknowledged (%d determinations, %d case steps, "
                            + "%d PAS requests, %d sessions, %d clients, %d users, assertions each round), %d lost%n", store, kills,
                    acknowledged, determinations.size(), caseStages.size(), claims.size(), sessions.size(), clients.size(), users.size(), lost);
            List<Long> windows = auditLossMillis.stream().sorted().toList();
            if (!windows.isEmpty()) {
                System.out.printf("crash harness: audit loss window per kill, ms: median %d, max %d (%s)%n",
                        windows.get(windows.size() / 2), windows.get(windows.size() - 1), auditLossMillis);
            }
            if (!store.equals("postgresql")) {
                System.out.printf("crash harness: H2 files recovered after a kill: %d by the restarted server, %d by a CLI that opened "
                        + "it first%n", recoveredByServer(), recoveredByCli.get());
            }
            assertThat(lost).as("acknowledged writes lost").isZero();
            assertThat(determinations).as("the load wrote determinations").isNotEmpty();
            // The last step each case reached: NOTIFIED means it was filed, signed and noticed.
            assertThat(caseStages.values()).as("cases went through every step").contains("NOTIFIED");
            assertThat(claims).isNotEmpty();
            assertThat(clients).as("the CLI added clients while the server ran").isNotEmpty();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private int total() {
        return determinations.size() + caseStages.size() + claims.size() + sessions.size() + clients.size() + users.size()
                + usedAssertions.size();
    }

    /** The harness's own backend client (every PAS scope, acting for the test provider) and two users, before the first start. */
    private void prepare() throws Exception {
        Path publicKeys = folder.resolve("harness-public.json");
        Files.writeString(publicKeys, cli("clients", "keygen", "--out", folder.resolve("harness.jwk").toString()));
        cli("clients", "add", "--id", "harness", "--jwks-file", publicKeys.toString(), "--rate", "100000", "--burst", "100000",
                "--scopes", "system/determinations.write system/determinations.read system/Claim.write system/ClaimResponse.read "
                        + "system/audit.read",
                "--org-identifier", TestServer.PROVIDER_NPI, "--db", db);
        Files.writeString(folder.resolve("password"), PASSWORD + "\n");
        cli("users", "add", "--username", "ines", "--role", "INTAKE", "--password-file", folder.resolve("password").toString(), "--db", db);
        cli("users", "add", "--username", "dr.paul", "--name", "Dr. Paul", "--role", "PHYSICIAN",
                "--password-file", folder.resolve("password").toString(), "--db", db);
    }

    /** An access token of the harness client, minted once the first server has made the signing key. */
    private void mintToken() throws Exception {
        if (token == null) {
            token = cli("token", "--client", "harness", "--lifetime", "PT60M", "--public-url", PUBLIC_URL, "--db", db,
                    "--signing-key-file", folder.resolve("signing.jwk").toString()).strip();
        }
    }

    /** Load on every write path for about {@code seconds}, then SIGKILL at a random moment of it. */
    private void load(Process server, int seconds) throws Exception {
        String intake = signIn("ines");
        String physician = signIn("dr.paul");
        freshAssertions.clear();
        for (String assertion : cli("assertion", "--client", "harness", "--key-file", folder.resolve("harness.jwk").toString(),
                "--aud", PUBLIC_URL + "/auth/token", "--count", "200").strip().split("\n")) {
            freshAssertions.add(assertion.strip());
        }
        // Each path once before the clock starts: the first FHIR call and the first notice load
        // HAPI and the PDF fonts, which would otherwise take the whole window.
        String warmClaim = "HARNESS-WARM-" + System.nanoTime();
        if (send("POST", "/fhir/Claim/$submit", token, "application/fhir+json",
                Fhir.toJson(PasTest.request(warmClaim, "M-" + warmClaim, null))).statusCode() == 200) {
            claims.add(warmClaim);
        }
        caseLifecycle(intake, physician);
        // And one client added by the CLI through the running server: the loop's own may all be the
        // command in flight at the kill (never acknowledged), which left the path unchecked.
        String warmClient = "cli-warm-" + sequence.incrementAndGet();
        if (cliSucceeds("clients", "add", "--id", warmClient, "--jwks-file", folder.resolve("harness-public.json").toString(),
                "--scopes", "system/determinations.read", "--db", db)) {
            clients.add(warmClient);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> work = new ArrayList<>();
        for (int worker = 0; worker < 3; worker++) {
            work.add(pool.submit(() -> untilStopped(running, () -> {
                String body = JsonApiTest.REQUEST.replace("PA-2026-000123", "HARNESS-" + sequence.incrementAndGet());
                HttpResponse<String> decided = send("POST", "/v1/determinations", token, "application/json", body);
                if (decided.statusCode() == 201) {
                    determinations.put(TestServer.JSON.readTree(decided.body()).get("determinationId").asText(), decided.body());
                }
            })));
        }
        work.add(pool.submit(() -> untilStopped(running, () -> caseLifecycle(intake, physician))));
        work.add(pool.submit(() -> untilStopped(running, () -> {
            String claim = "HARNESS-CLAIM-" + sequence.incrementAndGet();
            HttpResponse<String> submitted = send("POST", "/fhir/Claim/$submit", token, "application/fhir+json",
                    Fhir.toJson(PasTest.request(claim, "M-" + claim, null)));
            if (submitted.statusCode() != 200) {
                refused("PAS submission", submitted);
                return;
            }
            claims.add(claim);
            // Every other request is updated: the update's own Claim identifier then names it too.
            if (sequence.get() % 2 == 0) {
                String update = claim + "-U";
                HttpResponse<String> updated = send("POST", "/fhir/Claim/$submit", token, "application/fhir+json",
                        Fhir.toJson(PasTest.update(update, claim, "M-" + claim, null, false)));
                if (updated.statusCode() == 200) {
                    claims.add(update);
                } else {
                    refused("PAS update", updated);
                }
            }
        })));
        work.add(pool.submit(() -> untilStopped(running, () -> {
            String session = signIn(ThreadLocalRandom.current().nextBoolean() ? "ines" : "dr.paul");
            if (session != null) {
                sessions.add(session);
            }
            String assertion = freshAssertions.poll();
            if (assertion != null) {
                HttpResponse<String> exchanged = send("POST", "/auth/token", null, "application/x-www-form-urlencoded",
                        "grant_type=client_credentials&scope=system%2Fdeterminations.read"
                                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                                + "&client_assertion=" + assertion);
                if (exchanged.statusCode() == 200) {
                    usedAssertions.add(assertion);
                }
            }
            Thread.sleep(100);
        })));
        work.add(pool.submit(() -> untilStopped(running, () -> {
            // The CLI writing beside a running server, as an operator does.
            String id = "cli-" + sequence.incrementAndGet();
            if (cliSucceeds("clients", "add", "--id", id, "--jwks-file", folder.resolve("harness-public.json").toString(),
                    "--scopes", "system/determinations.read", "--db", db)) {
                clients.add(id);
            }
            String user = "user" + sequence.incrementAndGet();
            if (cliSucceeds("users", "add", "--username", user, "--role", "REVIEWER", "--password-file",
                    folder.resolve("password").toString(), "--db", db)) {
                users.add(user);
            }
        })));
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000 + ThreadLocalRandom.current().nextLong(seconds * 1_000L));
        while (System.nanoTime() < killAt) {
            Thread.sleep(10);
        }
        killedAt = java.time.Instant.now();
        server.destroyForcibly();
        server.waitFor(30, TimeUnit.SECONDS);
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("the load stops").isTrue();
    }

    /** Files a case, has the physician sign the denial, sends the notice: each step acknowledged is recorded. */
    private void caseLifecycle(String intake, String physician) throws Exception {
        HttpResponse<String> filed = send("POST", "/v1/cases", intake, "application/json", CasesApiTest.newCase(CasesApiTest.TIL, ""));
        if (filed.statusCode() != 201) {
            refused("case filing", filed);
            return;
        }
        String id = TestServer.JSON.readTree(filed.body()).get("caseId").asText();
        caseStages.put(id, "FILED");
        HttpResponse<String> informed = send("POST", "/v1/cases/" + id + "/information", intake, "application/json",
                "{\"answers\":{\"0\":{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}},\"reason\":\"faxed notes\"}");
        if (informed.statusCode() != 200) {
            refused("information", informed);
            return;
        }
        caseStages.put(id, "INFORMED");
        HttpResponse<String> decided = send("POST", "/v1/cases/" + id + "/decision", physician, "application/json",
                "{\"outcome\":\"DENIED\"}");
        if (decided.statusCode() != 200) {
            refused("decision", decided);
            return;
        }
        caseStages.put(id, "DECIDED");
        HttpResponse<String> noticed = send("POST", "/v1/cases/" + id + "/notice", intake, "application/json", "{}");
        if (noticed.statusCode() == 200) {
            caseStages.put(id, "NOTIFIED");
        } else {
            refused("notice", noticed);
        }
    }

    /**
     * How long before the kill the newest audit entry is: the audit's loss window (its writer
     * gathers entries for up to 50 ms into one commit, after the response). Measured, not promised.
     */
    private void measureAuditLoss() throws Exception {
        HttpResponse<String> audit = send("GET", "/v1/audit?from=" + killedAt.minusSeconds(30) + "&to=" + killedAt + "&limit=1",
                token, null, null);
        if (audit.statusCode() == 200) {
            var newest = TestServer.JSON.readTree(audit.body()).path("entries").path(0).path("at");
            if (newest.isTextual()) {
                auditLossMillis.add(Duration.between(java.time.Instant.parse(newest.asText()), killedAt).toMillis());
            }
        }
    }

    /** Checks everything acknowledged so far; returns how many were lost, printing each. */
    private int verify(String when) throws Exception {
        measureAuditLoss();
        List<String> lost = new ArrayList<>();
        for (var entry : determinations.entrySet()) {
            HttpResponse<String> read = send("GET", "/v1/determinations/" + entry.getKey(), token, null, null);
            if (read.statusCode() != 200 || !read.body().equals(entry.getValue())) {
                lost.add("determination " + entry.getKey() + " (" + read.statusCode() + ")");
            }
        }
        String intake = signIn("ines");
        for (var entry : caseStages.entrySet()) {
            HttpResponse<String> read = patiently("GET", "/v1/cases/" + entry.getKey(), intake, null, null);
            JsonNode view = read.statusCode() == 200 ? TestServer.JSON.readTree(read.body()) : null;
            String state = view != null ? view.get("state").asText() : "missing (" + read.statusCode() + ")";
            boolean informedKept = view != null && view.get("history").toString().contains("faxed notes");
            boolean kept = switch (entry.getValue()) {
                case "FILED" -> view != null;
                case "INFORMED" -> informedKept;
                case "DECIDED" -> informedKept && (state.equals("DECIDED") || state.equals("NOTIFIED"));
                default -> informedKept && state.equals("NOTIFIED");
            };
            if (!kept) {
                lost.add("case " + entry.getKey() + " acknowledged " + entry.getValue() + ", now " + state);
            }
        }
        for (String claim : claims) {
            String member = "M-" + claim.replaceAll("-U$", "");
            HttpResponse<String> inquired = send("POST", "/fhir/Claim/$inquire", token, "application/fhir+json",
                    Fhir.toJson(PasTest.request(claim, member, null)));
            if (inquired.statusCode() != 200) {
                lost.add("PAS request " + claim + " (" + inquired.statusCode() + ")");
            }
        }
        for (String session : sessions) {
            if (patiently("GET", "/v1/cases", session, null, null).statusCode() != 200) {
                lost.add("session " + session.substring(0, 8) + "…");
            }
        }
        for (String assertion : usedAssertions) {
            HttpResponse<String> again = send("POST", "/auth/token", null, "application/x-www-form-urlencoded",
                    "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                            + "&client_assertion=" + assertion);
            if (again.statusCode() == 200) {
                lost.add("used assertion accepted again: the replay guard forgot it");
            }
            Thread.sleep(60);   // under the token endpoint's 20 per second per address
        }
        String listed = cli("clients", "list", "--db", db);
        clients.stream().filter(id -> !listed.contains(id + " ")).forEach(id -> lost.add("client " + id));
        String people = cli("users", "list", "--db", db);
        users.stream().filter(user -> !people.contains(user)).forEach(user -> lost.add("user " + user));
        System.out.printf("crash harness %s: %d acknowledged writes checked, %d lost%s%n", when, total(), lost.size(),
                lost.isEmpty() ? "" : ": " + String.join("; ", lost.subList(0, Math.min(10, lost.size()))));
        return lost.size();
    }

    private final java.util.Set<String> reported = ConcurrentHashMap.newKeySet();

    /** A write the server refused (not one lost to the kill): said once per path, for whoever reads the log. */
    private void refused(String what, HttpResponse<String> response) {
        if (reported.add(what)) {
            System.out.println("crash harness: a " + what + " was refused " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Repeats {@code step} until stopped; a failed call (the server was just killed) ends the worker. */
    private static Void untilStopped(AtomicBoolean running, Step step) {
        while (running.get()) {
            try {
                step.run();
            } catch (IOException | InterruptedException killed) {
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return null;
    }

    private String signIn(String username) throws IOException, InterruptedException {
        HttpResponse<String> session = send("POST", "/v1/sessions", null, "application/json",
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        return session.statusCode() == 201 ? TestServer.JSON.readTree(session.body()).get("token").asText() : null;
    }

    /**
     * {@link #send}, waiting out a 429: checking hundreds of cases as one user outruns a user's rate
     * bucket, and a refusal for rate is not a lost write.
     */
    private HttpResponse<String> patiently(String method, String path, String bearer, String contentType, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> response = send(method, path, bearer, contentType, body);
        for (int attempt = 0; attempt < 20 && response.statusCode() == 429; attempt++) {
            Thread.sleep(1_000L * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            response = send(method, path, bearer, contentType, body);
        }
        return response;
    }

    private HttpResponse<String> send(String method, String path, String bearer, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "org.medpolicy.app.cli.Main", "serve", "--port", Integer.toString(port), "--quiet", "--db", db,
                "--member-key-file", folder.resolve("member.key").toString(),
                "--signing-key-file", folder.resolve("signing.jwk").toString(), "--public-url", PUBLIC_URL,
                "--policies", Path.of("..", "policies").toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("server.log").toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private void awaitHealthy(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server process is running: " + serverLog()).isTrue();
            try {
                if (send("GET", "/health", null, null, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not become healthy in 90 s: " + serverLog());
    }

    private String serverLog() {
        try {
            String log = Files.readString(folder.resolve("server.log"));
            return log.substring(Math.max(0, log.length() - 2_000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A finished CLI run: its exit code and what it printed (standard output, then standard error). */
    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.PIPE);
        Process process = builder.start();
        // Standard error is read on its own thread, so neither stream can fill up and stall the other.
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), out, err.get());
    }

    private String cli(String... args) throws Exception {
        Run done = run(args);
        assertThat(done.exit()).as("medpolicy " + String.join(" ", args) + ": " + done.err()).isZero();
        return done.out();
    }

    private final AtomicInteger recoveredByCli = new AtomicInteger();

    private boolean cliSucceeds(String... args) throws Exception {
        Run done = run(args);
        if (done.err().contains("not closed cleanly")) {
            recoveredByCli.incrementAndGet();   // a CLI opened the killed server's file first, and recovered it
        }
        if (done.exit() != 0 && reported.add("cli " + args[0] + " " + args[1])) {
            // Not a loss (it was never acknowledged), but said once per command, for whoever reads the log.
            System.out.printf("crash harness: medpolicy %s %s refused (exit %d): %s%n", args[0], args[1], done.exit(), done.err().strip());
        }
        return done.exit() == 0;
    }

    /** How often a restarted server found the file not closed cleanly and recovered it. */
    private long recoveredByServer() {
        try {
            return Files.readString(folder.resolve("server.log")).lines().filter(line -> line.contains("not closed cleanly")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "org.medpolicy.app.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
