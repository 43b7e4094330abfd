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
                .contains("S2107")
                .contains("Review: version 2025-07-01, next review 2026-04")
                .contains("Changes since the last published version: none, this is the first published version.")
                .as("the whole report reaches stdout, its last line included").endsWith("(hospital outpatient prospective payment system)\n");
        assertThat(run("policy", "show", "--policies", POLICIES, "--id", "no-such-policy").out()).contains("No policy with id");
        Run twoVersions = run("policy", "show", "--policies", Path.of("..", "core", "src", "test", "resources", "made-up-policies").toString());
        assertThat(twoVersions.out()).contains("Changes since the last published version (2024-01-01 → 2026-01-01):")
                .contains("    + policy[hyperbaric-oxygen].categories.POST_COVID:");
    }

    /** A copy of the policies with one change of every kind a policy author makes. */
    private Path candidate() throws IOException {
        Path copy = temporary.resolve("candidate");
        try (Stream<Path> files = Files.walk(Path.of(POLICIES))) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(Path.of(POLICIES).relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path policy = copy.resolve("ma-immunological-cellular-gene-therapies/2025-07-01.yaml");
        replace(policy, "      - DC-CIK\n", "      - DC-CIK\n      - CIK-NK cells\n");
        replace(policy, "text: \"Which therapy is this service part of?\"", "text: \"Which therapy is this service a part of?\"");
        replace(policy, "nextReview: 2026-04", "nextReview: 2027-04");
        replace(policy, "      - source: \"NCD for Chimeric Antigen Receptor (CAR) T-cell Therapy for Cancers (110.24)\"\n    synonyms:",
                "      - source: \"NCD for Chimeric Antigen Receptor (CAR) T-cell Therapy for Cancers (110.24), 2025\"\n    synonyms:");
        replace(copy.resolve("reference/fda-approved-products.yaml"), "approved: 2017-08-30", "approved: 2017-08-31");
        replace(copy.resolve("reference/codes.yaml"), "description: \"Therapeutic apheresis; for white blood cells\"",
                "description: \"Therapeutic apheresis, for white blood cells\"");
        return copy;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as(file + " holds " + from).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    @Test
    void diffShowsEveryKindOfChangeWithItsPath() throws IOException {
        Path candidate = candidate();
        Run run = run("policy", "diff", POLICIES, candidate.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        String policy = "policy[ma-immunological-cellular-gene-therapies@2025-07-01]";
        assertThat(run.out())
                .contains("Rules (1)\n  + " + policy + ".categories.CYTOKINE_INDUCED_KILLER_CELLS.synonyms: CIK-NK cells")
                .contains("Codes (1)\n  ~ referenceCodes[36511].description: Therapeutic apheresis; for white blood cells"
                        + " → Therapeutic apheresis, for white blood cells")
                .contains("Products (1)\n  ~ products[kymriah].approved: 2017-08-30 → 2017-08-31")
                .contains("Questions (1)\n  ~ " + policy + ".questions.therapy.text: Which therapy is this service part of?"
                        + " → Which therapy is this service a part of?")
                .contains("Citations (1)\n  ~ " + policy + ".categories.CAR_T.citations[1].source:")
                .contains("Dates and versions (1)\n  ~ " + policy + ".dates.nextReview: 2026-04 → 2027-04")
                .contains("6 change(s): 1 rules, 1 codes, 1 products, 1 questions, 1 citations, 1 dates");

        Run json = run("policy", "diff", POLICIES, candidate.toString(), "--json");
        assertThat(json.exit()).isEqualTo(1);
        JsonNode document = json.outJson();
        assertThat(document.get("counts").get("products").asInt()).isEqualTo(1);
        assertThat(document.get("changes")).anySatisfy(change -> {
            assertThat(change.get("path").asText()).isEqualTo("products[kymriah].approved");
            assertThat(change.get("kind").asText()).isEqualTo("changed");
            assertThat(change.get("before").asText()).isEqualTo("2017-08-30");
            assertThat(change.get("after").asText()).isEqualTo("2017-08-31");
        });

        Run same = run("policy", "diff", POLICIES, POLICIES);
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("No changes.");
    }

    @Test
    void diffComparesTwoVersionsOfAPolicy() {
        String madeUp = Path.of("..", "core", "src", "test", "resources", "made-up-policies").toString();
        Run run = run("policy", "diff", "--policies", madeUp, "hyperbaric-oxygen@2024-01-01", "hyperbaric-oxygen@2026-01-01");
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("policy[hyperbaric-oxygen].version: 2024-01-01 → 2026-01-01")
                .contains("~ policy[hyperbaric-oxygen].descriptionPrecedence: [\"DIABETIC_WOUND\",\"CHRONIC_FATIGUE\"] → "
                        + "[\"DIABETIC_WOUND\",\"CHRONIC_FATIGUE\",\"POST_COVID\"]")
                .contains("+ policy[hyperbaric-oxygen].categories.POST_COVID:");
        Run byFile = run("policy", "diff", Path.of(madeUp, "hyperbaric-oxygen", "2024-01-01.yaml").toString(),
                Path.of(madeUp, "hyperbaric-oxygen", "2026-01-01.yaml").toString());
        assertThat(byFile.out()).isEqualTo(run.out().replace("hyperbaric-oxygen@2024-01-01", Path.of(madeUp, "hyperbaric-oxygen",
                "2024-01-01.yaml").toString()).replace("hyperbaric-oxygen@2026-01-01", Path.of(madeUp, "hyperbaric-oxygen",
                "2026-01-01.yaml").toString()));
    }

    @Test
    void aCandidateThatDoesNotLoadIsReportedWithEveryProblem() throws IOException {
        Path candidate = candidate();
        replace(candidate.resolve("reference/fda-approved-products.yaml"), "hcpcs: Q2042", "hcpcs: Q2041");
        replace(candidate.resolve("reference/fda-approved-products.yaml"), "aliases: [axi-cel, axicabtagene]", "aliases: [axi-cel, Kymriah]");
        Run run = run("policy", "diff", POLICIES, candidate.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("cannot be read (2 problem(s))").contains("Q2041 is also the code of kymriah")
                .contains("name 'Kymriah' also names product kymriah");
        replace(candidate.resolve("reference/fda-approved-products.yaml"), "    approved: 2017-10-18\n", "");
        assertThat(run("policy", "diff", POLICIES, candidate.toString()).err()).contains("required property 'approved'");
        assertThat(run("policy", "diff", POLICIES, "no-such-version").exit()).isEqualTo(2);
        assertThat(run("policy", "diff", POLICIES, "2025-07-01").err()).contains("compare a folder with a folder");
    }
}
