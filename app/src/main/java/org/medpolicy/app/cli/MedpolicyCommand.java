package org.medpolicy.app.cli;

import picocli.CommandLine.Command;

/** The top-level {@code medpolicy} command. */
@Command(name = "medpolicy", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Medical policy as versioned data: coverage determinations that cite their source.",
        subcommands = {DecideCommand.class, PolicyCommand.class, ServeCommand.class, ScreenCommand.class,
                ClientsCommand.class, TokenCommand.class, AssertionCommand.class,
                UsersCommand.class, ReportCommand.class, ReplayCommand.class, PhiKeyCommand.class})
final class MedpolicyCommand extends CommandGroup {

}
