package org.medpolicy.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;

/**
 * Gives back the space of an embedded H2 file that commits written one by one leave behind.
 *
 * <p>Why it is needed. Every commit is written before it returns ({@code WRITE_DELAY=0}), and that
 * setting also stops the store's background thread, which is what rewrites half-empty chunks. An
 * append-heavy log then leaves each chunk holding a few live pages among many superseded copies of
 * the same B-tree nodes, and no chunk ever becomes empty enough to be freed: the file grew at about
 * three times its data and never shrank (BENCHMARKS.md, "Embedded store").
 *
 * <p>What it does. Once a {@link #PERIOD_MS period}, on its own thread, it asks the MVStore to
 * rewrite the live pages of its emptiest chunks ({@link MVStore#compact}, at most what its {@link
 * Plan} allows, which grows while the chunks stay below target) and commits them;
 * the chunks they came from then hold nothing, and their space is reused as soon as no version
 * being read needs them. Only copies of data already committed move, so a process killed during a
 * pass loses nothing: the moved pages are either in a complete newer chunk or still in the older
 * one. Reusing space at once (no retention time) is safe against a kill for the reason a kill is
 * survivable here at all: every commit is written before it returns, and the recovery open
 * ({@link H2CrashRecovery}) starts from the newest complete chunk, which never references a freed
 * one. It is not safe against a power cut on a disk that reorders writes, which nothing on H2
 * promises (SECURITY.md: no fsync per commit).
 *
 * <p>The cost is measured, not hidden: at full load the passes hold the store's lock while they
 * rewrite, and the log's commits wait, and the rewriting is CPU the requests do not get
 * (BENCHMARKS.md, "Embedded store"; {@link Plan} says what the adaptive passes cost against fixed
 * ones). A pass that finds the chunks full enough does nothing.
 *
 * <p>The settings were chosen by measurement (BENCHMARKS.md); the {@code medpolicy.h2.*} system
 * properties exist to repeat it, not for operators. Thread-safe; {@link #close} stops it. It
 * reaches the store through H2's internal {@code SessionLocal}, which only an in-process
 * connection has: check it on any H2 upgrade. It finds the store anew each pass, through a
 * connection: after a failed write H2 closes its store and the file is reopened with a new one
 * ({@link H2ReopenGuard}), and a housekeeper holding the first would do nothing from then on.
 */
final class H2Housekeeping implements AutoCloseable {

    /** How often a pass runs. */
    static final long PERIOD_MS = Long.getLong("medpolicy.h2.housekeepingMs", 50);
    /** At most this much is rewritten a pass while the writes are few (bytes): the least a {@link Plan} falls to. */
    static final int MIN_WRITE_LIMIT = Integer.getInteger("medpolicy.h2.housekeepingBytes", 2 << 20);
    /** The most a pass may rewrite when the chunks stay below target pass after pass (bytes; the least wins if set below it). */
    static final int MAX_WRITE_LIMIT = Integer.getInteger("medpolicy.h2.housekeepingMaxBytes", 16 << 20);
    /** A pass runs while the chunks' live share is below this (percent). */
    static final int TARGET_FILL_RATE = Integer.getInteger("medpolicy.h2.housekeepingFill", 85);
    /**
     * How long a chunk that holds nothing live is kept before its space is reused, beyond the time
     * any version being read needs it (which H2 always respects). H2's default, 45 s, kept a
     * second file's worth of dead chunks under load (BENCHMARKS.md).
     */
    static final int RETENTION_MS = Integer.getInteger("medpolicy.h2.retentionMs", 0);

    private final ScheduledExecutorService thread;
    private final DataSource pool;
    private volatile MVStore store;
    /** What the next pass may do; only the housekeeping thread reads and sets it. */
    private Plan plan = Plan.initial();

    private H2Housekeeping(MVStore store, DataSource pool) {
        this.store = store;
        this.pool = pool;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "medpolicy-h2-housekeeping");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::pass, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts housekeeping for the embedded file database behind {@code pool}, or returns null when
     * it has none to do. {@code pool} should refuse at once while the store is down (FailFastDataSource).
     */
    static H2Housekeeping start(DataSource pool) {
        if (PERIOD_MS <= 0) {
            return null;
        }
        try (Connection connection = pool.getConnection()) {
            MVStore store = fileStoreOf(connection);
            return store == null ? null : new H2Housekeeping(store, pool);
        } catch (SQLException e) {
            return null;
        }
    }

    /** The MVStore of the embedded file an in-process connection has open, with this class's retention set; else null. */
    private static MVStore fileStoreOf(Connection connection) throws SQLException {
        MVStore store = H2ReopenGuard.storeOf(connection);   // null: not an in-process database, nothing here to keep
        if (store == null || store.getFileStore() == null) {
            return null;
        }
        store.setRetentionTime(RETENTION_MS);
        return store;
    }

