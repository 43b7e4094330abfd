package org.medpolicy.app.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The catalogue of the certification kits' checks ({@code conformance/kit-checks.tsv}): for each,
 * the tests of this build that make it, or why medpolicy does not. Read-only, immutable.
 */
record KitChecks(List<Check> checks) {

    /** One kit check: its kit, id, what it checks, the tests ({@code Class#method}) that make it, or why none do. */
    record Check(String kit, String id, String checks, List<String> tests, String notMadeBecause) {
    }

    static KitChecks load() {
        try (InputStream in = KitChecks.class.getResourceAsStream("/conformance/kit-checks.tsv")) {
            if (in == null) {
                throw new IllegalStateException("conformance/kit-checks.tsv is not on the test class path");
            }
            List<Check> checks = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t", -1);
                if (columns.length != 5) {
                    throw new IllegalStateException("kit-checks.tsv: 5 tab-separated columns expected in: " + line);
                }
                List<String> tests = columns[3].isBlank() ? List.of() : Arrays.asList(columns[3].trim().split(" +"));
                checks.add(new Check(columns[0], columns[1], columns[2], tests, columns[4]));
            }
            return new KitChecks(List.copyOf(checks));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
