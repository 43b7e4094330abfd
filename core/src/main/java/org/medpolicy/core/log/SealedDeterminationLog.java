package org.medpolicy.core.log;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The decision log with its PHI sealed at rest ({@link PhiSeal}): requests lose their member names
 * and free text to the seal before they reach the store, sent documents are sealed whole, and
 * everything read back is opened again, so callers see the records they appended. Sealing runs on
 * the calling thread, before the store's single writer, so it adds no work to the write path's
 * bottleneck. Thread-safe as the log and the seal are.
 */
public final class SealedDeterminationLog implements DeterminationLog {

    private final DeterminationLog store;
    private final PhiSeal seal;

    public SealedDeterminationLog(DeterminationLog store, PhiSeal seal) {
        this.store = store;
        this.seal = seal;
    }

    @Override
    public void append(DecisionRecord record) {
        store.append(record.withRequestJson(seal.sealRequest(record.requestJson(), record.determinationId())));
    }

    @Override
    public Optional<DecisionRecord> find(String determinationId) {
        return store.find(determinationId).map(this::opened);
    }

    @Override
    public void appendSent(SentRecord sent) {
        store.appendSent(new SentRecord(sent.determinationId(), sent.channel(), sent.contentType(),
                seal.sealDocument(sent.body(), sent.determinationId())));
    }

    @Override
    public Optional<SentRecord> findSent(String determinationId) {
        return store.findSent(determinationId).map(sent -> new SentRecord(sent.determinationId(), sent.channel(), sent.contentType(),
                seal.openDocument(sent.body(), sent.determinationId())));
    }

    @Override
    public DeterminationSearch.Page search(DeterminationSearch search) {
        DeterminationSearch.Page page = store.search(search);
        return new DeterminationSearch.Page(page.records().stream().map(this::opened).toList(), page.more());
    }

    @Override
    public void forEachRequest(Instant from, Instant to, Consumer<LoggedRequest> each) {
        store.forEachRequest(from, to, logged -> each.accept(new LoggedRequest(logged.determinationId(), logged.requestId(),
                logged.channel(), logged.decidedAt(), seal.openRequest(logged.requestJson(), logged.determinationId()))));
    }

    @Override
    public boolean isReady() {
        return store.isReady();
    }

    @Override
    public String storeFailure() {
        return store.storeFailure();
    }

    @Override
    public void close() {
        store.close();
    }

    private DecisionRecord opened(DecisionRecord record) {
        return record.withRequestJson(seal.openRequest(record.requestJson(), record.determinationId()));
    }
}
