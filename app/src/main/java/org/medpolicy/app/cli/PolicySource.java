package org.medpolicy.app.cli;

import java.time.Clock;
import java.time.ZoneId;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.policy.PolicySet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoader;
import picocli.CommandLine.Option;

/**
 * Where a command reads policies from: {@code --policies DIR}, else {@code $MEDPOLICY_POLICIES},
 * else {@code ./policies} when it exists, else the policies packaged in the jar.
 */
final class PolicySource {

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Folder of policies (default: $MEDPOLICY_POLICIES, else ./policies, else the packaged ones).")
    Path folder;

    PolicyLibrary load() {
        Path chosen = chosenFolder();
        return chosen == null ? PolicyLoader.loadBundled() : PolicyLoader.load(chosen);
    }

    /** The files of the chosen policies as one set (its id is what determinations name as {@code dataVersion}). */
    PolicySet set() {
        Path chosen = chosenFolder();
        return chosen == null ? PolicySet.bundled() : PolicySet.read(chosen);
    }

    /** An engine over the chosen policies whose determinations name their set. */
    CoverageEngine engine(Clock clock, ZoneId zone) {
        PolicyLibrary library = load();
        return CoverageEngines.create(library, set().id(), clock, zone);
    }

    String describe() {
        Path chosen = chosenFolder();
        return chosen == null ? "packaged policies" : chosen.toString();
    }

    private Path chosenFolder() {
        if (folder != null) {
            return folder;
        }
        Invocation invocation = Invocation.current();
        String fromEnvironment = invocation.env("MEDPOLICY_POLICIES");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return invocation.resolve(Path.of(fromEnvironment));
        }
        Path local = invocation.resolve(Path.of("policies"));
        return Files.isDirectory(local.resolve("reference")) ? local : null;
    }
}
