package org.medpolicy.app.cli;

import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcPolicySets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy replay DETERMINATION_ID}: decides a logged determination again with the policy
 * data it was decided under and shows that the answer is identical; if the latest published data
 * is another set, also what it would answer. Exit 0 identical, 1 not identical, 2 not found or not
 * replayable.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Decide a logged determination again with the policy data it was decided under, and with today's.",
                "Exit 0 identical, 1 not identical, 2 no such determination or not replayable."})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DETERMINATION_ID")
    String determinationId;

    @Option(names = "--zone", description = "The plan's time zone, as for serve (default: the system's).")
    ZoneId zone;

    @Mixin
    StoreOptions store;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Database database = store.open(); org.medpolicy.core.log.DeterminationLog log = store.decisionLog(database, false)) {
            JdbcPolicySets sets = new JdbcPolicySets(database);
            String current = sets.latest().map(publication -> publication.setId()).orElse(null);
            var replay = new DeterminationReplay(log, sets, () -> current, zone == null ? ZoneId.systemDefault() : zone);
            var result = replay.replay(determinationId);
            if (result.isEmpty()) {
                err.println("medpolicy: no determination has id " + determinationId);
                return ExitCodes.BAD_INPUT;
            }
            out.println(ContractJson.writePretty(result.get()));
            out.flush();
            return result.get().get("identical").asBoolean() ? ExitCodes.OK : PolicyDiffCommand.CHANGED;
        } catch (DeterminationReplay.NotReplayable | org.medpolicy.core.log.PhiSeal.SealException e) {
            err.println("medpolicy: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (java.io.IOException e) {
            err.println("medpolicy replay: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
