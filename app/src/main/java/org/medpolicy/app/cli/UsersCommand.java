package org.medpolicy.app.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.Passwords;
import org.medpolicy.security.User;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcUserDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy users add|list|disable}: workbench users, in the server's database. How the first
 * administrator comes to exist; later ones can also be added by an ADMIN over the API. The password
 * is read from a file or standard input, never from the command line (where {@code ps} would show it).
 */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Add, list and disable workbench users.",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Disable.class})
final class UsersCommand extends CommandGroup {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add a user. The password (at least 12 characters) comes from --password-file, else the first line of stdin.",
                    "Example: ./medpolicy users add --username ada --role ADMIN < admin-password.txt"})
    static final class Add implements Callable<Integer>, StoreTarget.ReadsInput {
        @Option(names = "--username", required = true, description = "Lower-case letters, digits, '.', '_' or '-'.")
        String username;
        @Option(names = "--name", description = "The name shown in the workbench and on notices.")
        String displayName;
        @Option(names = "--credentials", description = "Printed after a physician's name on the notices they sign, e.g. \"MD, hematology and oncology\".")
        String credentials;
        @Option(names = "--role", required = true, split = ",", description = "INTAKE, REVIEWER, PHYSICIAN, ADMIN (repeatable, or comma-separated).")
        Set<Role> roles = EnumSet.noneOf(Role.class);
        @Option(names = "--password-file", description = "File whose first line is the password.")
        Path passwordFile;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public boolean readsInput() {
            return passwordFile == null;
        }

        @Override
        public Integer call() throws Exception {
            var err = spec.commandLine().getErr();
            String password = passwordFile != null ? Files.readString(passwordFile).lines().findFirst().orElse("")
                    : new BufferedReader(new InputStreamReader(Invocation.current().stdin(), StandardCharsets.UTF_8)).readLine();
            User user;
            try {
                user = new User(username, displayName, roles, Passwords.hash((password == null ? "" : password).toCharArray()),
                        Instant.now(), null, credentials);
            } catch (IllegalArgumentException e) {
                err.println("medpolicy users add: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            try (Database database = store.open()) {
                new JdbcUserDirectory(database).add(user);
            } catch (IllegalArgumentException e) {
                err.println("medpolicy users add: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            spec.commandLine().getOut().println("added user '" + user.username() + "' with roles " + user.roles());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users and their roles.")
    static final class ListUsers implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            try (Database database = store.open()) {
                out.printf("%-24s %-9s %s%n", "USERNAME", "STATUS", "ROLES");
                for (User user : new JdbcUserDirectory(database).list()) {
                    out.printf("%-24s %-9s %s%n", user.username(), user.isDisabled() ? "disabled" : "active", user.roles());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a user and end their sessions.")
    static final class Disable implements Callable<Integer> {
        @Option(names = "--username", required = true)
        String username;
        @Mixin
        StoreOptions store;
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (Database database = store.open()) {
                if (!new JdbcUserDirectory(database).disable(username, Instant.now())) {
                    spec.commandLine().getErr().println("medpolicy users disable: no active user '" + username + "'");
                    return ExitCodes.BAD_INPUT;
                }
            }
            spec.commandLine().getOut().println("disabled user '" + username + "'");
            return ExitCodes.OK;
        }
    }
}
