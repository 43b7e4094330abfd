package org.medpolicy.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Synthetic claim lines for screening benchmarks, in the CSV format {@code medpolicy screen} reads:
 * what a Medicare Advantage plan's claim stream looks like to this policy. Most lines are services
 * the policy does not govern (visits, labs, chemotherapy infusions); some carry its codes (36511,
 * 37799, 96365, S2107, the CAR-T codes), FDA-approved products by HCPCS code or name, therapy
 * terms, or clinical free text; about one line in 5,000 is malformed (a bad date), so rejects are
 * exercised too. Deterministic for a given seed.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.medpolicy.bench.ClaimLineGenerator LINES FILE [SEED]}
 * ({@code .gz} compresses).
 */
public final class ClaimLineGenerator {

    private static final String HEADER = "claimId,lineNumber,memberId,dateOfService,codeSystem,code,therapy,product,description,diagnoses";
    private static final String[][] UNRELATED = {
            {"CPT", "99213", "office visit, established patient", "I10"},
            {"CPT", "99214", "office visit, moderate complexity", "E11.9"},
            {"CPT", "80053", "comprehensive metabolic panel", "E78.5"},
            {"CPT", "85025", "complete blood count", "D64.9"},
            {"HCPCS", "J9271", "pembrolizumab infusion", "C43.9"},
            {"CPT", "96413", "chemotherapy administration, IV infusion", "C50.911"},
            {"HCPCS", "G0439", "annual wellness visit", "Z00.00"},
            {"CPT", "71046", "chest x-ray, 2 views", "R05.9"},
    };
    private static final String[][] POLICY = {
            {"CPT", "36511", "", "", "leukapheresis for CIK cell therapy, hepatocellular carcinoma", "C22.0"},
            {"CPT", "36511", "", "", "", "C92.00"},
            {"CPT", "96365", "", "", "re-infusion of tumor-infiltrating lymphocytes", "C43.9"},
            {"CPT", "37799", "", "", "therapeutic leukapheresis", ""},
            {"HCPCS", "S2107", "", "", "adoptive immunotherapy, per course", "C43.9"},
            {"CPT", "38228", "", "", "CAR-T cell administration", "C83.30"},
            {"CPT", "0537T", "", "", "", "C83.30"},
            {"HCPCS", "Q2041", "", "", "", "C83.30"},
            {"HCPCS", "Q2042", "", "", "", "C91.00"},
            {"", "", "", "Zolgensma", "", "G12.0"},
            {"", "", "", "Amtagvi", "TIL therapy for metastatic melanoma", "C43.9"},
            {"", "", "TUMOR_INFILTRATING_LYMPHOCYTES", "", "", "C43.9"},
            {"", "", "GENE_THERAPY", "", "", "D66"},
            {"", "", "", "", "dendritic cell vaccine for glioblastoma", "C71.9"},
            {"", "", "", "", "high-dose IL-2 for metastatic renal cell carcinoma", "C64.9"},
            {"", "", "ALLOGENEIC_SCT_REDUCED_INTENSITY", "", "", "C92.00"},
    };

    private ClaimLineGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ClaimLineGenerator LINES FILE [SEED]");
            System.exit(2);
        }
        long lines = Long.parseLong(args[0]);
        Path file = Path.of(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20261127L;
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream target = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
             BufferedWriter out = new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 20)) {
            write(lines, seed, out);
        }
    }

    static void write(long lines, long seed, BufferedWriter out) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        out.write(HEADER);
        out.newLine();
        StringBuilder line = new StringBuilder(160);
        for (long i = 0; i < lines; i++) {
            line.setLength(0);
            long claim = i / 3;
            line.append("CLM").append(claim).append(',').append(i % 3 + 1).append(",MBR").append(random.nextInt(200_000)).append(',');
            line.append(random.nextInt(5_000) == 0 ? "2026-02-30" : "2026-" + pad(1 + random.nextInt(11)) + "-" + pad(1 + random.nextInt(28)));
            int pick = random.nextInt(100);
            if (pick < 85) {
                String[] row = UNRELATED[random.nextInt(UNRELATED.length)];
                line.append(',').append(row[0]).append(',').append(row[1]).append(",,,\"").append(row[2]).append("\",").append(row[3]);
            } else {
                String[] row = POLICY[random.nextInt(POLICY.length)];
                line.append(',').append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append(',').append(row[3])
                        .append(',');
                if (!row[4].isEmpty()) {
                    line.append('"').append(row[4]).append('"');
                }
                line.append(',').append(row[5]);
            }
            out.append(line);
            out.newLine();
        }
    }

    private static String pad(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
