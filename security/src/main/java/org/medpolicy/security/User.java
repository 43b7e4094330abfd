package org.medpolicy.security;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.medpolicy.core.cases.Actor;
import org.medpolicy.core.cases.Role;

/**
 * A workbench user: a person with roles, signing in with a password (stored only as a PBKDF2
 * hash). {@code credentials} ("MD, hematology and oncology") are printed with a physician's name on
 * the notices they sign; null when none are recorded. Immutable.
 */
public record User(String username, String displayName, Set<Role> roles, String passwordHash, Instant createdAt, Instant disabledAt,
                   String credentials) {

    public User(String username, String displayName, Set<Role> roles, String passwordHash, Instant createdAt, Instant disabledAt) {
        this(username, displayName, roles, passwordHash, createdAt, disabledAt, null);
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public User {
        Objects.requireNonNull(username, "username");
        if (!NAME.matcher(username).matches()) {
            throw new IllegalArgumentException("a username is 1-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("a user needs at least one role (INTAKE, REVIEWER, PHYSICIAN, ADMIN)");
        }
        roles = Set.copyOf(roles);
        displayName = displayName == null || displayName.isBlank() ? username : displayName.strip();
        credentials = credentials == null || credentials.isBlank() ? null : credentials.strip();
        if (credentials != null && credentials.length() > 200) {
            throw new IllegalArgumentException("credentials are at most 200 characters");
        }
    }

    /** How a notice names the user: "Dr. Paula Quinn, MD, hematology" (the display name and the credentials). */
    public String signature() {
        return credentials == null ? displayName : displayName + ", " + credentials;
    }

    public boolean isDisabled() {
        return disabledAt != null;
    }

    /** The user as the case rules see them. */
    public Actor actor() {
        return new Actor(username, roles);
    }
}
