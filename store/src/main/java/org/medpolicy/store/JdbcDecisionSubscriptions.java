package org.medpolicy.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.medpolicy.core.cases.DecisionSubscription;
import org.medpolicy.core.cases.DecisionSubscriptions;

/** PAS decision subscriptions in {@code decision_subscription}. Thread-safe. */
public final class JdbcDecisionSubscriptions implements DecisionSubscriptions {

    private final Jdbi jdbi;

    public JdbcDecisionSubscriptions(Database database) {
        this.jdbi = Jdbi.create(database.dataSource());
    }

    @Override
    public void save(DecisionSubscription subscription) {
        jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO decision_subscription (subscription_id, client_id, org_identifier, "
                        + "endpoint, headers, status, events_sent, created_at) VALUES (:id, :client, :org, :endpoint, :headers, :status, :events, :at)")
                .bind("id", subscription.id()).bind("client", subscription.clientId()).bind("org", subscription.organizationIdentifier())
                .bind("endpoint", subscription.endpoint()).bind("headers", String.join("\n", subscription.headers()))
                .bind("status", subscription.status()).bind("events", subscription.eventsSent())
                .bind("at", subscription.createdAt().atOffset(ZoneOffset.UTC)).execute());
    }

    @Override
    public Optional<DecisionSubscription> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM decision_subscription WHERE subscription_id = :id")
                .bind("id", id).map(this::subscription).findOne());
    }

    @Override
    public List<DecisionSubscription> forOrganization(String organizationIdentifier) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT * FROM decision_subscription WHERE org_identifier = :org AND status = 'active' ORDER BY created_at")
                .bind("org", organizationIdentifier).map(this::subscription).list());
    }

    @Override
    public void update(String id, String status, int eventsSent) {
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE decision_subscription SET status = :status, events_sent = :events "
                + "WHERE subscription_id = :id").bind("status", status).bind("events", eventsSent).bind("id", id).execute());
    }

    private DecisionSubscription subscription(ResultSet row, StatementContext context) throws SQLException {
        String headers = row.getString("headers");
        return new DecisionSubscription(row.getString("subscription_id"), row.getString("client_id"), row.getString("org_identifier"),
                row.getString("endpoint"), headers.isEmpty() ? List.of() : List.of(headers.split("\n")), row.getString("status"),
                row.getInt("events_sent"), row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
