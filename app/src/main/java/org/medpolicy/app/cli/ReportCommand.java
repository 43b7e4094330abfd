package org.medpolicy.app.cli;

import java.util.concurrent.Callable;
import org.medpolicy.core.cases.PriorAuthorizationReport;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.store.Database;
import org.medpolicy.core.reconsideration.AppealMetrics;
import org.medpolicy.store.JdbcCaseRepository;
import org.medpolicy.store.JdbcReconsiderationRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code medpolicy report prior-authorization --year YYYY}: the CMS-0057-F metrics as JSON, from the stored cases. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Reports from the stored cases.",
        subcommands = {ReportCommand.PriorAuthorization.class})
final class ReportCommand extends CommandGroup {

    @Command(name = "prior-authorization", mixinStandardHelpOptions = true,
            description = "CMS-0057-F prior-authorization metrics for a year: % approved / denied, % approved after extension, "
                    + "average and median decision time, standard and expedited apart; % approved after appeal and the reconsiderations by outcome.")
    static final class PriorAuthorization implements Callable<Integer> {
        @Option(names = "--year", required = true)
        int year;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Database database = store.open()) {
                org.medpolicy.core.log.PhiSeal phi = store.phiSeal(false);
                spec.commandLine().getOut().println(ContractJson.write(
                        PriorAuthorizationReport.of(year, new JdbcCaseRepository(database, phi).decidedIn(year), AppealMetrics.of(
                                new JdbcReconsiderationRepository(database, phi).concludedIn(year)))));
            }
            return ExitCodes.OK;
        }
    }
}
