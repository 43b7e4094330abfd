package org.medpolicy.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.medpolicy.core.cases.PriorAuthorizationRequest;
import org.medpolicy.core.cases.PriorAuthorizationRequests;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.log.PhiSeal;

/**
 * PAS submissions in {@code pas_request}. The request Bundle (patient name, birth date, address)
 * is sealed ({@link PhiSeal}); the patient's member identifier is kept only as its keyed hash, which
 * is all a lookup needs, so a submission read back carries the hash as its {@code patientKey}. Rows
 * written before sealing (a clear identifier, a clear Bundle) are still found and read. Thread-safe.
 */
public final class JdbcPriorAuthorizationRequests implements PriorAuthorizationRequests {

    private final Jdbi jdbi;
    private final PhiSeal seal;
    private final MemberKeyHasher hasher;

    public JdbcPriorAuthorizationRequests(Database database, PhiSeal seal, MemberKeyHasher hasher) {
        this.jdbi = Jdbi.create(database.dataSource());
        this.seal = seal;
        this.hasher = hasher;
    }

    @Override
    public void save(PriorAuthorizationRequest request) {
        try {
            jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO pas_request (client_id, claim_key, case_id, patient_key, item_sequences, "
                            + "request_bundle, submitted_by, submitted_at) VALUES (:client, :claim, :case, :patient, :sequences, :bundle, :by, :at)")
                    .bind("client", request.clientId()).bind("claim", request.claimKey()).bind("case", request.caseId())
                    .bind("patient", hasher.hash(request.patientKey()))
                    .bind("sequences", request.itemSequences().stream().map(String::valueOf).collect(Collectors.joining(",")))
                    .bind("bundle", seal.sealText(request.requestBundleJson(), bundle(request.clientId(), request.claimKey(), request.caseId())))
                    .bind("by", request.submittedBy())
                    .bind("at", request.submittedAt().atOffset(ZoneOffset.UTC)).execute());
        } catch (UnableToExecuteStatementException e) {
            // Only the key's unique violation (SQLState 23505 on H2 and PostgreSQL) means "already submitted"; anything else is the store's failure.
            if (e.getCause() instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                throw new IllegalArgumentException("the claim " + request.claimKey() + " was already submitted", e);
            }
            throw e;
        }
    }

    @Override
    public Optional<PriorAuthorizationRequest> find(String clientId, String claimKey, String patientKey) {
        // The newest: an identifier a client gave a new request of the same member names that one from then on.
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM pas_request WHERE client_id = :client AND claim_key = :claim "
                        + "AND patient_key IN (:hashed, :clear) ORDER BY submitted_at DESC, case_id DESC")
                .bind("client", clientId).bind("claim", claimKey).bind("hashed", hasher.hash(patientKey)).bind("clear", patientKey)
                .map(this::request).findFirst());
    }

    @Override
    public boolean isClaimed(String clientId, String claimKey) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM pas_request WHERE client_id = :client AND claim_key = :claim")
                .bind("client", clientId).bind("claim", claimKey).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Optional<PriorAuthorizationRequest> latestFor(String caseId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM pas_request WHERE case_id = :case ORDER BY submitted_at DESC, claim_key")
                .bind("case", caseId).map(this::request).findFirst());
    }

    /** Where a submission's Bundle is sealed: its row (client, claim and case) and column. */
    private static String bundle(String clientId, String claimKey, String caseId) {
        return "pas_request|" + clientId + "|" + claimKey + "|" + caseId + "|request_bundle";
    }

    /** A Bundle sealed before a claim identifier could name several cases, bound to client and claim alone. */
    private static String bundleBeforeV17(String clientId, String claimKey) {
        return "pas_request|" + clientId + "|" + claimKey + "|request_bundle";
    }

    private String openBundle(String stored, String client, String claim, String caseId) {
        try {
            return seal.openText(stored, bundle(client, claim, caseId));
        } catch (PhiSeal.SealException sealedBefore) {
            return seal.openText(stored, bundleBeforeV17(client, claim));
        }
    }

    private PriorAuthorizationRequest request(ResultSet row, StatementContext context) throws SQLException {
        String client = row.getString("client_id");
        String claim = row.getString("claim_key");
        return new PriorAuthorizationRequest(row.getString("case_id"), client, claim, row.getString("patient_key"),
                Arrays.stream(row.getString("item_sequences").split(",")).map(Integer::valueOf).toList(),
                openBundle(row.getString("request_bundle"), client, claim, row.getString("case_id")), row.getString("submitted_by"),
                row.getObject("submitted_at", OffsetDateTime.class).toInstant());
    }
}
