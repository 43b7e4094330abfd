package org.medpolicy.store;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.medpolicy.security.Client;
import org.medpolicy.security.ClientRegistry;
import org.medpolicy.security.FhirServers;
import org.medpolicy.security.GuideVersions;
import org.medpolicy.security.Scopes;

/**
 * The client registry in the {@code api_client} table. Only public keys are stored. Thread-safe.
 */
public final class JdbcClientRegistry implements ClientRegistry {

    private static final String COLUMNS = "client_id, kind, issuer, jwks, allowed_jku, scopes, rate_per_second, burst, "
            + "registered_at, revoked_at, organizations, fhir_servers, fhir_servers_private, crd_version, dtr_version";

    private final Jdbi jdbi;

    public JdbcClientRegistry(Database database) {
        this.jdbi = Jdbi.create(database.dataSource());
    }

    @Override
    public void register(Client client) {
        if (find(client.id()).isPresent()) {
            throw new IllegalArgumentException("a client with id '" + client.id() + "' is already registered");
        }
        if (client.issuer() != null && findByIssuer(client.issuer()).isPresent()) {
            throw new IllegalArgumentException("a client with issuer '" + client.issuer() + "' is already registered");
        }
        try {
            jdbi.useHandle(handle -> handle.createUpdate("INSERT INTO api_client (" + COLUMNS + ") VALUES (:id, :kind, :issuer, "
                            + ":jwks, :jku, :scopes, :rate, :burst, :registeredAt, NULL, :organizations, :fhirServers, :fhirPrivate, :crdVersion, :dtrVersion)")
                    .bind("id", client.id())
                    .bind("kind", client.kind().name())
                    .bind("issuer", client.issuer())
                    .bind("jwks", client.jwks().toString(true))
                    .bind("jku", String.join("\n", client.allowedJku().stream().map(URI::toString).toList()))
                    .bind("scopes", client.scopes().toString())
                    .bind("rate", client.ratePerSecond())
                    .bind("burst", client.burst())
                    .bind("registeredAt", client.registeredAt().atOffset(ZoneOffset.UTC))
                    .bind("organizations", String.join(" ", client.organizations()))
                    .bind("fhirServers", String.join("\n", client.fhirServers().bases().stream().map(URI::toString).toList()))
                    .bind("fhirPrivate", client.fhirServers().privateAddresses())
                    .bind("crdVersion", client.versions().crd())
                    .bind("dtrVersion", client.versions().dtr())
                    .execute());
        } catch (UnableToExecuteStatementException e) {
            throw new IllegalArgumentException("client '" + client.id() + "' could not be registered (id or issuer taken)", e);
        }
    }

    @Override
    public Optional<Client> find(String clientId) {
        return one("client_id", clientId);
    }

    @Override
    public Optional<Client> findByIssuer(String issuer) {
        return one("issuer", issuer);
    }

    private Optional<Client> one(String column, String value) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM api_client WHERE " + column + " = :value")
                .bind("value", value).map(this::client).findOne());
    }

    @Override
    public List<Client> list() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM api_client ORDER BY client_id")
                .map(this::client).list());
    }

    @Override
    public boolean change(String clientId, java.util.function.UnaryOperator<Client> change) {
        Client current = find(clientId).filter(client -> !client.isRevoked()).orElse(null);
        if (current == null) {
            return false;
        }
        Client changed = change.apply(current);   // checked by Client's rules before anything is written
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE api_client SET organizations = :organizations, "
                        + "fhir_servers = :fhirServers, fhir_servers_private = :fhirPrivate, crd_version = :crdVersion, dtr_version = :dtrVersion "
                        + "WHERE client_id = :id AND revoked_at IS NULL")
                .bind("organizations", String.join(" ", changed.organizations()))
                .bind("fhirServers", String.join("\n", changed.fhirServers().bases().stream().map(URI::toString).toList()))
                .bind("fhirPrivate", changed.fhirServers().privateAddresses())
                .bind("crdVersion", changed.versions().crd())
                .bind("dtrVersion", changed.versions().dtr())
                .bind("id", clientId).execute()) == 1;
    }

    @Override
    public boolean revoke(String clientId, Instant at) {
        return jdbi.withHandle(handle -> handle.createUpdate(
                        "UPDATE api_client SET revoked_at = :at WHERE client_id = :id AND revoked_at IS NULL")
                .bind("at", at.atOffset(ZoneOffset.UTC)).bind("id", clientId).execute()) == 1;
    }

    private Client client(ResultSet row, StatementContext context) throws SQLException {
        String jku = row.getString("allowed_jku");
        OffsetDateTime revoked = row.getObject("revoked_at", OffsetDateTime.class);
        String organizations = row.getString("organizations");
        String fhirServers = row.getString("fhir_servers");
        try {
            return new Client(row.getString("client_id"), Client.Kind.valueOf(row.getString("kind")), row.getString("issuer"),
                    JWKSet.parse(row.getString("jwks")),
                    jku.isEmpty() ? List.of() : Arrays.stream(jku.split("\n")).map(URI::create).toList(),
                    Scopes.parse(row.getString("scopes")), row.getInt("rate_per_second"), row.getInt("burst"),
                    row.getObject("registered_at", OffsetDateTime.class).toInstant(),
                    revoked == null ? null : revoked.toInstant(),
                    organizations.isBlank() ? List.of() : Arrays.asList(organizations.trim().split(" +")),
                    new FhirServers(fhirServers.isBlank() ? List.of() : Arrays.stream(fhirServers.split("\n")).map(URI::create).toList(),
                            row.getBoolean("fhir_servers_private")),
                    new GuideVersions(row.getString("crd_version"), row.getString("dtr_version")));
        } catch (ParseException e) {
            throw new SQLException("the stored JWKS of client " + row.getString("client_id") + " cannot be read", e);
        }
    }
}
