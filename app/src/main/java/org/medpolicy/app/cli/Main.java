package org.medpolicy.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code medpolicy} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command with the given streams and returns its exit code (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new MedpolicyCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new FaultHandler());
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            err.println("medpolicy: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return ExitCodes.BAD_INPUT;
        });
        return commandLine.execute(args);
    }
}
