package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medpolicy screen} as a user runs it, and a screen of an input far larger than the heap. */
class ScreenCliTest {

    static final String HEADER = "claimId,lineNumber,memberId,dateOfService,codeSystem,code,therapy,product,description,diagnoses";
    static final String POLICIES = Path.of("..", "policies").toString();

    @TempDir
    Path folder;

    private static int run(StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    }

    @Test
    void exitCodesSayWhetherAnythingWasRejected() throws Exception {
        Path clean = folder.resolve("clean.csv");
        Files.writeString(clean, HEADER + "\nC1,1,M1,2026-12-01,CPT,38228,,,,\nC2,1,M2,2026-12-01,,,CAR_T,,,\n");
        StringWriter err = new StringWriter();
        assertThat(run(err, "screen", clean.toString(), "--out", folder.resolve("clean.out.csv").toString(), "--policies", POLICIES)).isZero();
        assertThat(err.toString()).contains("screened 2 input lines into 2 results, 0 rejected").contains("110.24 2");
        assertThat(Files.readAllLines(folder.resolve("clean.out.csv"))).hasSize(3);

        Path dirty = folder.resolve("dirty.csv");
        Files.writeString(dirty, HEADER + "\nC1,1,M1,2026-12-01,CPT,38228,,,,\nC2,1,M2,not-a-date,,,CAR_T,,,\n");
        StringWriter dirtyErr = new StringWriter();
        assertThat(run(dirtyErr, "screen", dirty.toString(), "--out", folder.resolve("dirty.out.ndjson").toString(), "--quiet",
                "--policies", POLICIES)).isEqualTo(4);
        assertThat(Files.readAllLines(folder.resolve("dirty.out.ndjson"))).hasSize(1);
        assertThat(Files.readString(folder.resolve("dirty.out.ndjson.rejects"))).contains("\"line\":3").contains("dateOfService");

        Path headerless = folder.resolve("headerless.csv");
        Files.writeString(headerless, "C1,1,M1,2026-12-01,CPT,38228,,,,\n");
        StringWriter bad = new StringWriter();
        assertThat(run(bad, "screen", headerless.toString(), "--out", folder.resolve("x.csv").toString(), "--policies", POLICIES)).isEqualTo(2);
        assertThat(bad.toString()).contains("header");
        assertThat(Files.exists(folder.resolve("x.csv"))).isFalse();
        assertThat(run(new StringWriter(), "screen", folder.resolve("missing.csv").toString(), "--policies", POLICIES)).isEqualTo(2);
        assertThat(run(new StringWriter(), "screen", clean.toString(), "--format", "xml", "--policies", POLICIES)).isEqualTo(2);
    }

    @Test
    void readsStandardInputAndWritesStandardOutput() throws Exception {
        InputStream originalIn = System.in;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(("{\"kind\":\"CLAIM\",\"lineOfBusiness\":\"MEDICARE_ADVANTAGE\","
                    + "\"dateOfService\":\"2026-12-01\",\"items\":[{\"product\":\"Zolgensma\"}]}\n").getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(run(new StringWriter(), "screen", "-", "--format", "ndjson", "--quiet", "--policies", POLICIES)).isZero();
        } finally {
            System.setIn(originalIn);
            System.setOut(originalOut);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"OUT_OF_SCOPE\"")
                .contains("\"governedBy\":[\"medication-policy-manual\"]");
    }

    @Test
    void theProgressLineShowsLinesRateAndWhenKnownPercentageAndEta() {
        String line = ScreenCommand.ProgressBar.line(50_000, 250, 1_000, java.time.Duration.ofSeconds(5));
        assertThat(line).contains("25%").contains("50,000 lines").contains("10,000 lines/s").contains("ETA 0:15");
        assertThat(ScreenCommand.ProgressBar.line(10, 0, -1, java.time.Duration.ofSeconds(1))).doesNotContain("%").doesNotContain("ETA");
    }

    /** Ctrl-C (SIGTERM) or kill -9 in the middle of a screen: nothing under the final name, ever. */
    @Test
    void anInterruptedRunLeavesNoOutputPassedOffAsComplete() throws Exception {
        Path input = folder.resolve("long.csv");
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            out.write(HEADER);
            out.newLine();
            for (int i = 0; i < 3_000_000; i++) {
                out.write("CLAIM-" + i + ",1,MEMBER-" + i + ",2026-12-01,CPT,36511,,,\"leukapheresis for CIK cell therapy, HCC\",C22.0");
                out.newLine();
            }
        }
        for (boolean forcibly : new boolean[] {false, true}) {
            Path output = folder.resolve("long-" + forcibly + ".csv");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "org.medpolicy.app.cli.Main", "screen", input.toString(), "--out", output.toString(), "--threads", "1", "--quiet",
                    "--policies", Path.of(POLICIES).toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("long-" + forcibly + ".log").toFile()).start();
            Path partial = folder.resolve("." + output.getFileName() + ".partial-" + process.pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(partial) && Files.size(partial) > 1_000_000) && System.nanoTime() < deadline && process.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(process.isAlive()).as("still screening when interrupted").isTrue();
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.exists(output)).as("no output under the final name").isFalse();
            if (!forcibly) {
                assertThat(Files.exists(partial)).as("SIGTERM: the partial file is removed").isFalse();
            }
        }
    }

    /** Memory stays flat: about 150 MB of claim lines screened by a JVM with a 48 MB heap. */
    @Test
    void screensAnInputFarLargerThanTheHeap() throws Exception {
        Path input = folder.resolve("big.csv");
        int lines = 2_000_000;
        try (BufferedWriter out = Files.newBufferedWriter(input)) {
            out.write(HEADER);
            out.newLine();
            for (int i = 0; i < lines; i++) {
                out.write(switch (i % 4) {
                    case 0 -> "CLAIM-" + i + ",1,MEMBER-" + i + ",2026-12-01,CPT,99213,,,office visit follow-up for hypertension,I10";
                    case 1 -> "CLAIM-" + i + ",2,MEMBER-" + i + ",2026-12-01,CPT,36511,,,leukapheresis for CIK cell therapy,C22.0";
                    case 2 -> "CLAIM-" + i + ",1,MEMBER-" + i + ",2026-12-01,HCPCS,Q2041,,,axicabtagene ciloleucel infusion,C83.30";
                    default -> "CLAIM-" + i + ",3,MEMBER-" + i + ",2026-12-01,,,TUMOR_INFILTRATING_LYMPHOCYTES,,,C43.9";
                });
                out.newLine();
            }
        }
        assertThat(Files.size(input)).isGreaterThan(3L * 48 * 1024 * 1024);
        Path output = folder.resolve("big.ndjson.gz");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "org.medpolicy.app.cli.Main", "screen", input.toString(), "--out", output.toString(), "--policies",
                Path.of(POLICIES).toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("screen.log").toFile()).start();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("finishes").isTrue();
        assertThat(process.exitValue()).as(Files.readString(folder.resolve("screen.log"))).isZero();
        assertThat(Files.readString(folder.resolve("screen.log"))).contains("2,000,000 results");
        long count = 0;
        try (BufferedReader results = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(output)),
                StandardCharsets.UTF_8))) {
            String last = null;
            for (String line = results.readLine(); line != null; line = results.readLine()) {
                count++;
                last = line;
            }
            assertThat(last).contains("\"claimId\":\"CLAIM-1999999\"");
        }
        assertThat(count).isEqualTo(lines);
    }
}
