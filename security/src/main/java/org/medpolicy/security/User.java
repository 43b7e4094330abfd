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
    /** The longest display name or credentials: what the users table keeps. */
    private static final int MAX_TEXT = 200;

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
        if (displayName.length() > MAX_TEXT) {
            throw new IllegalArgumentException("a display name is at most " + MAX_TEXT + " characters");
        }
        credentials = credentials == null || credentials.isBlank() ? null : credentials.strip();
        if (credentials != null && credentials.length() > MAX_TEXT) {
            throw new IllegalArgumentException("credentials are at most " + MAX_TEXT + " characters");
        }
    }

    /**
     * The username {@code typed} names: usernames are lower case, and a sign-in form's surrounding
     * space is not part of one. Every place that looks a user up by what someone typed (signing
     * in, counting failed sign-ins) must go through this, or "Ines" and "ines " count apart.
     */
    public static String canonicalName(String typed) {
        return typed == null ? "" : typed.strip().toLowerCase(java.util.Locale.ROOT);
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
