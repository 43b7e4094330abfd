package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a set of scopes grants, SMART v1 and v2 spellings alike. */
class ScopesTest {

    @ParameterizedTest(name = "{0} grants {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "system/determinations.write                 | system/determinations.write | true",
            "system/determinations.write                 | system/determinations.read  | false",
            "system/determinations.read                  | system/determinations.read  | true",
            "system/determinations.read                  | system/determinations.rs    | true",
            "system/determinations.r                     | system/determinations.read  | false",
            "system/determinations.r system/determinations.s | system/determinations.read | true",
            "system/determinations.cud                   | system/determinations.write | true",
            "system/determinations.c                     | system/determinations.write | false",
            "system/*.read                               | system/Claim.read           | true",
            "system/*.read                               | system/Claim.write          | false",
            "system/*.*                                  | system/audit.read           | true",
            "system/Claim.*                              | system/ClaimResponse.read   | false",
            "system/Claim.write                          | system/claim.write          | false",
            "''                                          | system/Claim.write          | false"})
    void grants(String held, String required, boolean granted) {
        assertThat(Scopes.parse(held).grants(required)).isEqualTo(granted);
    }

    @ParameterizedTest
    @CsvSource({"patient/*.read", "user/Claim.write", "system/Claim", "system/Claim.", "system/.read", "system/Claim.x",
            "system/Claim.srdc", "launch", "openid", "system/Claim.read?x"})
    void onlySystemScopesParse(String scope) {
        assertThatThrownBy(() -> Scopes.parse(scope)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(scope);
    }

    @ParameterizedTest(name = "{0} of {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "system/*.read system/Claim.write | system/Claim.write system/audit.read system/Claim.cud | system/Claim.write system/audit.read system/Claim.cud",
            "system/policies.read              | system/policies.read system/Claim.write               | system/policies.read",
            "system/policies.read              | system/Claim.write                                    | ''"})
    void allowedKeepsWhatIsGrantedInTheOrderAsked(String registered, String requested, String kept) {
        assertThat(Scopes.parse(registered).allowed(Scopes.parse(requested)).toString()).isEqualTo(kept);
    }
}
