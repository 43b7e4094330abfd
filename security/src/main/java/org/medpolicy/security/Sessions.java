package org.medpolicy.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Sign-in and sessions for workbench users. A session token is 32 random bytes, prefixed
 * {@code mps_} so it is never mistaken for a JWT; the database holds only its SHA-256, so reading the
 * table does not let anyone sign in. Sessions last {@link #LIFETIME} and end at sign-out, when the
 * user is disabled, or when they expire. Thread-safe.
 */
public final class Sessions {

    public static final Duration LIFETIME = Duration.ofHours(8);
    public static final String PREFIX = "mps_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserDirectory users;
    private final SessionStore store;
    private final Clock clock;

    public Sessions(UserDirectory users, SessionStore store, Clock clock) {
        this.users = users;
        this.store = store;
        this.clock = clock;
    }

    /** A new session token and the session it opens. */
    public record Started(String token, Session session) {
    }

    /**
     * Checks the password and opens a session.
     *
     * @throws AuthenticationException 401 with one message for every failure (unknown user, wrong
     *         password, disabled), so the answer does not tell which usernames exist
     */
    public Started signIn(String username, char[] password) throws AuthenticationException {
        User user = username == null ? null : users.find(User.canonicalName(username)).orElse(null);
        boolean matches = Passwords.matches(password, user == null ? Passwords.unusable() : user.passwordHash());
        if (user == null || !matches || user.isDisabled()) {
            throw AuthenticationException.invalid("The username or password is not right.");
        }
        String token = PREFIX + random(32);
        String csrf = random(24);
        Instant now = clock.instant();
        store.saveSession(hash(token), user.username(), csrf, now, now.plus(LIFETIME));
        return new Started(token, new Session(user, csrf, now.plus(LIFETIME)));
    }

    /** The live session of {@code token}, or empty when it is unknown, expired, or its user is disabled. */
    public Optional<Session> find(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        var stored = store.findSession(hash(token));
        if (stored.isEmpty() || !stored.get().expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return users.find(stored.get().username()).filter(user -> !user.isDisabled())
                .map(user -> new Session(user, stored.get().csrfToken(), stored.get().expiresAt()));
    }

    public void signOut(String token) {
        if (token != null && token.startsWith(PREFIX)) {
            store.deleteSession(hash(token));
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
