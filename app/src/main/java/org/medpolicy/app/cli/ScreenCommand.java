package org.medpolicy.app.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.screen.InputFormat;
import org.medpolicy.screen.ScreenJob;
import org.medpolicy.screen.ScreenSummary;
import org.medpolicy.screen.Screener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy screen INPUT [--out OUTPUT]}: every claim line of a file screened against the
 * policy, one result per line, in input order. Exit 0 when nothing was rejected, 4 when some lines
 * were (they are in the rejects file), 2 when the input cannot be read at all.
 */
@Command(name = "screen", mixinStandardHelpOptions = true,
        description = {"Screen claim lines (CSV with a header, or NDJSON contract requests of kind CLAIM; .gz works) against the policy.",
                "CSV columns: claimId, lineNumber, memberId, dateOfService, codeSystem, code, therapy, product, description, diagnoses (;-separated).",
                "Output: claimId, lineNumber, outcome, reason, category, governedBy, explanation, policyVersion (CSV or NDJSON).",
                "Exit codes: 0 all screened, 4 some lines rejected, 2 unreadable input, 1 internal fault."})
final class ScreenCommand implements Callable<Integer> {

    static final int SOME_REJECTED = 4;

    @Parameters(index = "0", paramLabel = "INPUT", description = "Claim lines: a .csv / .ndjson file (optionally .gz), or - for standard input.")
    String input;

    @Option(names = "--out", paramLabel = "OUTPUT", defaultValue = "-",
            description = "Where results go (default: standard output). The format follows its name (.csv, .ndjson, .gz).")
    String output;

    @Option(names = "--format", paramLabel = "csv|ndjson", description = "The input format, when the name does not say.")
    String format;

    @Option(names = "--out-format", paramLabel = "csv|ndjson", description = "The output format, when the name does not say.")
    String outputFormat;

    @Option(names = "--rejects", paramLabel = "FILE", description = "Where rejected lines go (default: OUTPUT.rejects, or screen.rejects for standard output).")
    String rejects;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--quiet", description = "No progress bar and no summary.")
    boolean quiet;

    @Mixin
    PolicySource policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        InputFormat in;
        InputFormat out;
        try {
            in = parse(format);
            out = parse(outputFormat);
        } catch (IllegalArgumentException e) {
            err.println("medpolicy: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        var engine = CoverageEngines.create(policies.load(), Clock.systemUTC());
        boolean terminal = System.console() != null && !quiet;
        ProgressBar bar = new ProgressBar(err, terminal);
        ScreenSummary summary;
        try {
            summary = new ScreenJob(engine).run(new ScreenJob.Files(input, output, rejects), in, out,
                    threads == null ? Runtime.getRuntime().availableProcessors() : threads, bar);
        } catch (Screener.InputException e) {
            bar.clear();
            err.println("medpolicy: cannot screen " + input + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (NoSuchFileException e) {
            bar.clear();
            err.println("medpolicy: no such file: " + e.getFile());
            return ExitCodes.BAD_INPUT;
        }
        bar.clear();
        if (!quiet) {
            err.print(summary.render());
            if (summary.rejected() > 0) {
                err.println("rejected lines, with every problem found: " + ScreenJob.rejectsPath(new ScreenJob.Files(input, output, rejects)));
            }
        }
        err.flush();
        return summary.rejected() > 0 ? SOME_REJECTED : ExitCodes.OK;
    }

    private static InputFormat parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return InputFormat.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "': csv or ndjson");
        }
    }

    /** A one-line progress bar on a terminal: lines, lines/s, and percentage and ETA when the input size is known. */
    static final class ProgressBar implements ScreenJob.Progress {
        private final PrintWriter err;
        private final boolean enabled;
        private boolean drawn;

        ProgressBar(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        @Override
        public void update(long lines, long bytesRead, long totalBytes, Duration elapsed) {
            if (!enabled) {
                return;
            }
            err.print("\r" + line(lines, bytesRead, totalBytes, elapsed));
            err.flush();
            drawn = true;
        }

        static String line(long lines, long bytesRead, long totalBytes, Duration elapsed) {
            double seconds = Math.max(elapsed.toMillis() / 1000.0, 0.001);
            String text = String.format("%,d lines  %,.0f lines/s", lines, lines / seconds);
            if (totalBytes > 0) {
                double done = Math.min(1.0, bytesRead / (double) totalBytes);
                int width = 30;
                int filled = (int) Math.round(done * width);
                long remaining = done > 0 ? Math.round(seconds / done - seconds) : -1;
                text = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + String.format("%3.0f%%  ", done * 100) + text
                        + (remaining >= 0 ? String.format("  ETA %d:%02d", remaining / 60, remaining % 60) : "");
            }
            return text;
        }

        void clear() {
            if (enabled && drawn) {
                err.print("\r" + " ".repeat(100) + "\r");
                err.flush();
            }
        }
    }
}
