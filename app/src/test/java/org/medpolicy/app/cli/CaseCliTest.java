package org.medpolicy.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medpolicy.security.Passwords;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcUserDirectory;

/** {@code medpolicy users} (how the first administrator is made) and {@code medpolicy report prior-authorization}. */
class CaseCliTest {

    @TempDir
    Path folder;

    CliTest.Run run(String... args) {
        String[] withDb = java.util.Arrays.copyOf(args, args.length + 2);
        withDb[args.length] = "--db";
        withDb[args.length + 1] = "jdbc:h2:file:" + folder.resolve("db").toAbsolutePath();
        return CliTest.run(withDb);
    }

    @Test
    void theFirstAdministrator() throws Exception {
        Path password = folder.resolve("password.txt");
        Files.writeString(password, "a long admin password\n");
        CliTest.Run added = run("users", "add", "--username", "ada", "--name", "Ada Admin", "--role", "ADMIN,REVIEWER",
                "--password-file", password.toString());
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(run("users", "list").out()).contains("ada").contains("active").contains("ADMIN").contains("REVIEWER");
        try (Database database = Database.open("jdbc:h2:file:" + folder.resolve("db").toAbsolutePath(), null, null)) {
            String hash = new JdbcUserDirectory(database).find("ada").orElseThrow().passwordHash();
            assertThat(hash).doesNotContain("a long admin password");
            assertThat(Passwords.matches("a long admin password".toCharArray(), hash)).isTrue();
            assertThat(Passwords.matches("a long admin passworD".toCharArray(), hash)).isFalse();
        }
        assertThat(run("users", "add", "--username", "ada", "--role", "INTAKE", "--password-file", password.toString()).exit())
                .as("taken").isEqualTo(2);
        Files.writeString(password, "short\n");
        CliTest.Run weak = run("users", "add", "--username", "bob", "--role", "INTAKE", "--password-file", password.toString());
        assertThat(weak.exit()).isEqualTo(2);
        assertThat(weak.err()).contains("at least 12 characters");
        assertThat(run("users", "add", "--username", "bob", "--role", "OWNER", "--password-file", password.toString()).exit()).isEqualTo(2);
        assertThat(run("users", "disable", "--username", "ada").exit()).isZero();
        assertThat(run("users", "list").out()).contains("disabled");
        assertThat(run("users", "disable", "--username", "ada").exit()).isEqualTo(2);
    }

    @Test
    void theReportOfAYearWithoutCases() throws Exception {
        CliTest.Run report = run("report", "prior-authorization", "--year", "2026");
        assertThat(report.exit()).as(report.err()).isZero();
        var json = new ObjectMapper().readTree(report.out());
        assertThat(json.get("year").asInt()).isEqualTo(2026);
        assertThat(json.at("/standard/decided").asInt()).isZero();
        assertThat(json.at("/expedited/decided").asInt()).isZero();
    }
}
