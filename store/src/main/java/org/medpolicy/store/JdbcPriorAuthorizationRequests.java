package org.medpolicy.store;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.medpolicy.core.cases.PriorAuthorizationRequest;
import org.medpolicy.core.cases.PriorAuthorizationRequests;

/** PAS submissions in {@code pas_request}. Thread-safe. */
public final class JdbcPriorAuthorizationRequests implements PriorAuthorizationRequests {

    private final Jdbi jdbi;

    public JdbcPriorAuthorizationRequests(Database database) {
        this.jdbi = Jdbi.create(database.dataSource());
    }

    @Override
    public void save(PriorAuthorizationRequest request) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO pas_request (client_id, claim_key, case_id, patient_key, item_sequences, "
                            + "request_bundle, submitted_by, submitted_at) VALUES (:client, :claim, :case, :patient, :sequences, :bundle, :by, :at)")
                    .bind("client", request.clientId()).bind("claim", request.claimKey()).bind("case", request.caseId()).bind("patient", request.patientKey())
                    .bind("sequences", request.itemSequences().stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .bind("bundle", request.requestBundleJson()).bind("by", request.submittedBy())
                    .bind("at", request.submittedAt().atOffset(ZoneOffset.UTC)).execute());
        } catch (UnableToExecuteStatementException e) {
            throw new IllegalArgumentException("the claim " + request.claimKey() + " was already submitted", e);
        }
    }

    @Override
    public Optional<PriorAuthorizationRequest> find(String clientId, String claimKey, String patientKey) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM pas_request WHERE client_id = :client AND claim_key = :claim AND patient_key = :patient")
                .bind("client", clientId).bind("claim", claimKey).bind("patient", patientKey).map(JdbcPriorAuthorizationRequests::request).findOne());
    }

    @Override
    public Optional<PriorAuthorizationRequest> latestFor(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM pas_request WHERE case_id = :case ORDER BY submitted_at DESC")
                .bind("case", caseId).map(JdbcPriorAuthorizationRequests::request).findFirst());
    }

    private static PriorAuthorizationRequest request(java.sql.ResultSet row, org.jdbi.v3.core.statement.StatementContext context)
            throws java.sql.SQLException {
        return new PriorAuthorizationRequest(row.getString("case_id"), row.getString("client_id"), row.getString("claim_key"), row.getString("patient_key"),
                Arrays.stream(row.getString("item_sequences").split(",")).map(Integer::valueOf).toList(),
                row.getString("request_bundle"), row.getString("submitted_by"), row.getObject("submitted_at", OffsetDateTime.class).toInstant());
    }
}
