package org.medpolicy.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.core.policy.PolicyProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code medpolicy policy validate FILE|DIR}, {@code medpolicy policy show} and {@code medpolicy policy diff OLD NEW}. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Check, read and compare policy data.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Show.class, PolicyDiffCommand.class, PolicyImpactCommand.class,
                PolicyPublishCommand.class})
final class PolicyCommand extends CommandGroup {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a policy file (with the reference data beside it) or a whole folder of policies.",
                    "Prints every problem with file, path and what is wrong. Exit 0 valid, 2 invalid."})
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE|DIR", description = "A policy version file, or a folder of policies.")
        Path target;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            List<PolicyProblem> problems;
            String what;
            if (Files.isDirectory(target)) {
                try {
                    PolicyLibrary library = PolicyLoader.load(target);
                    problems = List.of();
                    what = library.policies().size() + " policy version(s), " + library.products().products().size()
                            + " products, " + library.codes().codes().size() + " codes";
                } catch (PolicyLoadException e) {
                    problems = e.problems();
                    what = "";
                }
            } else {
                problems = PolicyLoader.check(target);
                what = "policy file";
            }
            if (problems.isEmpty()) {
                out.println("valid: " + target + " (" + what + ")");
                return ExitCodes.OK;
            }
            err.println("invalid: " + target + " has " + problems.size() + " problem(s):");
            problems.forEach(problem -> err.println("  " + problem));
            return ExitCodes.BAD_INPUT;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show the policies: versions, effective dates, review status, hierarchy, rules, codes and products.")
    static final class Show implements Callable<Integer> {
        @Mixin
        PolicySource policies;

        @Option(names = "--id", paramLabel = "POLICY", description = "Only this policy.")
        String id;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PolicyLibrary library = policies.load();
            var out = spec.commandLine().getOut();
            out.print(new PolicyReport(library, Clock.systemUTC()).render(id, policies.describe()));
            out.flush();   // print() does not flush: without this the report's last buffer was lost
            return ExitCodes.OK;
        }
    }
}
