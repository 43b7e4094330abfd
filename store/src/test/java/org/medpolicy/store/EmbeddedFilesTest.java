package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's files as issue #12 found them: PHI in a 644 file, and the AUTO_SERVER
 * port (on every interface) and its key in a 644 lock file, so any local user could connect as
 * database admin. Now the folder medpolicy creates is 700, every file 600, and there is no port.
 */
class EmbeddedFilesTest {

    @TempDir
    Path folder;

    /**
     * A copy of the file taken while the database is open is what a killed server leaves: a header
     * without H2's clean mark. Opening it recovers it first, and every committed row is there; a
     * file closed cleanly is opened as it is.
     */
    @Test
    void aFileNotClosedCleanlyIsRecoveredBeforeUseAndKeepsEveryCommit() throws Exception {
        Path running = folder.resolve("running");
        Path crashed = folder.resolve("crashed");
        Files.createDirectories(crashed);
        java.util.List<String> ids = new java.util.ArrayList<>();
        try (Database database = Database.open("jdbc:h2:file:" + running.resolve("db"), null, null);
             JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            for (int i = 0; i < 200; i++) {
                var record = DeterminationLogTest.record("RECOVER", java.time.Instant.now());
                log.append(record);
                ids.add(record.determinationId());
            }
            Files.copy(running.resolve("db.mv.db"), crashed.resolve("db.mv.db"));
        }
        assertThat(H2CrashRecovery.closedCleanly(crashed.resolve("db.mv.db"))).as("the image of a running server").isFalse();
        try (Database recovered = Database.open("jdbc:h2:file:" + crashed.resolve("db"), null, null);
             JdbcDeterminationLog log = new JdbcDeterminationLog(recovered)) {
            assertThat(recovered.recovery()).contains("not closed cleanly").contains("recovered");
            for (String id : ids) {
                assertThat(log.find(id)).as("committed before the crash: " + id).isPresent();
            }
        }
        try (Database again = Database.open("jdbc:h2:file:" + crashed.resolve("db"), null, null)) {
            assertThat(again.recovery()).as("closed cleanly this time: nothing to recover").isNull();
        }
    }

    /**
     * A write that fails (a full disk) makes H2 let go of the file without a clean header, and the
     * next connection opens it again in this process. That open must recover the file as a first
     * open after a crash does: a normal open follows a header that may name an older chunk and
     * drops the last acknowledged commits (DiskFullTest lost them before H2ReopenGuard). The
     * failure here is H2's own: the store's panic, as its file store raises it on a failed write.
     */
    @Test
    void aFileH2LetGoOfAfterAFailedWriteIsRecoveredBeforeItIsOpenedAgain() throws Exception {
        try (Database database = Database.open("jdbc:h2:file:" + folder.resolve("failing").resolve("db"), null, null);
             JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
            java.util.List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                var record = DeterminationLogTest.record("PANIC", java.time.Instant.now());
                log.append(record);
                ids.add(record.determinationId());
            }
            assertThat(database.recovery()).as("a new file").isNull();
            try (java.sql.Connection connection = database.dataSource().getConnection()) {
                var session = (org.h2.engine.SessionLocal) connection.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
                var store = session.getDatabase().getStore().getMvStore();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.panic(new java.io.IOException("No space left on device")))
                        .hasMessageContaining("No space left");
                assertThat(store.isClosed()).as("H2 let go of the file").isTrue();
            }
            // Another caller meets the closed database first; the log's writer keeps its connection meanwhile.
            try (java.sql.Connection connection = database.dataSource().getConnection();
                 java.sql.Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT COUNT(*) FROM store_probe");
            } catch (java.sql.SQLException closed) {
                // the store is down now, until its recovery (unless the pool had opened a new connection)
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (database.failure() != null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(database.failure()).as("the store takes writes again").isNull();
            var first = DeterminationLogTest.record("AFTER", java.time.Instant.now());
            log.append(first);   // at once: the writer's connection from before the failure is not used again
            String after = first.determinationId();
            assertThat(database.recovery()).as("the reopen recovered the file").contains("not closed cleanly").contains("recovered");
            assertThat(database.failure()).isNull();
            ids.add(after);
            for (String id : ids) {
                assertThat(log.find(id)).as("acknowledged: " + id).isPresent();
            }
        }
    }

    /**
     * No network listener: opening the embedded store adds no listening socket to this process (it
     * used to add AUTO_SERVER's port), and every file is the owner's alone.
     */
    @Test
    void theFilesAreTheOwnersAloneAndNothingListens() throws Exception {
        Path data = folder.resolve("fresh-data");
        java.util.Set<String> before = listeningSocketsOfThisProcess();
        try (Database database = Database.open("jdbc:h2:file:" + data.resolve("medpolicy"), null, null)) {
            assertThat(database.isReachable()).isTrue();
            assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            try (var files = Files.list(data)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                }
            }
            assertThat(listeningSocketsOfThisProcess()).as("listening sockets of this process").isEqualTo(before);
            assertThat(Files.exists(data.resolve("medpolicy.lock.db"))).as("no lock file with a port and key").isFalse();
        }
    }

    /** The inodes of TCP sockets in LISTEN state (0A in /proc/net/tcp*) that this process has open. */
    static java.util.Set<String> listeningSocketsOfThisProcess() throws Exception {
        java.util.Set<String> listening = new java.util.HashSet<>();
        for (String table : java.util.List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A")) {
                    listening.add("socket:[" + fields[9] + "]");
                }
            }
        }
        java.util.Set<String> ours = new java.util.HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (listening.contains(target)) {
                        ours.add(target);
                    }
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return ours;
    }
}
