package org.medpolicy.core.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.CoverageEngines;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.LoggedRequest;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestReader;

/**
 * What a candidate set of policy data would change, measured on real requests before it is
 * published: each logged request is decided again by the live data and by the candidate, each at the
 * time it was first decided (a {@link ReplayClock}), and every change of an item's outcome or
 * governing reference, and of the decision clock, is counted by transition
 * ({@code INFO_NEEDED → OUT_OF_SCOPE (medication-policy-manual)}) with example request ids. Claim
 * lines from a screening file are compared the same way, item by item, by the caller through
 * {@link #countItem}.
 *
 * <p>Both engines are compiled once; {@link #replay} is thread-safe and may be called from many
 * threads at once (the counters are concurrent, the clock per thread).
 */
public final class PolicyImpact {

    /** Example request ids kept per transition. */
    public static final int EXAMPLES = 5;

    private final ReplayClock clock = new ReplayClock();
    private final CoverageEngine live;
    private final CoverageEngine candidate;
    private final RequestReader liveReader;
    private final RequestReader candidateReader;
    private final Map<String, Transition> transitions = new ConcurrentHashMap<>();
    private final AtomicLong determinations = new AtomicLong();
    private final AtomicLong changedDeterminations = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    /**
     * How often one transition happened, and a few of the requests it happened to: the first
     * {@link #EXAMPLES} in sort order, so the report is the same whichever worker saw them first.
     */
    private static final class Transition {
        final AtomicLong count = new AtomicLong();
        final java.util.TreeSet<String> examples = new java.util.TreeSet<>();

        void add(String example) {
            count.incrementAndGet();
            synchronized (examples) {
                examples.add(example);
                if (examples.size() > EXAMPLES) {
                    examples.pollLast();
                }
            }
        }
    }

    public PolicyImpact(PolicyLibrary live, PolicyLibrary candidate, ZoneId zone) {
        this.live = CoverageEngines.create(live, clock, zone);
        this.candidate = CoverageEngines.create(candidate, clock, zone);
        this.liveReader = new RequestReader(this.live.vocabulary());
        this.candidateReader = new RequestReader(this.candidate.vocabulary());
    }

    public CoverageEngine liveEngine() {
        return live;
    }

    public CoverageEngine candidateEngine() {
        return candidate;
    }

    /**
     * Decides one logged request ({@code requestJson} as the log keeps it) by both sets of data as of
     * {@code decidedAt}, and counts what differs. {@code example} names it in the report.
     */
    public void replay(String example, Instant decidedAt, byte[] requestJson) {
        clock.set(decidedAt);
        determinations.incrementAndGet();
        Determination before = decide(live, liveReader, requestJson);
        Determination after = decide(candidate, candidateReader, requestJson);
        if (before == null && after == null) {
            unreadable.incrementAndGet();
            return;
        }
        if (before == null || after == null) {
            changedDeterminations.incrementAndGet();
            count((before == null ? "UNDECIDABLE" : before.status().name()) + " → "
                    + (after == null ? "UNDECIDABLE" : after.status().name()), example);
            return;
        }
        boolean changed = false;
        for (int i = 0; i < Math.max(before.items().size(), after.items().size()); i++) {
            changed |= countItem(i < before.items().size() ? before.items().get(i) : null,
                    i < after.items().size() ? after.items().get(i) : null, example);
        }
        if (before.decisionDueBy() != null && !before.decisionDueBy().equals(after.decisionDueBy())) {
            Instant received = received(requestJson, decidedAt);
            count("clock " + hours(received, before.decisionDueBy()) + " → " + hours(received, after.decisionDueBy()), example);
            changed = true;
        }
        if (changed) {
            changedDeterminations.incrementAndGet();
        }
    }

