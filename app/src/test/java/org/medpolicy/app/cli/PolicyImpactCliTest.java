package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;

/**
 * {@code medpolicy policy impact}: a decision log made under older policy data (Ryoncil unknown to
 * it), replayed by that data and by today's, and a claims file screened by both.
 */
class PolicyImpactCliTest {

    private static final String POLICIES = Path.of("..", "policies").toString();

    @TempDir
    static Path folder;
    static Path older;
    static String database;
    static String phiKey;

    static String request(String id, String item) {
        return "{\"requestId\":\"" + id + "\",\"kind\":\"PRE_SERVICE\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                + "\"dateOfService\":\"2026-12-15\",\"receivedAt\":\"2026-11-27T10:00:00Z\",\"requester\":{\"role\":\"TREATING_PROVIDER\"},"
                + "\"member\":{\"id\":\"M1\"},\"items\":[" + item + "]}";
    }

    @BeforeAll
    static void logUnderOlderData() throws IOException {
        older = folder.resolve("older");
        try (Stream<Path> files = Files.walk(Path.of(POLICIES))) {
            for (Path file : files.toList()) {
                Path target = older.resolve(Path.of(POLICIES).relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path products = older.resolve("reference/fda-approved-products.yaml");
        String text = Files.readString(products);
        int start = text.indexOf("  - id: ryoncil\n");
        Files.writeString(products, text.substring(0, start) + text.substring(text.indexOf("  - id: encelto\n")));

        database = "jdbc:h2:file:" + folder.resolve("log").toAbsolutePath();
        var engine = CoverageEngines.create(PolicyLoader.load(older), Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC),
                ZoneOffset.UTC);
        RequestReader reader = new RequestReader(engine.vocabulary());
        phiKey = folder.resolve("phi.key").toString();
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(Path.of(phiKey), java.util.Base64.getEncoder().encodeToString(key));
        try (Database db = Database.open(database, null, null);
             org.medpolicy.core.log.DeterminationLog log = new org.medpolicy.core.log.SealedDeterminationLog(new JdbcDeterminationLog(db),
                     new org.medpolicy.core.log.PhiSeal(key))) {
            DeterminationService determinations = new DeterminationService(engine, log, new MemberKeyHasher(new byte[32]));
            for (String[] row : new String[][] {
                    {"R-RYONCIL", "{\"product\":\"Ryoncil\",\"therapy\":\"GENE_THERAPY\"}"},
                    {"R-J3402", "{\"code\":{\"system\":\"HCPCS\",\"value\":\"J3402\"}}"},
                    {"R-TIL", "{\"therapy\":\"TUMOR_INFILTRATING_LYMPHOCYTES\"}"}}) {
                var json = RequestReader.parse(request(row[0], row[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                determinations.decide(Channel.API, "client:cli-test", reader.read(json), json);
            }
        }
    }

    @Test
    void everyChangeOfOutcomeGoverningReferenceAndClockIsCountedWithExamples() {
        CliTest.Run run = CliTest.run("policy", "impact", "--policies", older.toString(), "--candidate", POLICIES, "--db", database, "--phi-key-file", phiKey,
                "--zone", "UTC");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out())
                .contains("decision log: 3 determinations replayed")
                .contains("2 would change (3 items)")
                .containsPattern("INFO_NEEDED → OUT_OF_SCOPE \\(medication-policy-manual\\) +1   e\\.g\\. R-RYONCIL")
                .containsPattern("OUT_OF_SCOPE → OUT_OF_SCOPE \\(medication-policy-manual\\) +1   e\\.g\\. R-J3402")
                .containsPattern("clock 7 days → 72 hours +2   e\\.g\\. R-J3402, R-RYONCIL")
                .doesNotContain("R-TIL");
    }

    @Test
    void theDateRangeLimitsWhatIsReplayedAndNoChangeExitsZero() throws IOException {
        CliTest.Run none = CliTest.run("policy", "impact", "--policies", older.toString(), "--candidate", POLICIES, "--db", database, "--phi-key-file", phiKey,
                "--from", "2020-01-01", "--to", "2020-12-31");
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.out()).contains("decision log: 0 determinations replayed").contains("no change");

        CliTest.Run json = CliTest.run("policy", "impact", "--policies", POLICIES, "--candidate", POLICIES, "--db", database, "--phi-key-file", phiKey, "--json");
        assertThat(json.exit()).isZero();
        JsonNode report = json.outJson();
        assertThat(report.at("/decisionLog/determinations").asInt()).isEqualTo(3);
        assertThat(report.at("/decisionLog/transitions")).isEmpty();
    }

    @Test
    void aClaimsFileIsScreenedByBoth() throws IOException {
        Path claims = folder.resolve("claims.csv");
        Files.writeString(claims, "claimId,lineNumber,memberId,dateOfService,codeSystem,code,therapy,product,description,diagnoses\n"
                + "C1,1,M1,2026-12-01,HCPCS,J3402,,,,\nC1,2,M1,2026-12-01,CPT,36511,,,,\nC2,1,M2,2026-12-01,HCPCS,J3490,,,remestemcel-L infusion,\n");
        CliTest.Run run = CliTest.run("policy", "impact", "--policies", older.toString(), "--candidate", POLICIES, "--claims",
                claims.toString(), "--json");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        JsonNode transitions = run.outJson().at("/claims/transitions");
        assertThat(transitions).hasSize(1);
        assertThat(transitions.get(0).get("transition").asText()).isEqualTo("OUT_OF_SCOPE → OUT_OF_SCOPE (medication-policy-manual)");
        assertThat(transitions.get(0).get("count").asInt()).isEqualTo(2);
        assertThat(transitions.get(0).get("examples")).extracting(JsonNode::asText).containsExactly("C1#1", "C2#1");
    }

    @Test
    void badInputIsRefusedWithEveryProblem() throws IOException {
        assertThat(CliTest.run("policy", "impact", "--candidate", POLICIES).exit()).isEqualTo(2);
        Path broken = folder.resolve("broken");
        Files.createDirectories(broken);
        CliTest.Run run = CliTest.run("policy", "impact", "--candidate", broken.toString(), "--db", database, "--phi-key-file", phiKey);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot be read");
        assertThat(CliTest.run("policy", "impact", "--candidate", POLICIES, "--claims", "no-such-file.csv").exit()).isEqualTo(2);
    }
}
