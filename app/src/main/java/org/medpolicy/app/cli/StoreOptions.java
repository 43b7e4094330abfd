package org.medpolicy.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.medpolicy.security.SigningKey;
import org.medpolicy.store.Database;
import picocli.CommandLine.Option;

/**
 * Where the server's state lives, shared by {@code serve}, {@code clients} and {@code token} so
 * that they always agree: the database ({@code --db}, credentials from the environment) and the key
 * that signs access tokens ({@code MEDPOLICY_SIGNING_KEY}, else {@code --signing-key-file}).
 * Secrets come from files or the environment, never from the command line or the repository.
 */
final class StoreOptions {

    static final String H2_FILE = "jdbc:h2:file:";
    static final String DEFAULT_DB = H2_FILE + "./data/medpolicy";

    @Option(names = "--db", defaultValue = DEFAULT_DB,
            description = {"Database URL (default: ${DEFAULT-VALUE}).",
                    "jdbc:postgresql://HOST:PORT/DB takes its user and password from MEDPOLICY_DB_USER and MEDPOLICY_DB_PASSWORD."})
    String database;

    @Option(names = "--signing-key-file", defaultValue = "./data/signing-key.jwk",
            description = {"File with the private JWK (EC P-384) that signs access tokens; created by serve when missing.",
                    "MEDPOLICY_SIGNING_KEY (the JWK itself) takes precedence."})
    Path signingKeyFile;

    @Option(names = "--phi-key-file", defaultValue = "./data/phi.key",
            description = {"File with the 32-byte AES keys (base64, one a line) that seal PHI at rest; created by serve when missing.",
                    "The first key seals, every key opens ('medpolicy phi-key rotate' puts a new one first).",
                    "Keep it outside the database, and back it up: without it sealed names and free text cannot be read.",
                    "MEDPOLICY_PHI_KEY (the base64 keys themselves) takes precedence."})
    Path phiKeyFile;

    Database open() throws IOException {
        Invocation invocation = Invocation.current();
        if (database.startsWith(H2_FILE + "./data/")) {
            // The default data folder is medpolicy's own: the database, its lock file and the keys, owner-only.
            Path data = invocation.resolve(Path.of("data"));
            Files.createDirectories(data);
            try {
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException | IOException notOurs) {
                // Not a POSIX file system, or a folder someone else owns: its files are still made owner-only.
            }
        }
        Database opened = Database.open(invocation.absoluteUrl(database), invocation.env("MEDPOLICY_DB_USER"), invocation.env("MEDPOLICY_DB_PASSWORD"));
        if (opened.recovery() != null) {
            // Whichever command opens a killed server's database first recovers it: say so, for the operator.
            System.err.println("medpolicy: the embedded database was " + opened.recovery());
        }
        return opened;
    }

    /** The embedded file database {@code url} names, read from {@code invocation}'s folder; null for any other database. */
    static Path embeddedBase(String url, Invocation invocation) {
        return Database.embeddedFile(invocation.absoluteUrl(url));
    }

    boolean isEmbedded() {
        return database.startsWith("jdbc:h2:");
    }

    /** The signing key, created (and written, readable by the owner only) when {@code create} and missing. */
    SigningKey signingKey(boolean create) throws IOException {
        String fromEnvironment = Invocation.current().env("MEDPOLICY_SIGNING_KEY");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return SigningKey.parse(fromEnvironment);
        }
        if (Files.exists(signingKeyFile)) {
            return SigningKey.parse(Files.readString(signingKeyFile));
        }
        if (!create) {
            throw new IOException("there is no signing key at " + signingKeyFile
                    + ": start the server once (it creates one) or set MEDPOLICY_SIGNING_KEY");
        }
        SigningKey key = SigningKey.generate();
        writeSecret(signingKeyFile, key.toPrivateJson());
        return key;
    }

    /**
     * The seal of the stored PHI, with the keys from MEDPOLICY_PHI_KEY or {@code --phi-key-file} (one
     * base64 key a line: the first seals, every one opens). Made (and written, owner-only) when
     * missing only if {@code create}; otherwise keyless ({@link org.medpolicy.core.log.PhiSeal#keyless}):
     * a reader without the key must not invent one, since records sealed with the real one would then
     * never open.
     */
    org.medpolicy.core.log.PhiSeal phiSeal(boolean create) throws IOException {
        return phiSeal(phiKeyFile, create);
    }

    /** As {@link #phiSeal(boolean)}, for commands that name the key file themselves. */
    static org.medpolicy.core.log.PhiSeal phiSeal(Path phiKeyFile, boolean create) throws IOException {
        String fromEnvironment = Invocation.current().env("MEDPOLICY_PHI_KEY");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return phiRing(fromEnvironment, "MEDPOLICY_PHI_KEY");
        }
        if (Files.exists(phiKeyFile)) {
            return phiRing(Files.readString(phiKeyFile), phiKeyFile.toString());
        }
        if (!create) {
            return org.medpolicy.core.log.PhiSeal.keyless("there is no PHI key at " + phiKeyFile
                    + ": sealed names and free text need the key serve made (or set MEDPOLICY_PHI_KEY)");
        }
        byte[] key = newPhiKey();
        writeSecret(phiKeyFile, java.util.Base64.getEncoder().encodeToString(key));
        return new org.medpolicy.core.log.PhiSeal(key);
    }

    /** A fresh AES-256 key from the platform's CSPRNG. */
    static byte[] newPhiKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /** The keys of {@code text}, base64, one a line (or separated by spaces or commas; {@code #} starts a comment): the first seals. */
    static List<byte[]> phiKeys(String text, String where) throws IOException {
        List<byte[]> keys = new java.util.ArrayList<>();
        for (String line : text.split("\\R")) {
            String content = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            for (String token : content.split("[\\s,]+")) {
                if (token.isEmpty()) {
                    continue;
                }
                try {
                    keys.add(java.util.Base64.getDecoder().decode(token));
                } catch (IllegalArgumentException e) {
                    throw new IOException("a PHI key in " + where + " is not base64", e);
                }
            }
        }
        if (keys.isEmpty()) {
            throw new IOException(where + " holds no PHI key");
        }
        return keys;
    }

    private static org.medpolicy.core.log.PhiSeal phiRing(String text, String where) throws IOException {
        List<byte[]> keys = phiKeys(text, where);
        try {
            return new org.medpolicy.core.log.PhiSeal(keys.get(0), keys.subList(1, keys.size()));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    /** The decision log of {@code database}, its PHI sealed with {@link #phiSeal}. */
    org.medpolicy.core.log.DeterminationLog decisionLog(Database database, boolean create) throws IOException {
        return new org.medpolicy.core.log.SealedDeterminationLog(new org.medpolicy.store.JdbcDeterminationLog(database), phiSeal(create));
    }

    /** Writes {@code content} to a file only its owner may read. */
    static void writeSecret(Path file, String content) throws IOException {
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, "");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Not a POSIX file system: the file keeps the default permissions of its folder.
        }
        Files.writeString(file, content + "\n");
    }
}
