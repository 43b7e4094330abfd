package org.medpolicy.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing with PBKDF2-HMAC-SHA256 (the JDK's, no extra dependency), a random 16-byte salt
 * and 310,000 iterations (OWASP's figure for this algorithm). The stored form names the algorithm
 * and iteration count, so the count can rise later without invalidating old hashes. Comparison is
 * constant-time. Stateless and thread-safe.
 */
public final class Passwords {

    static final int ITERATIONS = 310_000;
    private static final int MIN_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    /** @throws IllegalArgumentException when the password is too short to be a password */
    public static String hash(char[] password) {
        if (password.length < MIN_LENGTH) {
            throw new IllegalArgumentException("a password has at least " + MIN_LENGTH + " characters");
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** True when {@code password} matches {@code stored}. Takes the full hashing time whether or not it matches. */
    public static boolean matches(char[] password, String stored) {
        String[] parts = stored == null ? new String[0] : stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            derive(password, new byte[16], ITERATIONS);
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /** A hash of nothing anyone can type: checking against it costs what a real check costs (no timing hint that a user exists). */
    public static String unusable() {
        return "pbkdf2-sha256$" + ITERATIONS + "$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17", e);
        }
    }
}
