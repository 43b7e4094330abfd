package org.medpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.policy.PolicySet;

/** Policy sets and their publications on both databases: kept by content, never overwritten, the latest publication wins. */
class PolicySetStoreTest {

    @TempDir
    static Path folder;

    static final PolicySet POLICIES = PolicySet.read(Path.of("..", "policies"));

    @ParameterizedTest
    @MethodSource("org.medpolicy.store.TestDatabases#kinds")
    void aSetIsKeptByItsContentAndTheLatestPublicationWins(String kind) throws SQLException {
        try (Database database = TestDatabases.open(kind, "policy-sets", folder)) {
            JdbcPolicySets sets = new JdbcPolicySets(database);
            assertThat(sets.latest()).isEmpty();
            sets.save(POLICIES);
            sets.save(POLICIES);   // a second save of the same content changes nothing
            PolicySet read = sets.find(POLICIES.id()).orElseThrow();
            assertThat(read.id()).isEqualTo(POLICIES.id());
            assertThat(read.files().keySet()).isEqualTo(POLICIES.files().keySet());
            assertThat(read.files().get("reference/fda-approved-products.yaml"))
                    .isEqualTo(POLICIES.files().get("reference/fda-approved-products.yaml"));
            assertThat(sets.find("sha256-none")).isEmpty();

            var first = sets.publish(POLICIES.id(), "ada");
            var second = sets.publish(POLICIES.id(), "bea");
            assertThat(second.sequence()).isGreaterThan(first.sequence());
            assertThat(sets.latest()).contains(second);

            try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("UPDATE policy_sets SET set_id = 'x'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM policy_publications"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
            assertThatThrownBy(() -> sets.publish("sha256-not-kept", "eve")).as("only a kept set can be published")
                    .isInstanceOf(RuntimeException.class);
        }
    }
}
