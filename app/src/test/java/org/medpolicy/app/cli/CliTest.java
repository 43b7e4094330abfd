package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code medpolicy} command as a user runs it: arguments in; exit code, stdout and stderr out. */
class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICIES = Path.of("..", "policies").toString();

    record Run(int exit, String out, String err) {
        JsonNode outJson() throws IOException {
            return JSON.readTree(out);
        }

        JsonNode errJson() throws IOException {
            return JSON.readTree(err.substring(0, err.lastIndexOf('}') + 1));
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    @TempDir
    Path temporary;

    static Stream<Path> publicExamples() throws IOException, URISyntaxException {
        Path folder = Path.of(CliTest.class.getResource("/public-examples").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList().stream();
        }
    }

    /** The public examples, checked as shared/tools/check-examples checks them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("publicExamples")
    void decidesThePublicExamples(Path example) throws IOException {
        JsonNode fixture = JSON.readTree(example.toFile());
        Path request = temporary.resolve("request.json");
        JSON.writeValue(request.toFile(), fixture.get("request"));
        JsonNode expect = fixture.get("expect");

        Run run = run("decide", request.toString(), "--policies", POLICIES);
        assertThat(run.exit()).as(run.err()).isEqualTo(expect.get("exit").asInt());
        if (run.exit() != 0) {
            assertThat(run.out()).isEmpty();
            assertThat(run.errJson().get("status").asInt()).isEqualTo(run.exit() == 3 ? 422 : 400);
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
            return;
        }
        JsonNode determination = run.outJson();
        if (expect.has("status")) {
            assertThat(determination.get("status").asText()).isEqualTo(expect.get("status").asText());
        }
        for (int i = 0; i < expect.path("items").size(); i++) {
            JsonNode want = expect.get("items").get(i);
            JsonNode got = determination.get("items").get(i);
            assertThat(got.get("outcome").asText()).isEqualTo(want.get("outcome").asText());
            if (want.has("reason")) {
                assertThat(got.get("reason").asText()).isEqualTo(want.get("reason").asText());
            }
            if (want.has("governedBy")) {
                List<String> ids = new ArrayList<>();
                got.get("governedBy").forEach(g -> ids.add(g.get("id").asText()));
                List<String> wanted = new ArrayList<>();
                want.get("governedBy").forEach(g -> wanted.add(g.asText()));
                assertThat(ids).isEqualTo(wanted);
            }
        }
        if (expect.has("decisionDueBy")) {
            assertThat(Instant.parse(determination.get("decisionDueBy").asText()))
                    .isEqualTo(Instant.parse(expect.get("decisionDueBy").asText()));
        }
    }

    @Test
    void readsTheRequestFromStandardInput() throws IOException {
        String request = "{\"kind\":\"CLAIM\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\",\"dateOfService\":\"2026-12-01\","
                + "\"items\":[{\"product\":\"Yescarta\"}]}";
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(request.getBytes(StandardCharsets.UTF_8)));
            Run run = run("decide", "-", "--policies", POLICIES);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.outJson().get("status").asText()).isEqualTo("NOT_APPLICABLE");
            assertThat(run.outJson().has("decisionDueBy")).as("no clock for a CLAIM").isFalse();
        } finally {
            System.setIn(original);
        }
    }

    @Test
    void badInputIsAProblemDocumentOnStderrWithExitTwo() throws IOException {
        Path broken = temporary.resolve("broken.json");
        Files.writeString(broken, "{\"kind\": \"PRE_SERVICE\", \"items\": [");
        Run run = run("decide", broken.toString(), "--policies", POLICIES);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        JsonNode problem = run.errJson();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").get(0).get("message").asText()).contains("not valid JSON");

        Run missing = run("decide", temporary.resolve("nothing.json").toString(), "--policies", POLICIES);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errJson().get("errors").get(0).get("message").asText()).contains("no such file");

        Path huge = temporary.resolve("huge.json");
        Files.writeString(huge, "{\"description\":\"" + "x".repeat(1 << 20) + "\"}");
        assertThat(run("decide", huge.toString(), "--policies", POLICIES).exit()).isEqualTo(2);

        Run usage = run("decide");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("Usage");
    }

    @Test
    void brokenPolicyDataIsAnInternalFaultListingEveryProblem() throws IOException {
        Path request = temporary.resolve("request.json");
        Files.writeString(request, "{}");
        Files.createDirectories(temporary.resolve("policies"));
        Run run = run("decide", request.toString(), "--policies", temporary.resolve("policies").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("reference/codes.yaml: is missing").doesNotContain("\tat ");
    }

    @Test
    void validatesAPolicyFileAndAFolder() throws IOException {
        Path policy = Path.of(POLICIES, "ma-immunological-cellular-gene-therapies", "2025-07-01.yaml");
        Run valid = run("policy", "validate", policy.toString());
        assertThat(valid.exit()).as(valid.err()).isZero();
        assertThat(valid.out()).startsWith("valid: ");
        assertThat(run("policy", "validate", POLICIES).exit()).isZero();

        Path copy = temporary.resolve("ma-immunological-cellular-gene-therapies");
        Files.createDirectories(copy.resolve("source"));
        Files.copy(policy.resolveSibling("source").resolve("2025-07-01.md"), copy.resolve("source/2025-07-01.md"));
        Files.writeString(copy.resolve("2025-07-01.yaml"), Files.readString(policy)
                .replace("outcome: NOT_COVERED\n    reason: INVESTIGATIONAL\n    governedBy: [Medicine-42]\n    explanation: \"Adoptive",
                        "outcome: NOT_COVERED\n    reason: INVESTIGATIONAL\n    governedBy: [Medicine-99]\n    explanation: \"Adoptive"));
        Run invalid = run("policy", "validate", copy.resolve("2025-07-01.yaml").toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).contains("$.categories.CYTOTOXIC_T_LYMPHOCYTES.governedBy[0]").contains("Medicine-99");
    }

    @Test
    void showsThePolicyInReadableText() {
        Run run = run("policy", "show", "--policies", POLICIES);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Immunological Cellular Therapies and Gene Therapies (ma-immunological-cellular-gene-therapies)")
                .contains("2025-07-01  effective from 2025-07-01")
                .containsAnyOf("REVIEW OVERDUE", "current")
                .contains("NCD 110.24 does not apply")
                .contains("TUMOR_INFILTRATING_LYMPHOCYTES")
                .contains("Yescarta")
                .contains("S2107");
        assertThat(run("policy", "show", "--policies", POLICIES, "--id", "no-such-policy").out()).contains("No policy with id");
    }
}
