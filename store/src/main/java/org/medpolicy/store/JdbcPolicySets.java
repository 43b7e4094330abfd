package org.medpolicy.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.core.policy.PolicySetStore;

/**
 * Policy sets in {@code policy_sets} (zipped, by id) and their publications in
 * {@code policy_publications}; both append-only in the database itself. Thread-safe.
 */
public final class JdbcPolicySets implements PolicySetStore {

    private final Jdbi jdbi;

    public JdbcPolicySets(Database database) {
        this.jdbi = Jdbi.create(database.dataSource());
    }

    @Override
    public void save(PolicySet set) {
        // Insert-if-absent in one statement both databases accept: a set's id is its content, so a
        // second server saving the same set at the same moment loses nothing by being skipped.
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO policy_sets (set_id, files) SELECT :id, :files "
                        + "WHERE NOT EXISTS (SELECT 1 FROM policy_sets WHERE set_id = :id)")
                .bind("id", set.id()).bind("files", set.zip()).execute());
    }

    @Override
    public Optional<PolicySet> find(String setId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT files FROM policy_sets WHERE set_id = :id").bind("id", setId)
                .map((row, context) -> PolicySet.unzip(row.getBytes("files"))).findOne());
    }

    @Override
    public Publication publish(String setId, String publishedBy) {
        Instant at = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        return jdbi.inTransaction(handle -> {
            long sequence = handle.createUpdate("INSERT INTO policy_publications (set_id, published_at, published_by) "
                            + "VALUES (:id, :at, :by)")
                    .bind("id", setId).bind("at", at.atOffset(ZoneOffset.UTC)).bind("by", publishedBy)
                    .executeAndReturnGeneratedKeys("sequence").mapTo(Long.class).one();
            return new Publication(sequence, setId, at, publishedBy);
        });
    }

    @Override
    public Optional<Publication> latest() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT sequence, set_id, published_at, published_by FROM policy_publications "
                        + "ORDER BY sequence DESC LIMIT 1")
                .map((row, context) -> new Publication(row.getLong("sequence"), row.getString("set_id"),
                        row.getObject("published_at", OffsetDateTime.class).toInstant(), row.getString("published_by")))
                .findOne());
    }
}
