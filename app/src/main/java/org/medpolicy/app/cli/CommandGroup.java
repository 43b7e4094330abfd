package org.medpolicy.app.cli;

import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code medpolicy clients}, {@code users}, …): run alone, it prints its usage. */
abstract class CommandGroup implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
