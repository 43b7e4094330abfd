package org.medpolicy.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.application.PublishedPolicies;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;
import org.medpolicy.store.JdbcPolicySets;

/**
 * New policy data without a restart: published, checked, switched to atomically (a request is
 * decided wholly by the old or wholly by the new data), reported at /health and in every
 * determination; replay of a determination with the data it was decided under, and with today's.
 */
class PolicyReloadTest {

    @TempDir
    static Path folder;
    static TestServer server;
    /** Today's policies less Ryoncil: a request naming it is asked about instead of sent to the Medication Policy Manual. */
    static PolicySet withoutRyoncil;

    static final String RYONCIL = "{\"requestId\":\"RELOAD-1\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
            + "\"dateOfService\":\"2026-12-15\",\"requester\":{\"role\":\"TREATING_PROVIDER\"},\"member\":{\"id\":\"M1\"},"
            + "\"items\":[{\"product\":\"Ryoncil\",\"therapy\":\"GENE_THERAPY\"}]}";

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.h2(folder.resolve("server"));
        withoutRyoncil = PolicySet.read(copyWithoutRyoncil(folder.resolve("without-ryoncil")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Path copyWithoutRyoncil(Path copy) throws IOException {
        Path policies = Path.of("..", "policies");
        try (Stream<Path> files = Files.walk(policies)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(policies.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path products = copy.resolve("reference/fda-approved-products.yaml");
        String text = Files.readString(products);
        Files.writeString(products, text.substring(0, text.indexOf("  - id: ryoncil\n")) + text.substring(text.indexOf("  - id: encelto\n")));
        return copy;
    }

    static JsonNode decide() throws Exception {
        HttpResponse<String> response = server.post("/v1/determinations", "application/json", RYONCIL);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return TestServer.json(response);
    }

    static void publish(PolicySet set) {
        server.policySets.save(set);
        server.policySets.publish(set.id(), "test");
    }

    @Test
    void publishedDataIsUsedReportedAndEveryDeterminationReplays() throws Exception {
        publish(TestServer.POLICY_SET);
        server.published.refresh();
        JsonNode before = decide();
        assertThat(before.at("/policy/dataVersion").asText()).isEqualTo(TestServer.POLICY_SET.id());
        assertThat(before.at("/items/0/outcome").asText()).isEqualTo("OUT_OF_SCOPE");

        publish(withoutRyoncil);
        assertThat(server.published.refresh()).isTrue();
        assertThat(TestServer.json(server.get("/health")).get("policyData").asText()).isEqualTo(withoutRyoncil.id());
        JsonNode after = decide();
        assertThat(after.at("/policy/dataVersion").asText()).isEqualTo(withoutRyoncil.id());
        assertThat(after.at("/items/0/outcome").asText()).isEqualTo("INFO_NEEDED");

        JsonNode replayed = TestServer.json(server.get("/v1/determinations/" + before.get("determinationId").asText() + "/replay"));
        assertThat(replayed.get("identical").asBoolean()).as(replayed.toString()).isTrue();
        assertThat(replayed.get("dataVersion").asText()).isEqualTo(TestServer.POLICY_SET.id());
        assertThat(replayed.at("/current/dataVersion").asText()).isEqualTo(withoutRyoncil.id());
        assertThat(replayed.at("/current/sameAnswer").asBoolean()).isFalse();
        assertThat(replayed.at("/current/differences")).anySatisfy(line ->
                assertThat(line.asText()).isEqualTo("items[0].outcome: \"OUT_OF_SCOPE\" → \"INFO_NEEDED\""));
        JsonNode same = TestServer.json(server.get("/v1/determinations/" + after.get("determinationId").asText() + "/replay"));
        assertThat(same.get("identical").asBoolean()).isTrue();
        assertThat(same.get("current").isNull()).as("decided under the data in use").isTrue();

        assertThat(server.get("/v1/determinations/no-such-id/replay").statusCode()).isEqualTo(404);
        server.log.append(new DecisionRecord("0000-before-sets", "OLD", "API", Instant.parse("2026-01-01T00:00:00Z"),
                "ma-immunological-cellular-gene-therapies", java.time.LocalDate.parse("2025-07-01"), "0.1.0", "DENIED", null,
                Utf8Json.of("{}"), Utf8Json.of("{}"), null, null));
        HttpResponse<String> old = server.get("/v1/determinations/0000-before-sets/replay");
        assertThat(old.statusCode()).isEqualTo(409);
        assertThat(old.body()).contains("before medpolicy kept the policy data");
    }

    @Test
    void aSetThatDoesNotLoadIsNotSwitchedTo() throws Exception {
        publish(TestServer.POLICY_SET);
        server.published.refresh();
        Path broken = folder.resolve("broken");
        Files.createDirectories(broken.resolve("reference"));
        Files.writeString(broken.resolve("reference/codes.yaml"), "schema: nonsense\n");
        publish(PolicySet.read(broken));
        assertThatThrownBy(() -> server.published.refresh()).isInstanceOf(PolicyLoadException.class);
        assertThat(TestServer.json(server.get("/health")).get("policyData").asText()).isEqualTo(TestServer.POLICY_SET.id());
        assertThat(decide().at("/items/0/outcome").asText()).isEqualTo("OUT_OF_SCOPE");
        publish(TestServer.POLICY_SET);
        server.published.refresh();
    }

    @Test
    void everyRequestIsDecidedWhollyByOneSetWhileTheDataSwitches() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<JsonNode>>> calls = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                calls.add(callers.submit(() -> {
                    List<JsonNode> answers = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        answers.add(decide());
                    }
                    return answers;
                }));
            }
            for (int i = 0; i < 10; i++) {
                publish(i % 2 == 0 ? withoutRyoncil : TestServer.POLICY_SET);
                server.published.refresh();
            }
            int seen = 0;
            for (Future<List<JsonNode>> call : calls) {
                for (JsonNode answer : call.get()) {
                    String version = answer.at("/policy/dataVersion").asText();
                    String outcome = answer.at("/items/0/outcome").asText();
                    assertThat(outcome).as(version).isEqualTo(version.equals(withoutRyoncil.id()) ? "INFO_NEEDED" : "OUT_OF_SCOPE");
                    seen++;
                }
            }
            assertThat(seen).isEqualTo(160);
        } finally {
            callers.shutdownNow();
            publish(TestServer.POLICY_SET);
            server.published.refresh();
        }
    }

