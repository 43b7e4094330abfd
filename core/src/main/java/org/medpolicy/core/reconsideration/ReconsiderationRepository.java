package org.medpolicy.core.reconsideration;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where reconsiderations, their history and their documents live. Implementations are thread-safe
 * and transactional: a reconsideration, the event that changed it and the documents it produced are
 * written together or not at all.
 */
public interface ReconsiderationRepository {

    /**
     * Stores a new reconsideration with its first events if its case still has exactly
     * {@code existingOfCase} reconsiderations (the check and the insert hold the case, so two
     * filings on one case at once cannot both pass the rules); returns false and stores nothing
     * otherwise.
     */
    boolean create(Reconsideration reconsideration, List<ReconsiderationEvent> events, int existingOfCase);

    /**
     * Replaces the reconsideration if it still has {@code expectedVersion}, appending {@code event}
     * and storing {@code documents}; returns false (and changes nothing) if someone changed it first.
     */
    boolean update(Reconsideration changed, int expectedVersion, ReconsiderationEvent event, List<StoredDocument> documents);

    Optional<Reconsideration> find(String reconsiderationId);

    /** The reconsiderations of one case, earliest first. */
    List<Reconsideration> ofCase(String caseId);

    List<ReconsiderationEvent> history(String reconsiderationId);

    /** Those with work outstanding (in review, or a reversal not yet effectuated), earliest due first. */
    List<Reconsideration> openQueue(int limit);

    /** Those still in review whose deadline passed before {@code now}. */
    List<Reconsideration> overdue(Instant now, int limit);

    /** Those concluded (decided, forwarded for want of a decision, dismissed) in {@code year} (UTC). */
    List<Reconsideration> concludedIn(int year);

    Optional<StoredDocument> document(String reconsiderationId, String kind);
}
