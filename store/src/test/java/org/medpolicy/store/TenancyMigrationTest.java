package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tenancy migration (V10) on a database that already holds PAS requests and clients: each
 * request becomes its submitting client's, old clients act for no organization, and old
 * determinations have no maker (only the read-all scope reads them).
 */
class TenancyMigrationTest {

    @TempDir
    static Path folder;

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void rowsFromBeforeBelongToWhoeverSubmittedThem(String kind) throws Exception {
        String name = "before-tenancy-" + kind;
        // The database as the release before this one left it, with rows in it.
        String database = name.replace('-', '_');
        String url = kind.equals("h2") ? "jdbc:h2:file:" + folder.resolve(name).toAbsolutePath()
                : TestDatabases.postgres().getJdbcUrl("postgres", database);
        if (!kind.equals("h2")) {
            try (Connection connection = TestDatabases.postgres().getPostgresDatabase().getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
        String user = kind.equals("h2") ? null : "postgres";
        Flyway.configure().dataSource(url, user, user).locations("classpath:db/migration/" + (kind.equals("h2") ? "h2" : "postgresql"))
                .target("9").load().migrate();
        try (Connection connection = java.sql.DriverManager.getConnection(url, user, user); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO pas_request (claim_key, case_id, patient_key, item_sequences, request_bundle, submitted_by, "
                    + "submitted_at) VALUES ('urn:c|1', 'case-1', 'urn:m|1', '1', '{}', 'client:old-gateway', CURRENT_TIMESTAMP)");
        }
        try (Database migrated = Database.open(url, user, user)) {
            JdbcPriorAuthorizationRequests requests = new JdbcPriorAuthorizationRequests(migrated, TestPhi.SEAL, TestPhi.HASHER);
            assertThat(requests.find("old-gateway", "urn:c|1", "urn:m|1")).as("the submitter's, written before sealing")
                    .map(org.medpolicy.core.cases.PriorAuthorizationRequest::requestBundleJson).contains("{}");
            assertThat(requests.find("someone-else", "urn:c|1", "urn:m|1")).isEmpty();
        }
    }
}
