package org.medpolicy.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Entry point of the {@code medpolicy} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command with the given streams and returns its exit code (for tests). A command on an
     * embedded database that a running server holds is run by that server ({@link CommandSocket}).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        StoreTarget target = StoreTarget.of(commandLine(out, err), args, Invocation.here());
        if (target != null && !target.isServe()) {
            try {
                Integer answered = CommandSocket.forward(CommandSocket.socketFor(target.base()), args, target.readsInput(), out, err);
                if (answered != null) {
                    return answered;
                }
            } catch (IOException e) {
                err.println("medpolicy: the server holding " + target.base() + " did not answer: " + e.getMessage());
                return ExitCodes.FAULT;
            }
        }
        return commandLine(out, err).execute(args);
    }

    /**
     * Runs a command that a CLI sent to this server through its {@link CommandSocket}, as that
     * CLI's {@code invocation}; only commands on the server's own database ({@code base}) are run.
     */
    static int runAs(Invocation invocation, String[] args, Path base, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = commandLine(out, err);
        commandLine.registerConverter(Path.class, value -> invocation.resolve(Path.of(value)));
        commandLine.registerConverter(java.io.File.class, value -> invocation.resolve(Path.of(value)).toFile());
        StoreTarget target = StoreTarget.of(commandLine(out, err), args, invocation);
        if (target == null || target.isServe() || !target.base().equals(base)) {
            err.println("medpolicy: a running server runs only commands on its own database (" + base + ")");
            return ExitCodes.BAD_INPUT;
        }
        try {
            return Invocation.runAs(invocation, () -> commandLine.execute(args));
        } catch (Exception e) {
            err.println("medpolicy: " + e.getMessage());
            return ExitCodes.FAULT;
        }
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new MedpolicyCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new FaultHandler());
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            err.println("medpolicy: " + exception.getMessage());
            exception.getCommandLine().usage(err);
            return ExitCodes.BAD_INPUT;
        });
        return commandLine;
    }
}
