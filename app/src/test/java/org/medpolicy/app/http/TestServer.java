package org.medpolicy.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;

/** A real server on a free port with a real database, and an HTTP client to call it. Close it after use. */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final CoverageEngine ENGINE = CoverageEngines.create(PolicyLoader.load(Path.of("..", "policies")), Clock.systemUTC());
    static final byte[] KEY = "an-example-member-hash-key-of-32-bytes!".getBytes();

    final Database database;
    final DeterminationLog log;
    final MedpolicyServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestServer(String databaseUrl, String user, String password) {
        this.database = Database.open(databaseUrl, user, password);
        this.log = new JdbcDeterminationLog(database);
        this.server = new MedpolicyServer(ENGINE, log, new MemberKeyHasher(KEY), Clock.systemUTC(), "http://localhost:0",
                AccessLog.disabled()).start(0);
    }

    TestServer(DeterminationLog log) {
        this.database = null;
        this.log = log;
        this.server = new MedpolicyServer(ENGINE, log, new MemberKeyHasher(KEY), Clock.systemUTC(), "http://localhost:0",
                AccessLog.disabled()).start(0);
    }

    static TestServer h2(Path folder) {
        return new TestServer("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(), null, null);
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + server.port() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        log.close();
        if (database != null) {
            database.close();
        }
    }
}
