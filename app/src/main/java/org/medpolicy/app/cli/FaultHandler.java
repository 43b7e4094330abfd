package org.medpolicy.app.cli;

import java.util.UUID;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.problem.Problem;
import picocli.CommandLine;

/**
 * What the command prints when something fails that is not the caller's input: a problem document
 * with a correlation id, never a stack trace (set {@code MEDPOLICY_DEBUG=1} to see one). Broken
 * policy data is reported with every problem in it.
 */
final class FaultHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        var err = commandLine.getErr();
        if (exception instanceof PolicyLoadException broken) {
            err.println("medpolicy: the policy data cannot be used:");
            broken.problems().forEach(problem -> err.println("  " + problem));
            return ExitCodes.FAULT;
        }
        String correlationId = UUID.randomUUID().toString();
        err.println(ContractJson.writePretty(Problem.internal(correlationId)));
        err.println("medpolicy: internal error " + correlationId + ": " + exception.getClass().getSimpleName());
        if (System.getenv("MEDPOLICY_DEBUG") != null) {
            exception.printStackTrace(err);
        }
        return ExitCodes.FAULT;
    }
}
