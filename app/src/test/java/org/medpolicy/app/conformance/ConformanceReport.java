package org.medpolicy.app.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes {@code target/conformance-report.md} at the end of every test run of this module: each
 * certification kit check with PASS (every test that makes it ran and passed), FAIL (one failed),
 * NOT RUN (its tests were not part of this run, e.g. {@code -Dtest=…}), or NOT MADE with the
 * reason. Registered with the JUnit Platform by {@code META-INF/services}, so {@code mvn -B verify}
 * writes it with no other step. The outcome of a parameterized or repeated test method is its worst
 * invocation's. Thread-safe (the platform may report from several threads).
 */
public final class ConformanceReport implements TestExecutionListener {

    private enum Outcome { PASS, FAIL }

    private final Map<String, Outcome> byMethod = new ConcurrentHashMap<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!(test.getSource().orElse(null) instanceof MethodSource method)) {
            return;
        }
        String key = simpleName(method.getClassName()) + "#" + method.getMethodName();
        Outcome outcome = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? Outcome.PASS : Outcome.FAIL;
        byMethod.merge(key, outcome, (was, now) -> was == Outcome.FAIL || now == Outcome.FAIL ? Outcome.FAIL : Outcome.PASS);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (byMethod.isEmpty()) {
            return;
        }
        KitChecks catalogue = KitChecks.load();
        List<String> lines = new ArrayList<>();
        int pass = 0;
        int fail = 0;
        int notRun = 0;
        int notMade = 0;
        List<String> rows = new ArrayList<>();
        for (KitChecks.Check check : catalogue.checks()) {
            String status;
            if (check.tests().isEmpty()) {
                status = "NOT MADE";
                notMade++;
            } else if (check.tests().stream().anyMatch(test -> byMethod.get(test) == Outcome.FAIL)) {
                status = "FAIL";
                fail++;
            } else if (check.tests().stream().allMatch(test -> byMethod.get(test) == Outcome.PASS)) {
                status = "PASS";
                pass++;
            } else {
                status = "NOT RUN";
                notRun++;
            }
            rows.add("| " + check.kit() + " | `" + check.id() + "` | " + check.checks() + " | **" + status + "** | "
                    + (check.tests().isEmpty() ? check.notMadeBecause() : String.join("<br>", check.tests())) + " |");
        }
        lines.add("# Conformance report: the certification kits' checks");
        lines.add("");
        lines.add("Written by `" + ConformanceReport.class.getName() + "` from `conformance/kit-checks.tsv` and this run's results.");
        lines.add("");
        lines.add(pass + " pass, " + fail + " fail, " + notRun + " not run in this run, " + notMade + " not made (with why).");
        lines.add("");
        lines.add("| Kit | Check | What it checks | Result | Tests, or why not made |");
        lines.add("|---|---|---|---|---|");
        lines.addAll(rows);
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            Files.write(target.resolve("conformance-report.md"), lines);
        } catch (IOException e) {
            System.err.println("the conformance report could not be written: " + e);
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
