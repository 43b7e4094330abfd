package org.medpolicy.spark;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.policy.PolicyLoader;
import org.medpolicy.screen.ClaimLineScreener;

/**
 * Screens one partition. What is shipped to executors is only where the policies are; the engine is
 * built once per executor JVM (policy data loaded, checked and compiled once) and shared by every
 * partition and task there, so no row ever parses policy data. Thread-safe.
 */
final class ScreenPartition implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final String BUNDLED = "(packaged)";
    private static final Map<String, ClaimLineScreener> SCREENERS = new ConcurrentHashMap<>();

    private final String policies;

    ScreenPartition(String policies) {
        this.policies = policies;
    }

    static ClaimLineScreener screener(String policies) {
        return SCREENERS.computeIfAbsent(policies == null ? BUNDLED : policies, key -> new ClaimLineScreener(CoverageEngines.create(
                key.equals(BUNDLED) ? PolicyLoader.loadBundled() : PolicyLoader.load(Path.of(key)), Clock.systemUTC())));
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ClaimLineScreener screener = screener(policies);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row row = rows.next();
                var screened = screener.screen(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9));
                return RowFactory.create(screened.claimId(), screened.lineNumber(), screened.outcome(), screened.reason(),
                        screened.category(), screened.rejected() ? null : String.join(";", screened.governedBy()), screened.explanation(),
                        screened.policyVersion(), screened.rejected() ? ContractJson.write(screened.problems()) : null);
            }
        };
    }
}
