package org.medpolicy.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.medpolicy.core.cases.Role;
import org.medpolicy.security.SessionStore;
import org.medpolicy.security.User;
import org.medpolicy.security.UserDirectory;

/** Workbench users in {@code app_user} and their sessions in {@code user_session}. Thread-safe. */
public final class JdbcUserDirectory implements UserDirectory, SessionStore {

    private final Jdbi jdbi;

    public JdbcUserDirectory(Database database) {
        this.jdbi = Jdbi.create(database.dataSource());
    }

    @Override
    public void add(User user) {
        if (find(user.username()).isPresent()) {
            throw new IllegalArgumentException("a user named '" + user.username() + "' exists");
        }
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO app_user (username, display_name, password_hash, roles, created_at, credentials) "
                        + "VALUES (:username, :displayName, :hash, :roles, :createdAt, :credentials)")
                .bind("username", user.username()).bind("displayName", user.displayName()).bind("hash", user.passwordHash())
                .bind("credentials", user.credentials())
                .bind("roles", user.roles().stream().map(Role::name).sorted().collect(Collectors.joining(",")))
                .bind("createdAt", user.createdAt().atOffset(ZoneOffset.UTC)).execute());
    }

    @Override
    public Optional<User> find(String username) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT username, display_name, password_hash, roles, created_at, disabled_at, credentials FROM app_user WHERE username = :u")
                .bind("u", username).map((row, context) -> user(row)).findOne());
    }

    @Override
    public List<User> list() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT username, display_name, password_hash, roles, created_at, disabled_at, credentials FROM app_user ORDER BY username")
                .map((row, context) -> user(row)).list());
    }

    @Override
    public boolean disable(String username, Instant at) {
        return jdbi.inTransaction(handle -> {
            int rows = handle.createUpdate("UPDATE app_user SET disabled_at = :at WHERE username = :u AND disabled_at IS NULL")
                    .bind("at", at.atOffset(ZoneOffset.UTC)).bind("u", username).execute();
            handle.createUpdate("DELETE FROM user_session WHERE username = :u").bind("u", username).execute();
            return rows == 1;
        });
    }

    @Override
    public void saveSession(String tokenHash, String username, String csrfToken, Instant createdAt, Instant expiresAt) {
        jdbi.useHandle(handle -> {
            handle.createUpdate("DELETE FROM user_session WHERE expires_at < :now").bind("now", createdAt.atOffset(ZoneOffset.UTC)).execute();
            handle.createUpdate("INSERT INTO user_session (token_hash, username, csrf_token, created_at, expires_at) "
                            + "VALUES (:hash, :u, :csrf, :created, :expires)")
                    .bind("hash", tokenHash).bind("u", username).bind("csrf", csrfToken)
                    .bind("created", createdAt.atOffset(ZoneOffset.UTC)).bind("expires", expiresAt.atOffset(ZoneOffset.UTC)).execute();
        });
    }

    @Override
    public Optional<StoredSession> findSession(String tokenHash) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT username, csrf_token, expires_at FROM user_session WHERE token_hash = :h")
                .bind("h", tokenHash)
                .map((row, context) -> new StoredSession(row.getString("username"), row.getString("csrf_token"),
                        row.getObject("expires_at", OffsetDateTime.class).toInstant()))
                .findOne());
    }

    @Override
    public void deleteSession(String tokenHash) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM user_session WHERE token_hash = :h").bind("h", tokenHash).execute());
    }

    private static User user(java.sql.ResultSet row) throws java.sql.SQLException {
        OffsetDateTime disabled = row.getObject("disabled_at", OffsetDateTime.class);
        return new User(row.getString("username"), row.getString("display_name"),
                Arrays.stream(row.getString("roles").split(",")).map(Role::valueOf).collect(Collectors.toSet()),
                row.getString("password_hash"), row.getObject("created_at", OffsetDateTime.class).toInstant(),
                disabled == null ? null : disabled.toInstant(), row.getString("credentials"));
    }
}
