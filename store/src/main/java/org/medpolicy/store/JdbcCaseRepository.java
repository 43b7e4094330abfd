package org.medpolicy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.medpolicy.core.cases.CaseDecision;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseExtension;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.PhiSeal;
import org.medpolicy.core.request.CoverageRequest;

/**
 * Cases in {@code review_case}, their history in the append-only {@code case_event}, notices in
 * {@code case_notice}. A change and its event are one transaction; the version check is in the
 * UPDATE's WHERE clause, so of two concurrent changes exactly one matches a row.
 *
 * <p>What names or describes the member is sealed ({@link PhiSeal}): the request (member id, name,
 * free text), the requester's contact (a member may request for themselves), the extension's
 * reason, the decision's rationale, every event's reason and the notice. What the queue, the
 * clock and the report select on (state, dates, outcomes, who acted) stays in clear. Thread-safe.
 */
public final class JdbcCaseRepository implements CaseRepository {

    private static final String COLUMNS = "case_id, state, received_at, expedited, expedited_by_physician, part_b_drug, "
            + "original_due_at, due_at, extension_days, extension_reason, extension_by, extension_at, request_json, requester_json, "
            + "recommendation_json, recommended, decision_outcome, decision_recommended, decision_rationale, decided_by, signed_by, "
            + "decided_at, notified_at, created_by, version";
    private static final String VALUES = ":caseId, :state, :receivedAt, :expedited, :expeditedByPhysician, :partBDrug, "
            + ":originalDueAt, :dueAt, :extensionDays, :extensionReason, :extensionBy, :extensionAt, :requestJson, :requesterJson, "
            + ":recommendationJson, :recommended, :decisionOutcome, :decisionRecommended, :decisionRationale, :decidedBy, :signedBy, "
            + ":decidedAt, :notifiedAt, :createdBy, :version";

    private final Jdbi jdbi;
    private final PhiSeal seal;

    public JdbcCaseRepository(Database database, PhiSeal seal) {
        this.jdbi = Jdbi.create(database.dataSource());
        this.seal = seal;
    }

    @Override
    public void create(ReviewCase reviewCase, List<CaseEvent> events) {
        jdbi.useTransaction(handle -> {
            bind(handle.createUpdate("INSERT INTO review_case (" + COLUMNS + ") VALUES (" + VALUES + ")"), reviewCase).execute();
            for (CaseEvent event : events) {
                insert(handle, event);
            }
        });
    }

    @Override
    public boolean update(ReviewCase changed, int expectedVersion, CaseEvent event) {
        return jdbi.inTransaction(handle -> {
            StringBuilder set = new StringBuilder();
            for (String column : COLUMNS.split(", ")) {
                if (!column.equals("case_id")) {
                    set.append(set.length() == 0 ? "" : ", ").append(column).append(" = :").append(camel(column));
                }
            }
            int rows = bind(handle.createUpdate("UPDATE review_case SET " + set + " WHERE case_id = :caseId AND version = :expected"),
                    changed).bind("expected", expectedVersion).execute();
            if (rows != 1) {
                handle.rollback();
                return false;
            }
            insert(handle, event);
            return true;
        });
    }