    /**
     * Replays every request the log holds from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * <p>Why built this way: reading rows is cheap next to parsing and deciding each request twice,
     * so the log is read on the calling thread and the replays run on {@code workers} threads in
     * batches. The queue is bounded and, when it is full, the reader replays a batch itself, so
     * memory stays flat however long the log is (a million determinations is the scale to plan for).
     */
    public void replayAll(DeterminationLog log, Instant from, Instant to, int workers) {
        var pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(workers * 4),
                new ThreadPoolExecutor.CallerRunsPolicy());
        List<LoggedRequest> batch = new ArrayList<>(BATCH);
        try {
            log.forEachRequest(from, to, logged -> {
                batch.add(logged);
                if (batch.size() == BATCH) {
                    List<LoggedRequest> full = List.copyOf(batch);
                    batch.clear();
                    pool.execute(() -> full.forEach(this::replay));
                }
            });
            batch.forEach(this::replay);
        } finally {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final int BATCH = 256;

    private void replay(LoggedRequest logged) {
        replay(logged.requestId() == null ? logged.determinationId() : logged.requestId(), logged.decidedAt(),
                logged.requestJson().toByteArray());
    }

    /** Counts one item's change, if any: outcome, or governing references. True when it changed. */
    public boolean countItem(ItemDetermination before, ItemDetermination after, String example) {
        return countItem(describe(before), describe(after), example);
    }

    /**
     * Counts one item given as {@code OUTCOME} or {@code OUTCOME (id, id)} on each side (how a
     * screening result reads), if it changed. True when it changed.
     */
    public boolean countItem(String before, String after, String example) {
        items.incrementAndGet();
        if (before.equals(after)) {
            return false;
        }
        count(before + " → " + after, example);
        return true;
    }

    /** {@code OUTCOME (governing ids)} as transitions name an item. */
    public static String describe(String outcome, List<String> governedBy) {
        return outcome + (governedBy.isEmpty() ? "" : " (" + String.join(", ", governedBy) + ")");
    }

    /** The report: counts by transition (most frequent first), examples, totals. */
    public ObjectNode report() {
        ObjectNode report = ContractJson.mapper().createObjectNode();
        report.put("determinations", determinations.get());
        report.put("determinationsChanged", changedDeterminations.get());
        report.put("items", items.get());
        report.put("unreadable", unreadable.get());
        ArrayNode rows = report.putArray("transitions");
        transitions.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue().count.get(), a.getValue().count.get()) != 0
                        ? Long.compare(b.getValue().count.get(), a.getValue().count.get()) : a.getKey().compareTo(b.getKey()))
                .forEach(entry -> {
                    ObjectNode row = rows.addObject();
                    row.put("transition", entry.getKey());
                    row.put("count", entry.getValue().count.get());
                    ArrayNode examples = row.putArray("examples");
                    synchronized (entry.getValue().examples) {
                        entry.getValue().examples.forEach(examples::add);
                    }
                });
        return report;
    }

    public boolean anyChange() {
        return !transitions.isEmpty();
    }

    /** The report as text: one line a transition, then the totals. */
    public static String toText(JsonNode report) {
        StringBuilder text = new StringBuilder();
        for (JsonNode row : report.path("transitions")) {
            text.append(String.format("  %-72s %,d   e.g. %s%n", row.get("transition").asText(), row.get("count").asLong(),
                    String.join(", ", iterable(row.get("examples")))));
        }
        if (text.length() == 0) {
            text.append("  no change of outcome, governing reference or clock\n");
        }
        return text.toString();
    }

    private static List<String> iterable(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(value -> list.add(value.asText()));
        return list;
    }

    private void count(String transition, String example) {
        transitions.computeIfAbsent(transition, key -> new Transition()).add(example);
    }

    private static Determination decide(CoverageEngine engine, RequestReader reader, byte[] requestJson) {
        try {
            CoverageRequest request = reader.read(requestJson);
            return engine.decide(request);
        } catch (ProblemException e) {
            return null;
        }
    }

    private static String describe(ItemDetermination item) {
        return item == null ? "NO_ITEM" : describe(item.outcome().name(), item.governedBy().stream().map(GovernedBy::id).toList());
    }

    private static Instant received(byte[] requestJson, Instant decidedAt) {
        try {
            JsonNode at = ContractJson.mapper().readTree(requestJson).path("receivedAt");
            return at.isTextual() ? Instant.parse(at.asText()) : decidedAt;
        } catch (java.io.IOException | java.time.format.DateTimeParseException e) {
            return decidedAt;
        }
    }

    private static String hours(Instant from, Instant to) {
        if (to == null) {
            return "none";
        }
        long hours = Duration.between(from, to).toHours();
        return hours % 24 == 0 && hours >= 24 * 5 ? hours / 24 + " days" : hours + " hours";
    }

}
