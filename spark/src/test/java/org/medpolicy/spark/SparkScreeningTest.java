package org.medpolicy.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.screen.ScreenJob;

/**
 * The Spark job in local mode ({@code local[2]}): the same lines screened by {@code medpolicy
 * screen}, by the Spark job and by {@code decide} give the same results; Parquet input works;
 * rejects are kept, partitioned under REJECTED.
 */
class SparkScreeningTest {

    static final String HEADER = "claimId,lineNumber,memberId,dateOfService,codeSystem,code,therapy,product,description,diagnoses";
    static final List<String> LINES = List.of(
            "C1,1,M1,2026-12-01,CPT,36511,,,\"leukapheresis for CIK cell therapy, HCC\",C22.0",
            "C1,2,M1,2026-12-01,HCPCS,Q2041,,,,C83.30",
            "C2,1,M2,2026-12-01,,,TUMOR_INFILTRATING_LYMPHOCYTES,,,C43.9;Z51.11",
            "C3,1,M3,2026-12-01,CPT,99213,,,office visit,I10",
            "C4,1,M4,2026-12-01,HCPCS,S2107,,,,",
            "C5,1,M5,2026-12-01,CPT,96365,,Kymriah,,",
            "C6,1,M6,2026-12-01,CPT,36511,,,,",
            "C7,1,M7,2026-12-01,,,,,\"high-dose IL-2, \"\"metastatic\"\" RCC\",C64.9",
            "C8,1,M8,2026-02-30,CPT,99213,,,,",
            "C9,1,M9,2025-01-01,CPT,99213,,,,",
            "C10,1,M10,2026-12-01,CPT,0537T,,,,",
            "C11,1,M11,2026-12-01,,,,Amtagvi,,C43.9");

    static SparkSession spark;
    static CoverageEngine engine;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("medpolicy-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        engine = CoverageEngines.create(PolicyLoader.loadBundled(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Map<String, Row> results(Path output) {
        Map<String, Row> byLine = new HashMap<>();
        for (Row row : spark.read().parquet(output.toString()).collectAsList()) {
            byLine.put(row.getAs("claimId") + "/" + row.getAs("lineNumber"), row);
        }
        return byLine;
    }

    @Test
    void sparkScreenAndDecideAgree() throws Exception {
        Path input = folder.resolve("claims.csv");
        Files.writeString(input, HEADER + "\n" + String.join("\n", LINES) + "\n");
        Path sparkOut = folder.resolve("spark-out");
        SparkScreening.run(spark, input.toString(), "csv", sparkOut.toString(), null);
        Map<String, Row> fromSpark = results(sparkOut);

        Path screenOut = folder.resolve("screen-out.ndjson");
        new ScreenJob(engine).run(new ScreenJob.Files(input.toString(), screenOut.toString(), null), null, null, 2,
                (lines, read, total, elapsed) -> { });
        List<JsonNode> fromScreen = Files.readAllLines(screenOut).stream().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        List<String> rejectedByScreen = Files.readAllLines(Path.of(screenOut + ".rejects"));

        assertThat(fromSpark).hasSize(LINES.size());
        assertThat(fromScreen).hasSize(LINES.size() - rejectedByScreen.size());
        RequestReader reader = new RequestReader(engine.vocabulary());
        for (JsonNode screened : fromScreen) {
            Row row = fromSpark.get(screened.get("claimId").asText() + "/" + screened.get("lineNumber").asInt());
            assertThat(row).as("Spark has " + screened).isNotNull();
            assertThat((String) row.getAs("outcome")).isEqualTo(screened.get("outcome").asText());
            assertThat((String) row.getAs("category")).isEqualTo(screened.get("category").isNull() ? null : screened.get("category").asText());
            List<String> governedBy = new java.util.ArrayList<>();
            screened.get("governedBy").forEach(g -> governedBy.add(g.asText()));
            assertThat((String) row.getAs("governedBy")).isEqualTo(String.join(";", governedBy));
            assertThat((String) row.getAs("explanation")).isEqualTo(screened.get("explanation").asText());
            assertThat((String) row.getAs("policyVersion")).isEqualTo("2025-07-01");
        }
        // And decide, through the contract request, for a few of them.
        var til = engine.decide(reader.read(JSON.readTree("""
                {"kind":"CLAIM","lineOfBusiness":"MEDICARE_ADVANTAGE","dateOfService":"2026-12-01",
                 "items":[{"therapy":"TUMOR_INFILTRATING_LYMPHOCYTES","diagnoses":["C43.9","Z51.11"]}]}"""))).items().get(0);
        assertThat((String) fromSpark.get("C2/1").getAs("explanation")).isEqualTo(til.explanation());
        assertThat((String) fromSpark.get("C2/1").getAs("governedBy"))
                .isEqualTo(String.join(";", til.governedBy().stream().map(GovernedBy::id).toList()));

        // Rejects are kept, with their problems, in the REJECTED partition.
        assertThat(rejectedByScreen).hasSize(2);
        assertThat((String) fromSpark.get("C8/1").getAs("outcome")).isEqualTo("REJECTED");
        assertThat((String) fromSpark.get("C8/1").getAs("problems")).contains("dateOfService");
        assertThat((String) fromSpark.get("C9/1").getAs("problems")).contains("no policy version is in effect");
        try (Stream<Path> partitions = Files.list(sparkOut)) {
            assertThat(partitions.map(p -> p.getFileName().toString()))
                    .contains("outcome=NOT_COVERED", "outcome=OUT_OF_SCOPE", "outcome=INVALID_CODE", "outcome=INFO_NEEDED",
                            "outcome=REJECTED");
        }
    }

    @Test
    void parquetInputGivesTheSameResults() throws Exception {
        Path csv = folder.resolve("for-parquet.csv");
        Files.writeString(csv, HEADER + "\n" + String.join("\n", LINES) + "\n");
        Path parquet = folder.resolve("claims.parquet");
        spark.read().option("header", "true").option("escape", "\"").csv(csv.toString()).write().parquet(parquet.toString());

        Path fromCsv = folder.resolve("out-csv");
        Path fromParquet = folder.resolve("out-parquet");
        SparkScreening.run(spark, csv.toString(), "csv", fromCsv.toString(), null);
        SparkScreening.run(spark, parquet.toString(), "parquet", fromParquet.toString(), Path.of("..", "policies").toString());
        Map<String, Row> a = results(fromCsv);
        Map<String, Row> b = results(fromParquet);
        assertThat(b.keySet()).isEqualTo(a.keySet());
        a.forEach((key, row) -> {
            assertThat((String) b.get(key).getAs("outcome")).isEqualTo(row.getAs("outcome"));
            assertThat((String) b.get(key).getAs("explanation")).isEqualTo(row.getAs("explanation"));
        });
    }

    @Test
    void theEngineIsBuiltOncePerExecutorJvm() {
        assertThat(ScreenPartition.screener(null)).isSameAs(ScreenPartition.screener(null));
        assertThat(new StringWriter()).isNotNull();
    }

}
