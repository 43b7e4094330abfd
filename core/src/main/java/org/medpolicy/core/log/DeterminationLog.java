package org.medpolicy.core.log;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;

/**
 * The append-only record of determinations. {@link #append} returns only once the record is
 * durable: a channel that acknowledges a determination after appending it never loses it.
 * Implementations are thread-safe.
 */
public interface DeterminationLog extends AutoCloseable {

    /**
     * Stores {@code record} durably before returning.
     *
     * @throws LogUnavailableException when the record could not be stored (the caller must not
     *         acknowledge the determination)
     */
    void append(DecisionRecord record);

    Optional<DecisionRecord> find(String determinationId);

    /**
     * Stores, durably before returning, what a channel is about to send for a logged determination
     * when that is not the determination itself (one per determination).
     *
     * @throws LogUnavailableException when it could not be stored (the caller must not send it)
     */
    void appendSent(SentRecord sent);

    /** What was sent for a determination, if its channel sent something other than the determination. */
    Optional<SentRecord> findSent(String determinationId);

    /** A page of the determinations made for a request id, oldest first (see {@link DeterminationSearch}). */
    DeterminationSearch.Page search(DeterminationSearch search);

    /**
     * Hands every logged request decided in [{@code from}, {@code to}) to {@code each}, oldest first,
     * streaming (the log may hold millions).
     *
     * @throws LogUnavailableException when the log cannot be read
     */
    void forEachRequest(Instant from, Instant to, Consumer<LoggedRequest> each);

    /** True when the log can store and read (for readiness checks). */
    boolean isReady();

    /** Why the store does not take writes, while it does not (a full disk); null otherwise. */
    default String storeFailure() {
        return null;
    }

    @Override
    void close();
}
