package org.medpolicy.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.TestPolicies;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.request.CoverageRequest;

/** Requests and determinations written as contract JSON read back to equal values (what a store keeping them typed needs). */
class TypedRoundTripTest {

    @Test
    void aRequestAndItsDeterminationReadBackEqual() throws IOException {
        ObjectNode overrides = TestPolicies.JSON.createObjectNode();
        overrides.putObject("member").put("id", "M1").put("name", "Pat Example").put("state", "OR");
        var items = overrides.putArray("items");
        items.addObject().put("therapy", "TUMOR_INFILTRATING_LYMPHOCYTES");
        items.addObject().put("product", "Kymriah");
        items.addObject().putObject("code").put("system", "CPT").put("value", "36511");
        items.addObject().put("description", "onasemnogene abeparvovec").putObject("answers").put("therapy", "GENE_THERAPY");
        CoverageRequest request = TestPolicies.read(TestPolicies.request(overrides));
        Determination determination = TestPolicies.ENGINE.decide(request);

        assertThat(ContractJson.mapper().readValue(ContractJson.write(request), CoverageRequest.class)).isEqualTo(request);
        assertThat(ContractJson.mapper().readValue(ContractJson.write(determination), Determination.class)).isEqualTo(determination);
    }
}
