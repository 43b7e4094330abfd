package org.medpolicy.security;

import java.time.Instant;

/** A signed-in user's session: the user, the CSRF token its forms must carry, and when it ends. Immutable. */
public record Session(User user, String csrfToken, Instant expiresAt) {
}
