package org.medpolicy.app.http;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the certification kits' own fixtures and the published IG packages are: the {@code
 * shared/interop} folder the project is developed beside (third-party data, kept as published,
 * not copied into this repository). Found, in order, at {@code -Dmedpolicy.interop=PATH}, at
 * {@code MEDPOLICY_INTEROP} (an absolute path: a relative one is taken from the test JVM's folder,
 * {@code app/}), or as {@code shared/interop} beside the checkout or beside any folder above it.
 * When it is nowhere, the conformance tests fail and say so: skipping them would let a build pass
 * that never validated a response against a published profile.
 */
final class SharedInterop {

    /** The folder holding {@code crd/}, {@code pas/}, {@code dtr/} and {@code igs/}. */
    static final Path FOLDER = locate();

    private SharedInterop() {
    }

    private static Path locate() {
        String stated = System.getProperty("medpolicy.interop", "");
        if (stated.isBlank()) {
            stated = System.getenv("MEDPOLICY_INTEROP");
        }
        if (stated != null && !stated.isBlank()) {
            Path folder = Path.of(stated);
            if (!isInterop(folder)) {
                throw new IllegalStateException("medpolicy.interop / MEDPOLICY_INTEROP names " + folder.toAbsolutePath()
                        + ", which has no igs/ folder: it must be the shared interop folder (crd/, pas/, dtr/, igs/)");
            }
            return folder;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("interop");
            if (isInterop(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the conformance tests validate against the certification kits' fixtures and the"
                + " published IG packages in shared/interop, which is not beside this checkout (looked above " + start
                + "): clone beside the shared folder, or run with -Dmedpolicy.interop=PATH or MEDPOLICY_INTEROP=PATH");
    }

    /** Whether {@code folder} looks like the shared interop folder: it holds the IG packages. */
    private static boolean isInterop(Path folder) {
        return Files.isDirectory(folder.resolve("igs"));
    }
}
