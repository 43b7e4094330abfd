package org.medpolicy.screen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.PolicyReference;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;

/**
 * Screens a stream of claim lines: the calling thread reads lines into chunks, a pool of workers
 * (one per core) decodes and decides each chunk, and a writer thread writes the chunks' results in
 * input order.
 *
 * <p>Why built this way: the decision itself takes well under a microsecond, so the cost is in
 * reading, checking and writing text, which parallelizes by chunk. Order is kept by queueing each
 * chunk's future in input order and writing them in that order; the queue is bounded, so at most
 * {@code 2 × threads} chunks are in memory whatever the input size (flat memory: a 5 GB file screens
 * in a small heap). A bad line becomes a reject and never stops the run.
 *
 * <p>Immutable; each {@link #screen} call has its own threads.
 */
public final class Screener {

    /** How to screen: formats, parallelism, chunk size. */
    public record Options(InputFormat inputFormat, InputFormat outputFormat, int threads, int chunkLines) {
        public Options {
            threads = Math.max(1, threads);
            chunkLines = Math.max(1, chunkLines);
        }

        public static Options of(InputFormat input, InputFormat output) {
            return new Options(input, output, Runtime.getRuntime().availableProcessors(), 2_048);
        }
    }

    /** Told of progress now and then, from the reading thread. */
    public interface Progress {
        void update(long inputLines, Duration elapsed);

        static Progress none() {
            return (lines, elapsed) -> { };
        }
    }