    private void pass() {
        try (Connection connection = pool.getConnection()) {
            MVStore current = store;
            if (current.isClosed()) {
                current = fileStoreOf(connection);   // the file was reopened (H2ReopenGuard)
                if (current == null) {
                    return;
                }
                store = current;
                plan = Plan.initial();   // the new store's versions are not the old one's
            }
            int before = current.getFileStore().getChunksFillRate();
            if (before >= TARGET_FILL_RATE) {
                plan = plan.atTarget();
                return;
            }
            long startVersion = current.getCurrentVersion();
            if (!plan.worthAPass(startVersion)) {
                return;
            }
            current.compact(TARGET_FILL_RATE, plan.bytes());
            // Commit through SQL even when nothing moved this pass: H2 frees the chunks that hold
            // nothing live (after the retention time) only while it stores a commit, and an idle
            // server would otherwise keep them. The one row of store_probe is all this writes.
            try (var touch = connection.prepareStatement("UPDATE store_probe SET checked_at = CURRENT_TIMESTAMP WHERE id = 1")) {
                touch.executeUpdate();
            }
            plan = plan.after(before, current.getFileStore().getChunksFillRate(), startVersion, current.getCurrentVersion());
        } catch (SQLException | RuntimeException e) {
            // A closed or failed store (a full disk): the store's health reports it; try again next period.
        }
    }

    /**
     * What the next pass may do, set by how the last one ended. Immutable.
     *
     * <p>How much it may rewrite ({@link #bytes}). A fixed amount is either too little for a fast
     * machine at full load (16 MB every 250 ms let the file reach 1.66 times its data at 7,000
     * determinations a second: each chunk holds live log pages among index pages that later commits
     * supersede, and freeing it means moving those live pages) or holds the store's lock longer than
     * needed when writes are few. So it doubles, up to {@link #MAX_WRITE_LIMIT}, after a pass that
     * left the chunks below target, and halves, down to {@link #MIN_WRITE_LIMIT}, after one that found
     * or left them at target: under sustained load it settles where the rewriting keeps up with the
     * writing. Measured against the fixed 16 MB every 250 ms on that machine: the file 1.35–1.40
     * times its data instead of 1.63–1.66, p99 59–68 ms instead of 83, and 16–18% less throughput
     * at full load (BENCHMARKS.md, "Housekeeping that keeps up at full load").
     *
     * <p>Whether a pass is worth running at all. On a store nobody else writes to, passes that do
     * not raise the live share above the best it has reached are wasted work: near the target, an
     * idle store's passes moved pages back and forth (the share going 84, 83, 84 …) and wrote a
     * chunk each time (an idle server wrote 280–568 KiB per 20 s with such passes, 20–48 KiB
     * without them). So after {@link #FRUITLESS_PASSES} such passes in a row the next waits for a
     * commit by someone else, which changes the store's version (with {@code WRITE_DELAY=0} every
     * commit stores a version; compacting alone does not). Not after one: the chunks a pass empties
     * are still counted until the next commit drops them, and the pages it moved are counted again
     * where they went, so a useful pass usually reads as a loss at first. Chunks the last pass
     * emptied before passes stop stay until the next write drops them. A commit by someone else
     * during a pass is taken for the pass's own; at worst passes stop early, until the next write.
     *
     * @param bytes       at most this much is rewritten by the next pass
     * @param fruitless   passes in a row that did not raise the live share above {@code best}, with no other commit between them
     * @param leftVersion the store's version the last pass left; -1 before any
     * @param best        the highest live share (percent) since the count began; -1 before any
     */
    record Plan(int bytes, int fruitless, long leftVersion, int best) {
        static final int FRUITLESS_PASSES = 4;

        static Plan initial() {
            return new Plan(MIN_WRITE_LIMIT, 0, -1, -1);
        }

        /** False while nobody has written since the last of {@link #FRUITLESS_PASSES} passes that gained nothing. */
        boolean worthAPass(long storeVersion) {
            return fruitless < FRUITLESS_PASSES || storeVersion != leftVersion;
        }

        /** After a pass that found the chunks at least at target and did nothing. */
        Plan atTarget() {
            return new Plan(clamp(bytes / 2L), 0, -1, -1);
        }

        /**
         * After a pass that began with the store at {@code startVersion} and the live share at
         * {@code before} (percent), and ended with them at {@code endVersion} and {@code after}.
         */
        Plan after(int before, int after, long startVersion, long endVersion) {
            boolean othersWrote = startVersion != leftVersion;
            int bestSoFar = othersWrote ? before : Math.max(best, before);
            int inARow = after > bestSoFar ? 0 : othersWrote ? 1 : fruitless + 1;
            return new Plan(clamp(after >= TARGET_FILL_RATE ? bytes / 2L : bytes * 2L), inARow, endVersion, Math.max(bestSoFar, after));
        }

        private static int clamp(long bytes) {
            return (int) Math.max(MIN_WRITE_LIMIT, Math.min(MAX_WRITE_LIMIT, bytes));
        }
    }

    /** The version of the store housekeeping looks after: each commit, housekeeping's own included, moves it on. */
    long storeVersion() {
        return store.getCurrentVersion();
    }

    /** The live share of the file's chunks (percent): what a pass raises. */
    int chunksFillRate() {
        return store.getFileStore().getChunksFillRate();
    }

    /**
     * Stops housekeeping, letting a pass under way finish. Not by interrupting it: an interrupt
     * inside H2 (waiting for the store's lock, writing the file) makes it close the store without a
     * clean header, and the next open has to recover the file. With passes every 50 ms one is often
     * under way at a close: 3–5 closes in 25 left the file unclean that way
     * ({@code H2HousekeepingTest.closingWhilePassesRunLeavesTheFileClean}).
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
