package org.medpolicy.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.core.application.PolicyImpact;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.LogUnavailableException;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.screen.InputFormat;
import org.medpolicy.screen.ScreenJob;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcDeterminationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy policy impact --candidate DIR}: what publishing a candidate set of policy data
 * would change, measured before it is published. Determinations from the decision log
 * ({@code --db}, {@code --from}/{@code --to}) are decided again by the live data ({@code --policies})
 * and by the candidate, each as of the time it was first decided; a claims file ({@code --claims},
 * the {@code screen} input) is screened by both. Every change of outcome, governing reference or
 * decision clock is counted by transition with example request ids. Exit 0 nothing changed, 1
 * something did, 2 bad input (a candidate that does not load is reported with every problem).
 */
@Command(name = "impact", mixinStandardHelpOptions = true,
        description = {"What a candidate set of policy data would change: logged determinations and/or a claims file decided",
                "by the live data and by the candidate, every change of outcome, governing reference or clock counted by",
                "transition with examples. Exit 0 no change, 1 changes, 2 bad input."})
final class PolicyImpactCommand implements Callable<Integer> {

    @Option(names = "--phi-key-file", defaultValue = "./data/phi.key",
            description = "The key that opens the decision log's sealed PHI (MEDPOLICY_PHI_KEY takes precedence).")
    java.nio.file.Path phiKeyFile;

    @Option(names = "--candidate", required = true, paramLabel = "DIR", description = "The candidate folder of policies.")
    Path candidate;

    @Option(names = "--db", paramLabel = "URL", description = {"Replay the decision log of this database",
            "(PostgreSQL takes MEDPOLICY_DB_USER and MEDPOLICY_DB_PASSWORD)."})
    String database;

    @Option(names = "--from", paramLabel = "DATE", description = "First day of decisions to replay (UTC; default: all).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "Last day of decisions to replay (UTC, inclusive; default: all).")
    LocalDate to;

    @Option(names = "--claims", paramLabel = "FILE", description = "A claims file to screen with both (as `screen` reads it).")
    Path claims;

    @Option(names = "--zone", description = "The plan's time zone, as for serve (default: the system's).")
    ZoneId zone;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    PolicySource policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (database == null && claims == null) {
            err.println("medpolicy: give --db (replay the decision log) and/or --claims FILE (screen a claims file)");
            return ExitCodes.BAD_INPUT;
        }
        PolicyLibrary live;
        PolicyLibrary next;
        try {
            live = policies.load();
            next = PolicyLoader.load(candidate);
        } catch (PolicyLoadException e) {
            err.println("medpolicy: a policy set cannot be read (" + e.problems().size() + " problem(s)):");
            e.problems().forEach(problem -> err.println("  " + problem));
            return ExitCodes.BAD_INPUT;
        }
        ZoneId planZone = zone == null ? ZoneId.systemDefault() : zone;
        ObjectNode report = ContractJson.mapper().createObjectNode();
        report.put("live", policies.describe());
        report.put("candidate", candidate.toString());
        boolean changed = false;
        if (database != null) {
            PolicyImpact impact = new PolicyImpact(live, next, planZone);
            long started = System.nanoTime();
            try (Database db = Database.open(Invocation.current().absoluteUrl(database),
                    Invocation.current().env("MEDPOLICY_DB_USER"), Invocation.current().env("MEDPOLICY_DB_PASSWORD"));
                 org.medpolicy.core.log.DeterminationLog log = new org.medpolicy.core.log.SealedDeterminationLog(
                         new JdbcDeterminationLog(db), StoreOptions.phiSeal(phiKeyFile, false))) {
                Instant start = from == null ? Instant.EPOCH : from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                Instant end = to == null ? Instant.parse("9999-01-01T00:00:00Z") : to.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                impact.replayAll(log, start, end, Runtime.getRuntime().availableProcessors());
            } catch (LogUnavailableException | IllegalStateException | org.medpolicy.core.log.PhiSeal.SealException
                     | java.io.IOException e) {
                err.println("medpolicy: cannot read the decision log at " + database + ": " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            ObjectNode logged = impact.report();
            logged.put("seconds", (System.nanoTime() - started) / 1e9);
            report.set("decisionLog", logged);
            changed |= impact.anyChange();
        }
        if (claims != null) {
            if (!Files.isRegularFile(claims)) {
                err.println("medpolicy: no such file: " + claims);
                return ExitCodes.BAD_INPUT;
            }
            PolicyImpact impact = new PolicyImpact(live, next, planZone);
            Path folder = Files.createTempDirectory("medpolicy-impact");
            try {
                Path before = screen(impact.liveEngine(), folder.resolve("live.ndjson"));
                Path after = screen(impact.candidateEngine(), folder.resolve("candidate.ndjson"));
                compare(before, after, impact);
            } finally {
                try (var files = Files.list(folder)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(folder);
            }
            report.set("claims", impact.report());
            changed |= impact.anyChange();
        }
        if (json) {
            out.println(ContractJson.writePretty(report));
        } else {
            out.print(text(report));
        }
        out.flush();
        return changed ? PolicyDiffCommand.CHANGED : ExitCodes.OK;
    }

    private Path screen(org.medpolicy.core.engine.CoverageEngine engine, Path output) throws IOException {
        new ScreenJob(engine).run(new ScreenJob.Files(claims.toString(), output.toString(), output + ".rejects"), null,
                InputFormat.NDJSON, Runtime.getRuntime().availableProcessors(), (lines, read, total, elapsed) -> { });
        return output;
    }

    /** Screening results come in input order, one a claim line: compared line by line. */
    private static void compare(Path before, Path after, PolicyImpact impact) throws IOException {
        try (BufferedReader old = Files.newBufferedReader(before, StandardCharsets.UTF_8);
             BufferedReader now = Files.newBufferedReader(after, StandardCharsets.UTF_8)) {
            for (String a = old.readLine(), b = now.readLine(); a != null || b != null; a = old.readLine(), b = now.readLine()) {
                JsonNode was = a == null ? null : ContractJson.mapper().readTree(a);
                JsonNode is = b == null ? null : ContractJson.mapper().readTree(b);
                JsonNode line = was != null ? was : is;
                impact.countItem(item(was), item(is), line.path("claimId").asText() + "#" + line.path("lineNumber").asText());
            }
        }
    }

    private static String item(JsonNode result) {
        if (result == null) {
            return "NO_LINE";
        }
        List<String> ids = new ArrayList<>();
        result.path("governedBy").forEach(id -> ids.add(id.asText()));
        return PolicyImpact.describe(result.path("outcome").asText(), ids);
    }

    private static String text(JsonNode report) {
        StringBuilder text = new StringBuilder("policy impact: live ").append(report.get("live").asText()).append(" → candidate ")
                .append(report.get("candidate").asText()).append('\n');
        if (report.has("decisionLog")) {
            JsonNode logged = report.get("decisionLog");
            text.append(String.format("decision log: %,d determinations replayed in %.1f s, %,d would change (%,d items)%n",
                    logged.get("determinations").asLong(), logged.get("seconds").asDouble(), logged.get("determinationsChanged").asLong(),
                    logged.get("items").asLong()));
            text.append(PolicyImpact.toText(logged));
        }
        if (report.has("claims")) {
            JsonNode claims = report.get("claims");
            text.append(String.format("claims: %,d claim lines screened by both%n", claims.get("items").asLong()));
            text.append(PolicyImpact.toText(claims));
        }
        return text.toString();
    }
}
