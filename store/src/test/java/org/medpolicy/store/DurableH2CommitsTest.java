package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Passwords;
import org.medpolicy.security.User;

/**
 * Every way the store writes H2 leaves nothing unsaved once the write returns: a transaction's
 * commit, statements in auto-commit mode, and the repositories built on them. H2's own background
 * write is pushed out to a minute here, so a write this wrapper failed to force would still be
 * unsaved when checked. (The process-level proof is {@code CrashTest}: SIGKILL, restart, every
 * acknowledged determination there.)
 */
class DurableH2CommitsTest {

    @TempDir
    static Path folder;

    private static Database database;
    private static DurableH2Commits durable;

    @BeforeAll
    static void open() throws SQLException {
        database = Database.open("jdbc:h2:file:" + folder.resolve("durable").toAbsolutePath() + ";WRITE_DELAY=60000", null, null);
        durable = database.dataSource().unwrap(DurableH2Commits.class);
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE scratch (id INT PRIMARY KEY, note VARCHAR(40))");
        }
    }

    @AfterAll
    static void close() {
        database.close();
    }

    interface Write {
        void run(int id) throws Exception;
    }

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("statement in auto-commit mode", (Write) id -> {
                    try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                        statement.executeUpdate("INSERT INTO scratch VALUES (" + id + ", 'auto')");
                    }
                }),
                Arguments.of("explicit transaction", (Write) id -> {
                    try (Connection connection = database.dataSource().getConnection()) {
                        connection.setAutoCommit(false);
                        try (Statement statement = connection.createStatement()) {
                            statement.executeUpdate("INSERT INTO scratch VALUES (" + id + ", 'tx')");
                        }
                        connection.commit();
                        assertThat(durable.hasUnsavedChanges()).as("after commit(), before close()").isFalse();
                        connection.setAutoCommit(true);
                    }
                }),
                Arguments.of("repository (Jdbi, one statement)", (Write) id -> new JdbcUserDirectory(database).add(new User("user" + id,
                        "User " + id, Set.of(Role.INTAKE), Passwords.hash("a long password!".toCharArray()), Instant.now(), null))),
                Arguments.of("decision log (group commit writer)", (Write) id -> {
                    try (JdbcDeterminationLog log = new JdbcDeterminationLog(database)) {
                        log.append(DeterminationLogTest.record("DURABLE-" + id, Instant.now()));
                    }
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void nothingIsUnsavedOnceAWriteReturns(String how, Write write) throws Exception {
        int id = how.hashCode() & 0xffff;
        write.run(id);
        assertThat(durable.hasUnsavedChanges()).as(how).isFalse();
    }

    @Test
    void readsDoNotWrite() throws Exception {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT COUNT(*) FROM scratch").close();
        }
        assertThat(durable.hasUnsavedChanges()).isFalse();
    }
}
