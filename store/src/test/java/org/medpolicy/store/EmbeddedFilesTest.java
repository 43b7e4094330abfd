package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's files as issue #12 found them: PHI in a 644 file, and the AUTO_SERVER
 * port (on every interface) and its key in a 644 lock file, so any local user could connect as
 * database admin. Now the folder medpolicy creates is 700, every file 600, and the port listens on
 * loopback only.
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

    @Test
    void theFilesAreTheOwnersAloneAndThePortIsOnLoopbackOnly() throws Exception {
        Path data = folder.resolve("fresh-data");
        try (Database database = Database.open("jdbc:h2:file:" + data.resolve("medpolicy"), null, null)) {
            assertThat(database.isReachable()).isTrue();
            assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            Path store = data.resolve("medpolicy.mv.db");
            Path lock = data.resolve("medpolicy.lock.db");
            assertThat(Files.getPosixFilePermissions(store)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(lock)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            Properties held = new Properties();
            try (InputStream in = Files.newInputStream(lock)) {
                held.load(in);
            }
            String server = held.getProperty("server");
            assertThat(server).as("AUTO_SERVER's address in the lock file").isNotNull();
            int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
            try (Socket loopback = new Socket("127.0.0.1", port)) {
                assertThat(loopback.isConnected()).as("the owner's port answers on loopback").isTrue();
            }
            // A listener on every interface would answer on 127.0.0.2 too; one bound to 127.0.0.1 does not.
            assertThatThrownBy(() -> {
                try (Socket other = new Socket()) {
                    other.connect(new InetSocketAddress("127.0.0.2", port), 2_000);
                }
            }).isInstanceOf(java.io.IOException.class);
        }
    }
}
