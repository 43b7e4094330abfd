package org.medpolicy.core.log;

import java.util.List;
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

    /** The determinations made for a request id, oldest first. */
    List<DecisionRecord> findByRequestId(String requestId);

    /** True when the log can store and read (for readiness checks). */
    boolean isReady();

    @Override
    void close();
}
