package org.medpolicy.core.cases;

import java.util.List;
import java.util.Optional;

/**
 * Where cases and their history live. Implementations are thread-safe and transactional: a case
 * and the event that changed it are written together or not at all.
 */
public interface CaseRepository {

    /** Stores a new case with its first events. */
    void create(ReviewCase reviewCase, List<CaseEvent> events);

    /**
     * Replaces the case if it still has {@code expectedVersion}, appending {@code event}; returns false
     * (and changes nothing) if someone changed it first.
     */
    boolean update(ReviewCase changed, int expectedVersion, CaseEvent event);

    Optional<ReviewCase> find(String caseId);

    List<CaseEvent> history(String caseId);

    /** Open cases (RECEIVED, PENDED, RECOMMENDED), earliest due first. */
    List<ReviewCase> openQueue(int limit);

    /** Every case whose decision was made in {@code year} (UTC), for the public metrics. */
    List<ReviewCase> decidedIn(int year);

    /** Stores the notice sent for a case (PDF). */
    void saveNotice(String caseId, byte[] pdf);

    Optional<byte[]> notice(String caseId);
}