    /** The input cannot be screened at all (no header, missing columns); nothing was written. */
    public static final class InputException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InputException(String message) {
            super(message, null, false, false);
        }
    }

    private final CoverageEngine engine;
    private final RequestReader reader;
    private final Options options;

    public Screener(CoverageEngine engine, Options options) {
        this.engine = engine;
        this.reader = new RequestReader(engine.vocabulary());
        this.options = options;
    }

    /** One chunk's output: results text, rejects text, and its counts. */
    private record Chunk(StringBuilder results, StringBuilder rejects, long inputLines, long resultCount, long rejectCount,
                         Map<String, Long> byOutcome, Map<String, Long> byGovernedBy) {
    }

    private static final Future<Chunk> END = CompletableFuture.completedFuture(null);

    /**
     * Screens {@code in} (UTF-8 text, already decompressed) to {@code results}, rejects to
     * {@code rejects}. Returns when everything is written (not flushed or closed: the caller owns the writers).
     */
    public ScreenSummary screen(InputStream in, Writer results, Writer rejects, Progress progress) throws IOException {
        long started = System.nanoTime();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        long lineNumber = 0;
        LineDecoder decoder;
        if (options.inputFormat() == InputFormat.CSV) {
            String header = lines.readLine();
            lineNumber++;
            if (header == null) {
                throw new InputException("the input is empty: a CSV input starts with a header line");
            }
            try {
                decoder = LineDecoder.csv(reader, header);
            } catch (IllegalArgumentException e) {
                throw new InputException(e.getMessage());
            }
        } else {
            decoder = LineDecoder.ndjson(reader);
        }
        if (options.outputFormat() == InputFormat.CSV) {
            results.write(Results.CSV_HEADER);
            results.write('\n');
        }

        ExecutorService workers = Executors.newFixedThreadPool(options.threads(), runnable -> {
            Thread thread = new Thread(runnable, "medpolicy-screen-worker");
            thread.setDaemon(true);
            return thread;
        });
        BlockingQueue<Future<Chunk>> pending = new ArrayBlockingQueue<>(options.threads() * 2);
        Totals totals = new Totals();
        Thread writer = new Thread(() -> write(pending, results, rejects, totals), "medpolicy-screen-writer");
        writer.setDaemon(true);
        writer.start();
        long lastProgress = System.nanoTime();
        try {
            List<String> texts = new ArrayList<>(options.chunkLines());
            long firstLine = lineNumber + 1;
            for (String text = lines.readLine(); text != null && totals.failure == null; text = lines.readLine()) {
                lineNumber++;
                texts.add(text);
                if (texts.size() == options.chunkLines()) {
                    submit(workers, pending, decoder, texts, firstLine);
                    texts = new ArrayList<>(options.chunkLines());
                    firstLine = lineNumber + 1;
                    long now = System.nanoTime();
                    if (now - lastProgress > 200_000_000L) {
                        progress.update(lineNumber, Duration.ofNanos(now - started));
                        lastProgress = now;
                    }
                }
            }
            if (!texts.isEmpty()) {
                submit(workers, pending, decoder, texts, firstLine);
            }
            pending.put(END);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            workers.shutdownNow();
            if (writer.isAlive()) {
                // Reading failed before the end marker was queued: stop the writer rather than leave it waiting.
                writer.interrupt();
            }
        }
        if (totals.failure != null) {
            if (totals.failure instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("screening failed", totals.failure);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        progress.update(lineNumber, elapsed);
        return new ScreenSummary(totals.inputLines, totals.results, totals.rejected, totals.byOutcome, totals.byGovernedBy, elapsed);
    }

    private void submit(ExecutorService workers, BlockingQueue<Future<Chunk>> pending, LineDecoder decoder, List<String> texts,
                        long firstLine) throws InterruptedException {
        pending.put(workers.submit(() -> decide(decoder, texts, firstLine)));
    }

    private Chunk decide(LineDecoder decoder, List<String> texts, long firstLine) {
        StringBuilder results = new StringBuilder(texts.size() * 256);
        StringBuilder rejects = new StringBuilder();
        Map<String, Long> byOutcome = new HashMap<>();
        Map<String, Long> byGovernedBy = new HashMap<>();
        Map<PolicyReference, String> versions = new IdentityHashMap<>();
        long resultCount = 0;
        long rejectCount = 0;
        long inputLines = 0;
        int mark;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            long line = firstLine + i;
            if (text.isBlank()) {
                continue;
            }
            inputLines++;
            LineDecoder.Decoded decoded = decoder.decode(text, line);
            if (decoded instanceof LineDecoder.Reject reject) {
                rejects.append(Results.reject(reject.rejected()));
                rejectCount++;
                continue;
            }
            mark = results.length();
            long added = 0;
            try {
                for (ClaimLine claimLine : ((LineDecoder.Lines) decoded).lines()) {
                    var screened = engine.screen(claimLine.lineOfBusiness(), claimLine.dateOfService(), claimLine.item());
                    String version = versions.computeIfAbsent(screened.policy(), policy -> policy.version().toString());
                    Results.append(results, options.outputFormat(), claimLine, screened.item(), version);
                    byOutcome.merge(screened.item().outcome().name(), 1L, Long::sum);
                    for (GovernedBy governing : screened.item().governedBy()) {
                        byGovernedBy.merge(governing.id(), 1L, Long::sum);
                    }
                    if (screened.item().governedBy().isEmpty()) {
                        byGovernedBy.merge("(not addressed)", 1L, Long::sum);
                    }
                    added++;
                }
                resultCount += added;
            } catch (ProblemException undecidable) {
                results.setLength(mark);
                rejects.append(Results.reject(new Rejected(line, text, undecidable.errors())));
                rejectCount++;
            }
        }
        return new Chunk(results, rejects, inputLines, resultCount, rejectCount, byOutcome, byGovernedBy);
    }

    /** Totals kept by the writer thread; read by the caller after joining it. */
    private static final class Totals {
        long inputLines;
        long results;
        long rejected;
        final Map<String, Long> byOutcome = new HashMap<>();
        final Map<String, Long> byGovernedBy = new HashMap<>();
        volatile Throwable failure;
    }

    private static void write(BlockingQueue<Future<Chunk>> pending, Writer results, Writer rejects, Totals totals) {
        try {
            for (Future<Chunk> next = pending.take(); next != END; next = pending.take()) {
                if (totals.failure != null) {
                    continue;
                }
                Chunk chunk = next.get();
                results.append(chunk.results());
                if (chunk.rejects().length() > 0) {
                    rejects.append(chunk.rejects());
                }
                totals.inputLines += chunk.inputLines();
                totals.results += chunk.resultCount();
                totals.rejected += chunk.rejectCount();
                chunk.byOutcome().forEach((key, count) -> totals.byOutcome.merge(key, count, Long::sum));
                chunk.byGovernedBy().forEach((key, count) -> totals.byGovernedBy.merge(key, count, Long::sum));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            totals.failure = e;
        } catch (ExecutionException e) {
            totals.failure = e.getCause();
        } catch (IOException | RuntimeException e) {
            totals.failure = e;
        }
    }
}
