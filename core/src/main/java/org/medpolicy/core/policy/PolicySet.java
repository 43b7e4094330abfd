package org.medpolicy.core.policy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * One version of all the policy data a server decides from: every file of a policies folder (the
 * policy versions, their source documents, the reference data), by path, and an id that is the
 * SHA-256 of exactly those files. The same files always have the same id, so a determination that
 * names its set's id can be decided again, years later, with exactly the data it was decided under
 * (sets are kept, never overwritten), and two servers that show the same id decide alike.
 *
 * <p>Immutable (the file contents are copied in and out).
 */
public final class PolicySet {

    /** The most a set may hold: a policies folder is a few hundred kilobytes. */
    static final long MAX_BYTES = 64L << 20;

    private final String id;
    private final SortedMap<String, byte[]> files;

    private PolicySet(SortedMap<String, byte[]> files) {
        this.files = files;
        this.id = digest(files);
    }

    /** Every regular file under {@code root} (dot files left out). */
    public static PolicySet read(Path root) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (name.startsWith(".") || name.contains("/.")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(file);
                total += bytes.length;
                if (total > MAX_BYTES) {
                    throw new PolicyLoadException(java.util.List.of(new PolicyProblem(root.toString(), "", "holds more than "
                            + (MAX_BYTES >> 20) + " MiB: not a folder of policies")));
                }
                files.put(name, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the policies at " + root, e);
        }
        return new PolicySet(files);
    }

    /** The set packaged with this build. */
    public static PolicySet bundled() {
        return PolicyLoader.withBundled(PolicySet::read);
    }

    /** A set from {@link #zip()}'s bytes. */
    public static PolicySet unzip(byte[] zip) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                    throw new IllegalArgumentException("a policy set names an unsafe path: " + name);
                }
                files.put(name, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a stored policy set cannot be read", e);
        }
        return new PolicySet(files);
    }

    /** {@code sha256-} and the hex digest of the files. */
    public String id() {
        return id;
    }

    /** The first 12 hex digits of the digest: what people read and say. */
    public String shortId() {
        return id.substring("sha256-".length(), "sha256-".length() + 12);
    }

    public Map<String, byte[]> files() {
        Map<String, byte[]> copy = new TreeMap<>();
        files.forEach((name, bytes) -> copy.put(name, bytes.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** The files as a zip (entries in path order, fixed times, so the same set zips to the same bytes). */
    public byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTime(0);
                out.putNextEntry(entry);
                out.write(file.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Loads and checks the set as {@link PolicyLoader#load} does a folder.
     *
     * @throws PolicyLoadException listing every problem
     */
    public PolicyLibrary load() {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("medpolicy-policy-set");
            for (var file : files.entrySet()) {
                Path target = folder.resolve(file.getKey()).normalize();
                if (!target.startsWith(folder)) {
                    throw new IllegalArgumentException("a policy set names an unsafe path: " + file.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            return PolicyLoader.load(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack a policy set", e);
        } finally {
            if (folder != null) {
                delete(folder);
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** SHA-256 over each file's path, length and bytes, in path order: no two different sets collide by framing. */
    private static String digest(SortedMap<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (var file : files.entrySet()) {
                byte[] name = file.getKey().getBytes(StandardCharsets.UTF_8);
                sha.update((name.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(name);
                sha.update((":" + file.getValue().length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(file.getValue());
            }
            return "sha256-" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PolicySet set && set.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "PolicySet[" + id + ", " + files.size() + " files]";
    }
}
