package org.medpolicy.core.log;

import java.util.List;
import java.util.Objects;

/**
 * A page of the determinations made for one request id: those asked for by {@code madeBy} (null: by
 * anyone, for a caller allowed to read every client's), after the determination {@code after}
 * (null: from the first), at most {@code limit}, oldest first. Determination ids are time-ordered,
 * so "after this id" pages through what is logged without repeating or skipping any; one logged
 * while a client pages, within the same millisecond as the cursor, can fall before it (ids are
 * taken when decided, their random bits unordered). Immutable.
 */
public record DeterminationSearch(String requestId, String madeBy, String after, int limit) {

    /** The largest page a caller may ask for. */
    public static final int MAX_LIMIT = 1_000;

    public DeterminationSearch {
        Objects.requireNonNull(requestId, "requestId");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ": " + limit);
        }
    }

    /** A page of the results and whether there are more after it. Immutable. */
    public record Page(List<DecisionRecord> records, boolean more) {
        public Page {
            records = List.copyOf(records);
        }
    }

    /** The first page of up to {@code limit} determinations for {@code requestId}, whoever asked. */
    public static DeterminationSearch of(String requestId, int limit) {
        return new DeterminationSearch(requestId, null, null, limit);
    }
}
