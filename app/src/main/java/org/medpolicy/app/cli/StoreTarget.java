package org.medpolicy.app.cli;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The embedded database a command line would open, found by parsing it without running it: the
 * value of its command's {@code --db} when that is an H2 file. Whether the command is {@code serve}
 * (which holds the database rather than asks for it), and whether it reads its input ({@link ReadsInput}).
 */
record StoreTarget(Path base, boolean isServe, boolean readsInput) {

    /** A command that reads its input only in some cases (a password on stdin unless a file names it). */
    interface ReadsInput {
        boolean readsInput();
    }

    /** The embedded database {@code args} names, or null when it names none (or does not parse: running it says why). */
    static StoreTarget of(CommandLine commandLine, String[] args, Invocation invocation) {
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return null;
        }
        for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
                return null;
            }
        }
        java.util.List<CommandLine> commands = parsed.asCommandLineList();
        CommandLine leaf = commands.get(commands.size() - 1);
        CommandLine.Model.OptionSpec db = leaf.getCommandSpec().findOption("--db");
        Object url = db == null ? null : db.getValue();
        Path base = url instanceof String text ? StoreOptions.embeddedBase(text, invocation) : null;
        if (base == null) {
            return null;
        }
        Object command = leaf.getCommand();
        return new StoreTarget(base, command instanceof ServeCommand, command instanceof ReadsInput reader && reader.readsInput());
    }
}
