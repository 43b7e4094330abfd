package org.medpolicy.app.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What a command runs with: the folder relative paths are read from, the environment, and its
 * input. For a command typed in a terminal that is this process's own. For one that a running
 * server runs for its CLI ({@link CommandSocket}) it is the CLI's, so that {@code ./data/…},
 * {@code --jwks-file key.json} and {@code MEDPOLICY_SIGNING_KEY} mean what they meant where the
 * command was typed, not in the server's folder. Commands ask here instead of {@code System}.
 *
 * <p>Immutable; the current one is per thread.
 */
record Invocation(Path folder, Map<String, String> environment, byte[] input) {

    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    Invocation {
        environment = Map.copyOf(environment);
    }

    /** This process's: its working folder (as the empty path, so that relative paths stay as typed), its environment and its stdin. */
    static Invocation here() {
        return new Invocation(Path.of(""), System.getenv(), null);
    }

    /** The invocation of the command running on this thread. */
    static Invocation current() {
        Invocation current = CURRENT.get();
        return current == null ? here() : current;
    }

    /** Runs {@code work} as {@code invocation}. */
    static <T> T runAs(Invocation invocation, Callable<T> work) throws Exception {
        Invocation before = CURRENT.get();
        CURRENT.set(invocation);
        try {
            return work.call();
        } finally {
            CURRENT.set(before);
        }
    }

    /** {@code path} read from this invocation's folder. */
    Path resolve(Path path) {
        return folder.resolve(path);
    }

    /** An environment variable, or null. */
    String env(String name) {
        return environment.get(name);
    }

    /** The command's input: the bytes the CLI sent, else this process's stdin. */
    InputStream stdin() {
        return input == null ? System.in : new ByteArrayInputStream(input);
    }

    /** A JDBC URL with an embedded file's relative path read from this invocation's folder. */
    String absoluteUrl(String url) {
        if (!url.startsWith(StoreOptions.H2_FILE)) {
            return url;
        }
        String rest = url.substring(StoreOptions.H2_FILE.length());
        int options = rest.indexOf(';');
        String path = options < 0 ? rest : rest.substring(0, options);
        if (path.startsWith("~") || Path.of(path).isAbsolute()) {
            return url;
        }
        return StoreOptions.H2_FILE + resolve(Path.of(path)) + (options < 0 ? "" : rest.substring(options));
    }
}
