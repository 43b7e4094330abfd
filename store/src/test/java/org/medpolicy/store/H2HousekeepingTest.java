package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded file gives back the space its commits leave behind (issue #12: it grew at three
 * times its data). Appends committed one at a time leave the file's chunks mostly superseded
 * pages; housekeeping rewrites the live ones until the chunks are at least its target full, and
 * every row is still there, in a file that reopens cleanly.
 */
class H2HousekeepingTest {

    @TempDir
    Path folder;

    @Test
    void supersededPagesAreRewrittenAwayAndNothingIsLost() throws Exception {
        String url = "jdbc:h2:file:" + folder.resolve("db");
        List<String> ids = new ArrayList<>();
        int lowest = 100;
        try (Database database = Database.open(url, null, null);
             JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            H2Housekeeping housekeeping = database.housekeeping();
            assertThat(housekeeping).as("an embedded file has a housekeeper").isNotNull();
            for (int i = 0; i < 4_000; i++) {
                var record = DeterminationLogTest.record("HOUSE-" + (i * 7919 % 4_000), Instant.now());
                log.append(record);   // one commit each: the worst case for an append-only B-tree
                ids.add(record.determinationId());
                if (i % 500 == 499) {
                    lowest = Math.min(lowest, housekeeping.chunksFillRate());
                }
            }
            // The newest chunks are not rewritten yet (they are kept for the retention time), so the
            // share moves while passes run: what counts is that it reaches the target.
            int best = housekeeping.chunksFillRate();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (best < H2Housekeeping.TARGET_FILL_RATE && System.nanoTime() < deadline) {
                Thread.sleep(100);
                best = Math.max(best, housekeeping.chunksFillRate());
            }
            assertThat(lowest).as("the chunks' live share while appending").isLessThan(70);
            assertThat(best).as("the chunks' live share once housekeeping caught up").isGreaterThanOrEqualTo(H2Housekeeping.TARGET_FILL_RATE);
        }
        try (Database reopened = Database.open(url, null, null);
             JdbcDeterminationLog log = new JdbcDeterminationLog(reopened)) {
            assertThat(reopened.recovery()).as("closed cleanly").isNull();
            for (String id : ids) {
                assertThat(log.find(id)).as(id).isPresent();
            }
        }
    }
}
