package org.medpolicy.core.policy;

import java.time.Instant;
import java.util.Optional;

/**
 * Where policy sets are kept (every set that was ever published or decided something, never
 * overwritten) and which one is published. Servers on one database serve the latest publication.
 * Implementations are thread-safe.
 */
public interface PolicySetStore {

    /** One publication: the {@code sequence}-th, of set {@code setId}, by whom and when. */
    record Publication(long sequence, String setId, Instant publishedAt, String publishedBy) {
    }

    /** Keeps {@code set} (nothing happens if a set with its id is kept already). */
    void save(PolicySet set);

    Optional<PolicySet> find(String setId);

    /** Publishes a kept set: it becomes the latest publication. */
    Publication publish(String setId, String publishedBy);

    Optional<Publication> latest();
}
