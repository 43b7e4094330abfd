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
