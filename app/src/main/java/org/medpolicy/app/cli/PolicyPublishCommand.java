package org.medpolicy.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcPolicySets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy policy publish DIR}: checks a folder of policies completely and, only when it
 * has no problem, keeps it as a policy set and publishes it in the database: every server on that
 * database switches to it within its poll interval, each request decided wholly by the old or the
 * new data. The publication records who published (the operating-system user) and when.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Check a folder of policies and publish it: running servers on the database switch to it without a restart.",
                "A folder with any problem is refused with every problem listed, and nothing is published. Exit 0 published, 2 refused."})
final class PolicyPublishCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder of policies to publish.")
    Path folder;

    @Mixin
    StoreOptions store;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (!Files.isDirectory(folder)) {
            err.println("medpolicy: " + folder + " is not a folder of policies");
            return ExitCodes.BAD_INPUT;
        }
        PolicySet set;
        PolicyLibrary library;
        try {
            set = PolicySet.read(folder);
            library = set.load();
        } catch (PolicyLoadException e) {
            err.println("medpolicy: not published: " + folder + " has " + e.problems().size() + " problem(s):");
            e.problems().forEach(problem -> err.println("  " + problem));
            return ExitCodes.BAD_INPUT;
        }
        try (Database database = store.open()) {
            JdbcPolicySets sets = new JdbcPolicySets(database);
            var latest = sets.latest();
            if (latest.isPresent() && latest.get().setId().equals(set.id())) {
                out.println("already published: " + set.shortId() + " (publication " + latest.get().sequence() + ")");
                return ExitCodes.OK;
            }
            sets.save(set);
            String by = System.getProperty("user.name", "unknown") + " (policy publish " + folder + ")";
            var publication = sets.publish(set.id(), by);
            out.printf("published %s as publication %d: %d policy version(s), %d products; running servers switch within their poll "
                    + "interval%n", set.shortId(), publication.sequence(), library.policies().size(), library.products().products().size());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
