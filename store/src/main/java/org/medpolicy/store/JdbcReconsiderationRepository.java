package org.medpolicy.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.PhiSeal;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationEvent;
import org.medpolicy.core.reconsideration.ReconsiderationRepository;
import org.medpolicy.core.reconsideration.ReconsiderationState;
import org.medpolicy.core.reconsideration.StoredDocument;

/**
 * Reconsiderations in {@code reconsideration} (the whole value as JSON beside the columns the queue,
 * the deadline sweep and the report select on), their history in the append-only
 * {@code reconsideration_event}, their notices and IRE case files in the append-only
 * {@code reconsideration_document}. A change, its event and its documents are one transaction; the
 * version check is in the UPDATE's WHERE clause, so of two concurrent changes exactly one matches a
 * row. A filing holds its case's row ({@code SELECT … FOR UPDATE}) while it counts the case's
 * reconsiderations, so two filings on one case are serialized.
 *
 * <p>The whole value, every event's reason and every document are sealed ({@link PhiSeal}): they
 * name the member, quote what they wrote and carry the notices. The columns beside them (state,
 * dates, the case) stay in clear for the queue, the sweep and the report. Thread-safe.
 */
public final class JdbcReconsiderationRepository implements ReconsiderationRepository {

    private static final String COLUMNS = "reconsideration_id, case_id, state, expedited, received_at, due_at, work_due_at, "
            + "concluded_at, body_json, version";
    /** The reconsideration as written; a later version's unknown fields are passed over. */
    private static final ObjectReader READER = ContractJson.mapper().readerFor(Reconsideration.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Jdbi jdbi;
    private final PhiSeal seal;

    public JdbcReconsiderationRepository(Database database, PhiSeal seal) {
        this.jdbi = Jdbi.create(database.dataSource());
        this.seal = seal;
    }

    @Override
    public boolean create(Reconsideration reconsideration, List<ReconsiderationEvent> events, int existingOfCase) {
        return jdbi.inTransaction(handle -> {
            handle.createQuery("SELECT case_id FROM review_case WHERE case_id = :id FOR UPDATE")
                    .bind("id", reconsideration.caseId()).mapTo(String.class).findOne();
            int existing = handle.createQuery("SELECT COUNT(*) FROM reconsideration WHERE case_id = :id")
                    .bind("id", reconsideration.caseId()).mapTo(Integer.class).one();
            if (existing != existingOfCase) {
                return false;
            }
            bind(handle.createUpdate("INSERT INTO reconsideration (" + COLUMNS + ") VALUES (:id, :caseId, :state, :expedited, "
                    + ":receivedAt, :dueAt, :workDueAt, :concludedAt, :body, :version)"), reconsideration).execute();
            for (ReconsiderationEvent event : events) {
                insert(handle, event);
            }
            return true;
        });
    }

    @Override
    public boolean update(Reconsideration changed, int expectedVersion, ReconsiderationEvent event, List<StoredDocument> documents) {
        return jdbi.inTransaction(handle -> {
            int rows = bind(handle.createUpdate("UPDATE reconsideration SET state = :state, due_at = :dueAt, work_due_at = :workDueAt, "
                    + "concluded_at = :concludedAt, body_json = :body, version = :version "
                    + "WHERE reconsideration_id = :id AND version = :expected"), changed).bind("expected", expectedVersion).execute();
            if (rows != 1) {
                handle.rollback();
                return false;
            }
            insert(handle, event);
            for (StoredDocument document : documents) {
                handle.createUpdate("INSERT INTO reconsideration_document (reconsideration_id, kind, content_type, created_at, body) "
                                + "VALUES (:id, :kind, :type, :at, :body)")
                        .bind("id", changed.reconsiderationId()).bind("kind", document.kind()).bind("type", document.contentType())
                        .bind("at", time(event.at()))
                        .bind("body", seal.sealBytes(document.body(), documentBody(changed.reconsiderationId(), document.kind()))).execute();
            }
            return true;
        });
    }

    @Override
    public Optional<Reconsideration> find(String reconsiderationId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM reconsideration WHERE reconsideration_id = :id")
                .bind("id", reconsiderationId).map(this::read).findOne());
    }