    /** Two servers on one PostgreSQL pick up the same published version by themselves. */
    @Test
    void twoInstancesOnOnePostgresqlServeTheSamePublication() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            List<AutoCloseable> open = new ArrayList<>();
            List<DeterminationService> instances = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Database database = Database.open(url, "postgres", "postgres");
                    JdbcDeterminationLog log = new JdbcDeterminationLog(database);
                    DeterminationService determinations = new DeterminationService(TestServer.ENGINE, log, new MemberKeyHasher(TestServer.KEY));
                    PublishedPolicies published = new PublishedPolicies(new JdbcPolicySets(database), determinations, Clock.systemUTC(),
                            TestServer.ZONE, line -> { });
                    published.start(TestServer.POLICY_SET, "instance " + i, Duration.ofMillis(100));
                    open.add(published);
                    open.add(log);
                    open.add(database);
                    instances.add(determinations);
                }
                try (Database operator = Database.open(url, "postgres", "postgres")) {
                    JdbcPolicySets sets = new JdbcPolicySets(operator);
                    sets.save(withoutRyoncil);
                    sets.publish(withoutRyoncil.id(), "operator");
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline && instances.stream().anyMatch(d -> !withoutRyoncil.id().equals(d.engine().dataVersion()))) {
                    Thread.sleep(50);
                }
                assertThat(instances).allSatisfy(d -> assertThat(d.engine().dataVersion()).isEqualTo(withoutRyoncil.id()));
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    open.get(i).close();
                }
            }
        }
    }
}
