package org.medpolicy.screen;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.medpolicy.core.engine.CoverageEngine;

/**
 * A screen of files: {@code -} is standard input or output; {@code .gz} (or gzip content) is read
 * compressed, and an output named {@code .gz} is written compressed. Output and rejects are written
 * under temporary names beside their targets and renamed into place only when the whole screen has
 * succeeded: an interrupted run (Ctrl-C, kill, a failure) leaves no truncated file under the final
 * name. The rejects file exists only when something was rejected. Immutable.
 */
public final class ScreenJob {

    /** Where a screen reads and writes. {@code rejects} null means {@code OUTPUT.rejects} (or {@code screen.rejects} for stdout). */
    public record Files(String input, String output, String rejects) {
    }

    /** Progress with what is known about the input size. */
    public interface Progress {
        void update(long lines, long bytesRead, long totalBytes, java.time.Duration elapsed);
    }

    private final CoverageEngine engine;

    public ScreenJob(CoverageEngine engine) {
        this.engine = engine;
    }

    /** The rejects path a run would use. */
    public static Path rejectsPath(Files files) {
        if (files.rejects() != null) {
            return Path.of(files.rejects());
        }
        return "-".equals(files.output()) ? Path.of("screen.rejects") : Path.of(files.output() + ".rejects");
    }

    public ScreenSummary run(Files files, InputFormat inputFormat, InputFormat outputFormat, int threads, Progress progress)
            throws IOException {
        InputFormat in = inputFormat != null ? inputFormat : InputFormat.ofName(files.input());
        if (in == null) {
            throw new Screener.InputException("cannot tell the input format of '" + files.input()
                    + "' from its name: give --format csv or --format ndjson");
        }
        InputFormat out = outputFormat != null ? outputFormat : "-".equals(files.output()) ? in
                : java.util.Objects.requireNonNullElse(InputFormat.ofName(files.output()), in);

        long totalBytes = "-".equals(files.input()) ? -1 : java.nio.file.Files.size(Path.of(files.input()));
        AtomicLong bytesRead = new AtomicLong();
        Path rejectsTarget = rejectsPath(files);
        Path outputTarget = "-".equals(files.output()) ? null : Path.of(files.output()).toAbsolutePath();
        Path outputTemporary = outputTarget == null ? null : temporaryBeside(outputTarget);
        Path rejectsTemporary = temporaryBeside(rejectsTarget.toAbsolutePath());
        Thread cleanup = new Thread(() -> deleteQuietly(outputTemporary, rejectsTemporary), "medpolicy-screen-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean succeeded = false;
        ScreenSummary summary;
        try {
            try (InputStream input = open(files.input(), bytesRead);
                 Writer results = writer(outputTarget == null ? nonClosing(System.out) : java.nio.file.Files.newOutputStream(outputTemporary),
                         outputTarget != null && outputTarget.toString().endsWith(".gz"));
                 Writer rejects = writer(java.nio.file.Files.newOutputStream(rejectsTemporary), false)) {
                long started = System.nanoTime();
                Screener screener = new Screener(engine, new Screener.Options(in, out, threads, 2_048));
                summary = screener.screen(input, results, rejects,
                        (lines, elapsed) -> progress.update(lines, bytesRead.get(), totalBytes, elapsed));
                progress.update(summary.inputLines(), bytesRead.get(), totalBytes, java.time.Duration.ofNanos(System.nanoTime() - started));
            }
            // Only now, with every writer closed without error (a gzip trailer included), is the output complete.
            succeeded = true;
            return summary;
        } finally {
            if (succeeded) {
                if (outputTemporary != null) {
                    move(outputTemporary, outputTarget);
                }
                if (java.nio.file.Files.size(rejectsTemporary) > 0) {
                    move(rejectsTemporary, rejectsTarget.toAbsolutePath());
                } else {
                    java.nio.file.Files.deleteIfExists(rejectsTemporary);
                }
            } else {
                deleteQuietly(outputTemporary, rejectsTemporary);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting (Ctrl-C during the run): the hook deletes the temporaries.
            }
        }
    }

    private static Path temporaryBeside(Path target) {
        Path folder = target.getParent() == null ? Path.of(".") : target.getParent();
        return folder.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            java.nio.file.Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            java.nio.file.Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path... paths) {
        for (Path path : paths) {
            if (path == null) {
                continue;
            }
            try {
                java.nio.file.Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // Best effort at exit; a leftover is named .partial and never taken for output.
            }
        }
    }

    private static InputStream open(String input, AtomicLong bytesRead) throws IOException {
        InputStream raw = "-".equals(input) ? System.in : java.nio.file.Files.newInputStream(Path.of(input));
        BufferedInputStream counted = new BufferedInputStream(new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        }, 1 << 16);
        counted.mark(2);
        int first = counted.read();
        int second = counted.read();
        counted.reset();
        boolean gzip = first == 0x1f && second == 0x8b;
        return gzip ? new GZIPInputStream(counted, 1 << 16) : counted;
    }

    private static Writer writer(OutputStream out, boolean gzip) {
        try {
            OutputStream target = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
            return new BufferedWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), 1 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
