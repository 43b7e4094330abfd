package org.medpolicy.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.StatementContext;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.SentRecord;
import org.medpolicy.core.log.LoggedRequest;
import org.medpolicy.core.log.LogUnavailableException;

/**
 * The decision log on a {@link Database}: appends go through the {@link GroupCommitWriter}, reads
 * through Jdbi on the pool. Thread-safe.
 */
public final class JdbcDeterminationLog implements DeterminationLog {

    private static final String COLUMNS = "determination_id, request_id, channel, decided_at, policy_id, policy_version, "
            + "engine_version, status, member_key, request_json, response_json, policy_set, made_by";

    private final Database database;
    private final JsonDocuments documents;
    private final Jdbi jdbi;
    private final GroupCommitWriter<DecisionRecord> writer;
    private final GroupCommitWriter<SentRecord> sentWriter;

    public JdbcDeterminationLog(Database database) {
        this.database = database;
        this.documents = JsonDocuments.of(database.kind());
        this.jdbi = Jdbi.create(database.dataSource());
        this.writer = new GroupCommitWriter<>(database, new GroupCommitWriter.Rows<>() {
            @Override
            public String insert() {
                return "INSERT INTO determination_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            }

            @Override
            public void bind(java.sql.PreparedStatement insert, DecisionRecord record) throws SQLException {
                insert.setString(1, record.determinationId());
                insert.setString(2, record.requestId());
                insert.setString(3, record.channel());
                insert.setObject(4, record.decidedAt().atOffset(java.time.ZoneOffset.UTC));
                insert.setString(5, record.policyId());
                insert.setObject(6, record.policyVersion());
                insert.setString(7, record.engineVersion());
                insert.setString(8, record.status());
                insert.setString(9, record.memberKey());
                documents.bind(insert, 10, record.requestJson());
                documents.bind(insert, 11, record.responseJson());
                insert.setString(12, record.policySet());
                insert.setString(13, record.madeBy());
            }
        }, "medpolicy-log-writer");
        this.sentWriter = new GroupCommitWriter<>(database, new GroupCommitWriter.Rows<>() {
            @Override
            public String insert() {
                return "INSERT INTO determination_sent (determination_id, channel, content_type, sent_json) VALUES (?, ?, ?, ?)";
            }

            @Override
            public void bind(java.sql.PreparedStatement insert, SentRecord sent) throws SQLException {
                insert.setString(1, sent.determinationId());
                insert.setString(2, sent.channel());
                insert.setString(3, sent.contentType());
                documents.bind(insert, 4, sent.body());
            }
        }, "medpolicy-sent-writer");
    }

    @Override
    public void appendSent(SentRecord sent) {
        try {
            sentWriter.write(sent);
        } catch (GroupCommitWriter.NotCommitted e) {
            throw new LogUnavailableException("what was sent could not be stored: " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public Optional<SentRecord> findSent(String determinationId) {
        try {
            return jdbi.withHandle(handle -> handle
                    .createQuery("SELECT determination_id, channel, content_type, sent_json FROM determination_sent"
                            + " WHERE determination_id = :id")
                    .bind("id", determinationId)
                    .map((row, context) -> new SentRecord(row.getString("determination_id"), row.getString("channel"),
                            row.getString("content_type"), documents.read(row, "sent_json")))
                    .findOne());
        } catch (JdbiException e) {
            throw new LogUnavailableException("the decision log cannot be read", e);
        }
    }

    @Override
    public void append(DecisionRecord record) {
        try {
            writer.write(record);
        } catch (GroupCommitWriter.NotCommitted e) {
            throw new LogUnavailableException("the determination could not be stored: " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public Optional<DecisionRecord> find(String determinationId) {
        return read("WHERE determination_id = :value", determinationId, rows -> rows.findOne());
    }

    @Override
    public org.medpolicy.core.log.DeterminationSearch.Page search(org.medpolicy.core.log.DeterminationSearch search) {
        // Ordered by id alone: ids are time-ordered (UUIDv7), so the cursor "after this id" pages stably.
        String where = "WHERE request_id = :value" + (search.madeBy() == null ? "" : " AND made_by = :madeBy")
                + (search.after() == null ? "" : " AND determination_id > :after") + " ORDER BY determination_id";
        try {
            return jdbi.withHandle(handle -> {
                var query = handle.createQuery("SELECT " + COLUMNS + " FROM determination_log " + where)
                        .bind("value", search.requestId()).setMaxRows(search.limit() + 1);
                if (search.madeBy() != null) {
                    query.bind("madeBy", search.madeBy());
                }
                if (search.after() != null) {
                    query.bind("after", search.after());
                }
                // One row more than the page says whether there is a next page, without counting.
                List<DecisionRecord> rows = query.map(this::record).list();
                return new org.medpolicy.core.log.DeterminationSearch.Page(
                        rows.size() > search.limit() ? rows.subList(0, search.limit()) : rows, rows.size() > search.limit());
            });
        } catch (JdbiException e) {
            throw new LogUnavailableException("the decision log cannot be read", e);
        }
    }

    /** Selects log rows by one value; a database failure is {@link LogUnavailableException}. */
    private <T> T read(String where, String value, java.util.function.Function<org.jdbi.v3.core.result.ResultIterable<DecisionRecord>, T> rows) {
        try {
            return jdbi.withHandle(handle -> rows.apply(handle
                    .createQuery("SELECT " + COLUMNS + " FROM determination_log " + where)
                    .bind("value", value)
                    .map(this::record)));
        } catch (JdbiException e) {
            throw new LogUnavailableException("the decision log cannot be read", e);
        }
    }

    @Override
    public void forEachRequest(java.time.Instant from, java.time.Instant to, java.util.function.Consumer<LoggedRequest> each) {
        try {
            // In a transaction with a fetch size, so PostgreSQL streams through a cursor instead of
            // holding every row in memory; H2 streams its result either way.
            jdbi.useTransaction(handle -> handle
                    .createQuery("SELECT determination_id, request_id, channel, decided_at, request_json FROM determination_log"
                            + " WHERE decided_at >= :from AND decided_at < :to ORDER BY decided_at, determination_id")
                    .bind("from", from.atOffset(java.time.ZoneOffset.UTC))
                    .bind("to", to.atOffset(java.time.ZoneOffset.UTC))
                    .setFetchSize(1_000)
                    .map((row, context) -> new LoggedRequest(row.getString("determination_id"), row.getString("request_id"),
                            row.getString("channel"), row.getObject("decided_at", OffsetDateTime.class).toInstant(),
                            documents.read(row, "request_json")))
                    .useStream(rows -> rows.forEach(each)));
        } catch (JdbiException e) {
            throw new LogUnavailableException("the decision log cannot be read", e);
        }
    }

    @Override
    public boolean isReady() {
        return database.isReachable();
    }

    @Override
    public String storeFailure() {
        return database.failure();
    }

    private DecisionRecord record(ResultSet row, StatementContext context) throws SQLException {
        return new DecisionRecord(
                row.getString("determination_id"),
                row.getString("request_id"),
                row.getString("channel"),
                row.getObject("decided_at", OffsetDateTime.class).toInstant(),
                row.getString("policy_id"),
                row.getObject("policy_version", LocalDate.class),
                row.getString("engine_version"),
                row.getString("status"),
                row.getString("member_key"),
                documents.read(row, "request_json"),
                documents.read(row, "response_json"),
                row.getString("policy_set"),
                row.getString("made_by"));
    }

    /** Commits what is queued, then stops the writer; the database stays open. */
    @Override
    public void close() {
        writer.close();
        sentWriter.close();
    }
}
