package org.medpolicy.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy decide FILE|-}: one request in, one determination out on stdout (exit 0);
 * a problem document on stderr for bad input (exit 2) or an undecidable request (exit 3).
 */
@Command(name = "decide", mixinStandardHelpOptions = true,
        description = {"Decide one coverage request (decision contract v1) and print the determination as JSON.",
                "Exit codes: 0 determination, 2 bad input, 3 undecidable, 1 internal fault."})
final class DecideCommand implements Callable<Integer> {

    static final int MAX_REQUEST_BYTES = 1 << 20;

    @Parameters(index = "0", paramLabel = "FILE", description = "The request as JSON, or - to read it from standard input.")
    String file;

    @Mixin
    PolicySource policies;

    @picocli.CommandLine.Option(names = "--zone",
            description = "The plan's time zone: calendar-day deadlines end at the same local time (default: the system's), as for serve.")
    java.time.ZoneId zone;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        byte[] json;
        try {
            json = read();
        } catch (ProblemException e) {
            err.println(ContractJson.writePretty(e.problem()));
            return ExitCodes.BAD_INPUT;
        }
        CoverageEngine engine = policies.engine(Clock.systemUTC(), zone == null ? java.time.ZoneId.systemDefault() : zone);
        try {
            var request = new RequestReader(engine.vocabulary()).read(json);
            out.println(ContractJson.writePretty(engine.decide(request)));
            out.flush();
            return ExitCodes.OK;
        } catch (ProblemException e) {
            err.println(ContractJson.writePretty(e.problem()));
            return e.kind() == ProblemException.Kind.UNDECIDABLE ? ExitCodes.UNDECIDABLE : ExitCodes.BAD_INPUT;
        }
    }

    private byte[] read() throws IOException {
        if ("-".equals(file)) {
            return limited(System.in);
        }
        Path path = Path.of(file);
        try (InputStream in = Files.newInputStream(path)) {
            return limited(in);
        } catch (NoSuchFileException e) {
            throw bad("FILE", "no such file: " + file);
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw bad("FILE", file + " is a folder, not a request file");
            }
            throw bad("FILE", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] limited(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BYTES) {
            throw bad("$", "the request is larger than 1 MiB");
        }
        return bytes;
    }

    private static ProblemException bad(String field, String message) {
        return ProblemException.invalid(List.of(new FieldError(field, message)));
    }
}