    @Override
    public List<Reconsideration> ofCase(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM reconsideration WHERE case_id = :id "
                + "ORDER BY received_at, reconsideration_id").bind("id", caseId).map(this::read).list());
    }

    @Override
    public List<ReconsiderationEvent> history(String reconsiderationId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT reconsideration_id, sequence, at, actor, action, from_state, to_state, "
                        + "reason FROM reconsideration_event WHERE reconsideration_id = :id ORDER BY sequence")
                .bind("id", reconsiderationId)
                .map((row, context) -> new ReconsiderationEvent(row.getString("reconsideration_id"), row.getInt("sequence"),
                        instant(row, "at"), row.getString("actor"), row.getString("action"), state(row.getString("from_state")),
                        state(row.getString("to_state")), seal.openText(row.getString("reason"),
                                eventReason(row.getString("reconsideration_id"), row.getInt("sequence")))))
                .list());
    }

    @Override
    public List<Reconsideration> openQueue(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM reconsideration WHERE work_due_at IS NOT NULL "
                + "ORDER BY work_due_at, reconsideration_id LIMIT " + limit).map(this::read).list());
    }

    @Override
    public List<Reconsideration> overdue(Instant now, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM reconsideration WHERE state = 'IN_REVIEW' "
                        + "AND due_at < :now ORDER BY due_at LIMIT " + limit)
                .bind("now", time(now)).map(this::read).list());
    }

    @Override
    public List<Reconsideration> concludedIn(int year) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM reconsideration "
                        + "WHERE concluded_at >= :from AND concluded_at < :to ORDER BY concluded_at")
                .bind("from", OffsetDateTime.of(year, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .bind("to", OffsetDateTime.of(year + 1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .map(this::read).list());
    }

    @Override
    public Optional<StoredDocument> document(String reconsiderationId, String kind) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT kind, content_type, body FROM reconsideration_document "
                        + "WHERE reconsideration_id = :id AND kind = :kind").bind("id", reconsiderationId).bind("kind", kind)
                .map((row, context) -> new StoredDocument(row.getString("kind"), row.getString("content_type"),
                        seal.openBytes(row.getBytes("body"), documentBody(reconsiderationId, row.getString("kind")))))
                .findOne());
    }

    private static String body(String reconsiderationId) {
        return "reconsideration|" + reconsiderationId + "|body_json";
    }

    private static String eventReason(String reconsiderationId, int sequence) {
        return "reconsideration_event|" + reconsiderationId + "|" + sequence + "|reason";
    }

    private static String documentBody(String reconsiderationId, String kind) {
        return "reconsideration_document|" + reconsiderationId + "|" + kind + "|body";
    }

    private Update bind(Update update, Reconsideration r) {
        Instant workDue = r.state().isOpen() ? r.dueAt() : r.outstandingEffectuation() == null ? null : r.outstandingEffectuation().dueAt();
        return update.bind("id", r.reconsiderationId()).bind("caseId", r.caseId()).bind("state", r.state().name())
                .bind("expedited", r.expedited()).bind("receivedAt", time(r.receivedAt())).bind("dueAt", time(r.dueAt()))
                .bind("workDueAt", time(workDue)).bind("concludedAt", time(r.concludedAt()))
                .bind("body", seal.sealText(ContractJson.write(r), body(r.reconsiderationId()))).bind("version", r.version());
    }

    private void insert(Handle handle, ReconsiderationEvent event) {
        handle.createUpdate("INSERT INTO reconsideration_event (reconsideration_id, sequence, at, actor, action, from_state, to_state, "
                        + "reason) VALUES (:id, :sequence, :at, :actor, :action, :from, :to, :reason)")
                .bind("id", event.reconsiderationId()).bind("sequence", event.sequence()).bind("at", time(event.at()))
                .bind("actor", event.actor()).bind("action", event.action())
                .bind("from", event.from() == null ? null : event.from().name()).bind("to", event.to().name())
                .bind("reason", seal.sealText(event.reason(), eventReason(event.reconsiderationId(), event.sequence()))).execute();
    }

    private Reconsideration read(ResultSet row, StatementContext context) throws SQLException {
        try {
            return READER.readValue(seal.openText(row.getString("body_json"), body(row.getString("reconsideration_id"))));
        } catch (IOException e) {
            throw new SQLException("reconsideration " + row.getString("reconsideration_id") + " cannot be read", e);
        }
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ReconsiderationState state(String name) {
        return name == null ? null : ReconsiderationState.valueOf(name);
    }
}
