package org.medpolicy.screen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.request.RequestReader;

/** Screening: formats, gzip, rejects, order, interruption, and agreement with single decisions. */
class ScreenerTest {

    static final CoverageEngine ENGINE = CoverageEngines.create(PolicyLoader.loadBundled(),
            Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC));
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HEADER = "claimId,lineNumber,memberId,dateOfService,codeSystem,code,therapy,product,description,diagnoses";

    @TempDir
    Path folder;

    /** Realistic lines: the policy's codes, products, free text, and the unrelated codes most claims carry. */
    static String csvLine(int i) {
        return switch (i % 8) {
            case 0 -> "CL" + i + ",1,M" + i + ",2026-12-01,CPT,99213,,,,I10";
            case 1 -> "CL" + i + ",1,M" + i + ",2026-12-01,CPT,36511,,,\"leukapheresis for CIK cell therapy, HCC\",C22.0";
            case 2 -> "CL" + i + ",2,M" + i + ",2026-12-01,HCPCS,Q2041,,,,C83.30";
            case 3 -> "CL" + i + ",1,M" + i + ",2026-12-01,,,TUMOR_INFILTRATING_LYMPHOCYTES,,,C43.9";
            case 4 -> "CL" + i + ",1,M" + i + ",2026-12-01,HCPCS,S2107,,,,";
            case 5 -> "CL" + i + ",3,M" + i + ",2026-12-01,CPT,96365,,Kymriah,,";
            case 6 -> "CL" + i + ",1,M" + i + ",2026-12-01,,,,,high-dose IL-2 for renal cell carcinoma,C64.9";
            default -> "CL" + i + ",1,M" + i + ",2026-12-01,CPT,80053,,,,E11.9";
        };
    }

    static String csv(int lines) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < lines; i++) {
            text.append(csvLine(i)).append('\n');
        }
        return text.toString();
    }

    private static ScreenSummary screen(String input, InputFormat in, InputFormat out, int threads, int chunk, Writer results,
                                        Writer rejects) throws IOException {
        return new Screener(ENGINE, new Screener.Options(in, out, threads, chunk))
                .screen(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), results, rejects, Screener.Progress.none());
    }

    @Test
    void csvInCsvOut() throws IOException {
        StringWriter results = new StringWriter();
        StringWriter rejects = new StringWriter();
        ScreenSummary summary = screen(csv(8), InputFormat.CSV, InputFormat.CSV, 2, 3, results, rejects);
        List<String> rows = results.toString().lines().toList();
        assertThat(rows.get(0)).isEqualTo(Results.CSV_HEADER);
        assertThat(rows).hasSize(9);
        assertThat(rows.get(1)).startsWith("CL0,1,OUT_OF_SCOPE,,,,");
        assertThat(rows.get(2)).startsWith("CL1,1,NOT_COVERED,INVESTIGATIONAL,CYTOKINE_INDUCED_KILLER_CELLS,Medicine-42,");
        assertThat(rows.get(3)).startsWith("CL2,2,OUT_OF_SCOPE,,CAR_T,110.24;medication-policy-manual,");
        assertThat(rows.get(5)).startsWith("CL4,1,INVALID_CODE,");
        assertThat(rows.get(6)).startsWith("CL5,3,OUT_OF_SCOPE,,CAR_T,110.24;medication-policy-manual,");
        assertThat(rows.get(1)).endsWith(",2025-07-01");
        assertThat(rejects.toString()).isEmpty();
        assertThat(summary.results()).isEqualTo(8);
        assertThat(summary.byOutcome()).containsEntry("NOT_COVERED", 2L).containsEntry("INVALID_CODE", 1L);
        assertThat(summary.byGovernedBy()).containsEntry("Medicine-42", 2L).containsEntry("110.24", 2L);
    }

    @Test
    void ndjsonInWithSeveralItemsNdjsonOut() throws IOException {
        String input = """
                {"kind":"CLAIM","requestId":"CLM-1","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","items":[{"code":{"system":"CPT","value":"38228"}},{"product":"Provenge"}]}
                {"kind":"CLAIM","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01","items":[{"therapy":"GENE_THERAPY"}]}
                """;
        StringWriter results = new StringWriter();
        ScreenSummary summary = screen(input, InputFormat.NDJSON, InputFormat.NDJSON, 2, 1, results, new StringWriter());
        List<JsonNode> rows = new ArrayList<>();
        for (String line : results.toString().lines().toList()) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("claimId").asText()).isEqualTo("CLM-1");
        assertThat(rows.get(0).get("lineNumber").asInt()).isEqualTo(1);
        assertThat(rows.get(0).get("category").asText()).isEqualTo("CAR_T");
        assertThat(rows.get(1).get("lineNumber").asInt()).isEqualTo(2);
        assertThat(rows.get(1).get("governedBy").get(0).asText()).isEqualTo("110.22");
        assertThat(rows.get(2).get("claimId").asText()).isEqualTo("line-2");
        assertThat(rows.get(2).get("outcome").asText()).isEqualTo("NOT_COVERED");
        assertThat(rows.get(2).get("reason").asText()).isEqualTo("INVESTIGATIONAL");
        assertThat(summary.inputLines()).isEqualTo(2);
        assertThat(summary.results()).isEqualTo(3);
    }

    @Test
    void badLinesGoToTheRejectsWithEveryProblemAndTheRunGoesOn() throws IOException {
        String input = HEADER + "\n"
                + csvLine(0) + "\n"
                + "CLX,0,M,2026-02-30,CPT,S2107,WHATEVER,,,bad-dx\n"
                + "\"unclosed,1,M,2026-12-01,CPT,99213,,,,\n"
                + "\n"
                + "CLY,1,M,2025-01-01,CPT,99213,,,,\n"
                + csvLine(3) + "\n";
        StringWriter results = new StringWriter();
        StringWriter rejects = new StringWriter();
        ScreenSummary summary = screen(input, InputFormat.CSV, InputFormat.CSV, 2, 2, results, rejects);
        assertThat(summary.results()).isEqualTo(2);
        assertThat(summary.rejected()).isEqualTo(3);
        List<JsonNode> rejected = new ArrayList<>();
        for (String line : rejects.toString().lines().toList()) {
            rejected.add(JSON.readTree(line));
        }
        assertThat(rejected).extracting(r -> r.get("line").asInt()).containsExactly(3, 4, 6);
        JsonNode many = rejected.get(0);
        assertThat(many.get("text").asText()).startsWith("CLX,0");
        List<String> fields = new ArrayList<>();
        many.get("problems").forEach(p -> fields.add(p.get("field").asText()));
        assertThat(fields).contains("lineNumber", "dateOfService", "code", "therapy", "diagnoses[0]");
        assertThat(rejected.get(1).get("problems").get(0).get("message").asText()).contains("quote");
        assertThat(rejected.get(2).get("problems").get(0).get("message").asText()).contains("no policy version is in effect");
    }

    @Test
    void outputOrderIsInputOrderWhateverTheParallelism() throws IOException {
        int lines = 20_000;
        StringWriter results = new StringWriter();
        screen(csv(lines), InputFormat.CSV, InputFormat.CSV, 4, 7, results, new StringWriter());
        List<String> rows = results.toString().lines().skip(1).toList();
        assertThat(rows).hasSize(lines);
        for (int i = 0; i < lines; i++) {
            assertThat(rows.get(i)).startsWith("CL" + i + ",");
        }
    }

    @Test
    void aScreenAgreesWithSingleDecisions() throws IOException {
        StringWriter results = new StringWriter();
        screen(csv(64), InputFormat.CSV, InputFormat.NDJSON, 2, 5, results, new StringWriter());
        List<String> rows = results.toString().lines().toList();
        RequestReader reader = new RequestReader(ENGINE.vocabulary());
        for (int i = 0; i < 64; i++) {
            JsonNode screened = JSON.readTree(rows.get(i));
            List<String> cells = org.medpolicy.screen.Csv.fields(csvLine(i));
            var request = JSON.createObjectNode();
            request.put("kind", "CLAIM").put("lineOfBusiness", "MEDICARE_ADVANTAGE").put("dateOfService", cells.get(3));
            var item = request.putArray("items").addObject();
            if (!cells.get(5).isEmpty()) {
                item.putObject("code").put("system", cells.get(4)).put("value", cells.get(5));
            }
            if (!cells.get(6).isEmpty()) {
                item.put("therapy", cells.get(6));
            }
            if (!cells.get(7).isEmpty()) {
                item.put("product", cells.get(7));
            }
            if (!cells.get(8).isEmpty()) {
                item.put("description", cells.get(8));
            }
            var decided = ENGINE.decide(reader.read(request)).items().get(0);
            assertThat(screened.get("outcome").asText()).isEqualTo(decided.outcome().name());
            assertThat(screened.get("category").isNull() ? null : screened.get("category").asText()).isEqualTo(decided.category());
            assertThat(screened.get("explanation").asText()).isEqualTo(decided.explanation());
            List<String> governedBy = new ArrayList<>();
            screened.get("governedBy").forEach(g -> governedBy.add(g.asText()));
            assertThat(governedBy).isEqualTo(decided.governedBy().stream().map(GovernedBy::id).toList());
        }
    }

    @Test
    void gzipInAndOutThroughFiles() throws IOException {
        Path input = folder.resolve("claims.csv.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(input))) {
            out.write(csv(1_000).getBytes(StandardCharsets.UTF_8));
        }
        Path output = folder.resolve("results.ndjson.gz");
        ScreenSummary summary = new ScreenJob(ENGINE).run(new ScreenJob.Files(input.toString(), output.toString(), null), null, null, 2,
                (lines, read, total, elapsed) -> { });
        assertThat(summary.results()).isEqualTo(1_000);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(output))) {
            List<String> rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(rows).hasSize(1_000);
            assertThat(JSON.readTree(rows.get(999)).get("claimId").asText()).isEqualTo("CL999");
        }
        assertThat(Files.exists(Path.of(output + ".rejects"))).as("no rejects, no rejects file").isFalse();
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("partial"));
        }
    }

    @Test
    void anInterruptedRunLeavesNoOutputUnderTheFinalName() throws IOException {
        Path input = folder.resolve("claims.csv");
        Files.writeString(input, csv(50_000));
        Path output = folder.resolve("results.csv");
        // The input disappears under the reader half-way: the run fails, as a killed or broken run would.
        var job = new ScreenJob(ENGINE);
        assertThatThrownBy(() -> job.run(new ScreenJob.Files(input.toString(), output.toString(), null), null, null, 2,
                (lines, read, total, elapsed) -> {
                    if (lines > 10_000) {
                        throw new IllegalStateException("interrupted at line " + lines);
                    }
                })).hasMessageContaining("interrupted");
        assertThat(Files.exists(output)).isFalse();
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("claims.csv");
        }
    }

    @Test
    void anInputThatCannotBeScreenedAtAllIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> screen("claimId,code\nC1,99213\n", InputFormat.CSV, InputFormat.CSV, 1, 1, new StringWriter(),
                new StringWriter())).isInstanceOf(Screener.InputException.class).hasMessageContaining("dateOfService");
        assertThatThrownBy(() -> screen("", InputFormat.CSV, InputFormat.CSV, 1, 1, new StringWriter(), new StringWriter()))
                .isInstanceOf(Screener.InputException.class).hasMessageContaining("empty");
        assertThat(InputFormat.ofName("x.CSV.gz")).isEqualTo(InputFormat.CSV);
        assertThat(InputFormat.ofName("x.jsonl")).isEqualTo(InputFormat.NDJSON);
        assertThat(InputFormat.ofName("x.txt")).isNull();
    }

    @Test
    void csvFieldsFollowRfc4180() {
        assertThat(Csv.fields("a,\"b,c\",\"d \"\"e\"\"\", f ")).containsExactly("a", "b,c", "d \"e\"", "f");
        assertThat(Csv.fields("\"open")).isNull();
        StringBuilder out = new StringBuilder();
        Csv.append(out, "say \"hi\", then go");
        assertThat(out).hasToString("\"say \"\"hi\"\", then go\"");
    }
}