    @Override
    public Optional<ReviewCase> find(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM review_case WHERE case_id = :id")
                .bind("id", caseId).map(this::reviewCase).findOne());
    }

    @Override
    public List<CaseEvent> history(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT case_id, sequence, at, actor, action, from_state, to_state, reason FROM case_event WHERE case_id = :id ORDER BY sequence")
                .bind("id", caseId)
                .map((row, context) -> new CaseEvent(row.getString("case_id"), row.getInt("sequence"), instant(row, "at"),
                        row.getString("actor"), row.getString("action"), state(row.getString("from_state")),
                        state(row.getString("to_state")),
                        seal.openText(row.getString("reason"), eventReason(row.getString("case_id"), row.getInt("sequence")))))
                .list());
    }

    @Override
    public List<ReviewCase> openQueue(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM review_case "
                        + "WHERE state IN ('RECEIVED', 'PENDED', 'RECOMMENDED') ORDER BY due_at, case_id LIMIT " + limit)
                .map(this::reviewCase).list());
    }

    @Override
    public List<ReviewCase> decidedIn(int year) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM review_case "
                        + "WHERE decided_at >= :from AND decided_at < :to ORDER BY decided_at")
                .bind("from", OffsetDateTime.of(year, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .bind("to", OffsetDateTime.of(year + 1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))
                .map(this::reviewCase).list());
    }

    @Override
    public void saveNotice(String caseId, byte[] pdf) {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO case_notice (case_id, pdf) VALUES (:id, :pdf)")
                .bind("id", caseId).bind("pdf", seal.sealBytes(pdf, "case_notice|" + caseId + "|pdf")).execute());
    }

    @Override
    public Optional<byte[]> notice(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT pdf FROM case_notice WHERE case_id = :id")
                .bind("id", caseId).map((row, context) -> seal.openBytes(row.getBytes("pdf"), "case_notice|" + caseId + "|pdf")).findOne());
    }

    private void insert(Handle handle, CaseEvent event) {
        handle.createUpdate("INSERT INTO case_event (case_id, sequence, at, actor, action, from_state, to_state, reason) "
                        + "VALUES (:caseId, :sequence, :at, :actor, :action, :from, :to, :reason)")
                .bind("caseId", event.caseId()).bind("sequence", event.sequence()).bind("at", time(event.at()))
                .bind("actor", event.actor()).bind("action", event.action())
                .bind("from", event.from() == null ? null : event.from().name()).bind("to", event.to().name())
                .bind("reason", seal.sealText(event.reason(), eventReason(event.caseId(), event.sequence()))).execute();
    }

    private static String eventReason(String caseId, int sequence) {
        return "case_event|" + caseId + "|" + sequence + "|reason";
    }

    private static String column(String caseId, String column) {
        return "review_case|" + caseId + "|" + column;
    }

    private Update bind(Update update, ReviewCase c) {
        CaseExtension extension = c.extension();
        CaseDecision decision = c.decision();
        return update.bind("caseId", c.caseId()).bind("state", c.state().name()).bind("receivedAt", time(c.receivedAt()))
                .bind("expedited", c.expedited()).bind("expeditedByPhysician", c.expeditedByPhysician()).bind("partBDrug", c.partBDrug())
                .bind("originalDueAt", time(c.originalDueAt())).bind("dueAt", time(c.dueAt()))
                .bind("extensionDays", extension == null ? null : extension.days())
                .bind("extensionReason", extension == null ? null : seal.sealText(extension.reason(), column(c.caseId(), "extension_reason")))
                .bind("extensionBy", extension == null ? null : extension.grantedBy())
                .bind("extensionAt", extension == null ? null : time(extension.grantedAt()))
                .bind("requestJson", seal.sealText(ContractJson.write(c.request()), column(c.caseId(), "request_json")))
                .bind("requesterJson", seal.sealText(ContractJson.write(c.requester()), column(c.caseId(), "requester_json")))
                .bind("recommendationJson", c.recommendation() == null ? null : ContractJson.write(c.recommendation()))
                .bind("recommended", name(c.recommended()))
                .bind("decisionOutcome", decision == null ? null : decision.outcome().name())
                .bind("decisionRecommended", decision == null ? null : name(decision.recommended()))
                .bind("decisionRationale", decision == null ? null : seal.sealText(decision.rationale(), column(c.caseId(), "decision_rationale")))
                .bind("decidedBy", decision == null ? null : decision.decidedBy())
                .bind("signedBy", decision == null ? null : decision.signedBy())
                .bind("decidedAt", decision == null ? null : time(decision.decidedAt()))
                .bind("notifiedAt", time(c.notifiedAt())).bind("createdBy", c.createdBy()).bind("version", c.version());
    }

    private ReviewCase reviewCase(ResultSet row, StatementContext context) throws SQLException {
        Integer extensionDays = (Integer) row.getObject("extension_days");
        String outcome = row.getString("decision_outcome");
        String recommendation = row.getString("recommendation_json");
        String id = row.getString("case_id");
        try {
            return new ReviewCase(row.getString("case_id"), CaseState.valueOf(row.getString("state")), instant(row, "received_at"),
                    row.getBoolean("expedited"), row.getBoolean("expedited_by_physician"), row.getBoolean("part_b_drug"),
                    instant(row, "original_due_at"), instant(row, "due_at"),
                    extensionDays == null ? null : new CaseExtension(extensionDays,
                            seal.openText(row.getString("extension_reason"), column(id, "extension_reason")),
                            row.getString("extension_by"), instant(row, "extension_at")),
                    STORED_REQUEST.readValue(seal.openText(row.getString("request_json"), column(id, "request_json"))),
                    ContractJson.mapper().readValue(seal.openText(row.getString("requester_json"), column(id, "requester_json")), Contact.class),
                    recommendation == null ? null : STORED_DETERMINATION.<Determination>readValue(recommendation),
                    outcome(row.getString("recommended")),
                    outcome == null ? null : new CaseDecision(CaseOutcome.valueOf(outcome), outcome(row.getString("decision_recommended")),
                            seal.openText(row.getString("decision_rationale"), column(id, "decision_rationale")),
                            row.getString("decided_by"), row.getString("signed_by"),
                            instant(row, "decided_at")),
                    instant(row, "notified_at"), row.getString("created_by"), row.getInt("version"));
        } catch (JsonProcessingException e) {
            throw new SQLException("case " + row.getString("case_id") + " cannot be read", e);
        }
    }

    /*
     * The request and the recommendation are kept as their contract JSON and read back typed.
     * Fields this version does not know are passed over, so a case written by a later version (or
     * a request kept as received, before cases were typed) still reads.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader STORED_REQUEST = ContractJson.mapper()
            .readerFor(CoverageRequest.class).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final com.fasterxml.jackson.databind.ObjectReader STORED_DETERMINATION = ContractJson.mapper()
            .readerFor(Determination.class).without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static CaseState state(String name) {
        return name == null ? null : CaseState.valueOf(name);
    }

    private static CaseOutcome outcome(String name) {
        return name == null ? null : CaseOutcome.valueOf(name);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String camel(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
