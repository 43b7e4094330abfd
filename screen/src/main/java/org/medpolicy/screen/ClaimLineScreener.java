package org.medpolicy.screen;

import java.util.List;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;

/**
 * Screens one claim line given as the values of its columns (claimId, lineNumber, memberId,
 * dateOfService, codeSystem, code, therapy, product, description, diagnoses): the path every
 * screening channel shares, the command line's CSV reader and the Spark job alike, so they cannot
 * disagree. Immutable and thread-safe.
 */
public final class ClaimLineScreener {

    /** A screened line: the result, or the problems that kept it from being screened. */
    public record Screened(String claimId, int lineNumber, String outcome, String reason, String category, List<String> governedBy,
                           String explanation, String policyVersion, List<FieldError> problems) {

        public boolean rejected() {
            return problems != null && !problems.isEmpty();
        }
    }

    private final CoverageEngine engine;
    private final LineDecoder.CsvDecoder decoder;

    public ClaimLineScreener(CoverageEngine engine) {
        this.engine = engine;
        this.decoder = new LineDecoder.CsvDecoder(new RequestReader(engine.vocabulary()), String.join(",",
                LineDecoder.CsvDecoder.KNOWN.subList(0, 10)));
    }

    /** Screens one line; nulls or empty strings are absent values. */
    public Screened screen(String claimId, String lineNumber, String memberId, String dateOfService, String codeSystem, String code,
                           String therapy, String product, String description, String diagnoses) {
        List<String> fields = java.util.Arrays.asList(empty(claimId), empty(lineNumber), empty(memberId), empty(dateOfService),
                empty(codeSystem), empty(code), empty(therapy), empty(product), empty(description), empty(diagnoses));
        LineDecoder.Decoded decoded = decoder.decodeFields(fields, null, 0);
        if (decoded instanceof LineDecoder.Reject reject) {
            return rejected(claimId, lineNumber, reject.rejected().problems());
        }
        ClaimLine line = ((LineDecoder.Lines) decoded).lines().get(0);
        try {
            var screened = engine.screen(line.lineOfBusiness(), line.dateOfService(), line.item());
            var item = screened.item();
            return new Screened(line.claimId(), line.lineNumber(), item.outcome().name(), item.reason() == null ? null : item.reason().name(),
                    item.category(), item.governedBy().stream().map(GovernedBy::id).toList(), item.explanation(),
                    screened.policy().version().toString(), List.of());
        } catch (ProblemException undecidable) {
            return rejected(claimId, lineNumber, undecidable.errors());
        }
    }

    private static Screened rejected(String claimId, String lineNumber, List<FieldError> problems) {
        int number;
        try {
            number = lineNumber == null ? 0 : Integer.parseInt(lineNumber.strip());
        } catch (NumberFormatException e) {
            number = 0;
        }
        return new Screened(claimId, number, "REJECTED", null, null, List.of(), null, null, List.copyOf(problems));
    }

    private static String empty(String value) {
        return value == null ? "" : value;
    }
}
