package org.medpolicy.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.policy.ProductList;

/**
 * Every FDA-approved product of facts.md, in every way a request can name it: brand, generic name,
 * HCPCS code, upper and lower case, with a trademark sign, inside free text, next to a therapy the
 * seed calls investigational. Each must go where the seed sends it, as a Part B drug on the clock.
 */
class ProductTableTest {

    record Fact(String brand, String generic, String hcpcs, List<String> governedBy) {
    }

    static List<Fact> facts() throws IOException {
        List<Fact> facts = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(
                ProductTableTest.class.getResourceAsStream("/facts-products.csv"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\\|");
                facts.add(new Fact(cells[0], cells[1], cells[2].equals("-") ? null : cells[2], cells[3].equals("none") ? List.of() : Arrays.asList(cells[3].split("\\+"))));
            }
        }
        return facts;
    }

    static Stream<Arguments> ways() throws IOException {
        List<Arguments> ways = new ArrayList<>();
        for (Fact fact : facts()) {
            ways.add(Arguments.of(fact, "brand", item("product", fact.brand())));
            ways.add(Arguments.of(fact, "BRAND in capitals", item("product", fact.brand().toUpperCase(Locale.ROOT))));
            ways.add(Arguments.of(fact, "brand in lower case", item("product", fact.brand().toLowerCase(Locale.ROOT))));
            ways.add(Arguments.of(fact, "brand with a trademark sign", item("product", fact.brand() + "®")));
            ways.add(Arguments.of(fact, "generic name", item("product", fact.generic())));
            ways.add(Arguments.of(fact, "generic name in capitals", item("product", fact.generic().toUpperCase(Locale.ROOT))));
            ways.add(Arguments.of(fact, "brand and generic", item("product", fact.brand() + " (" + fact.generic() + ")")));
            ways.add(Arguments.of(fact, "brand in free text",
                    item("description", "Patient scheduled for " + fact.brand() + " infusion next week")));
            ways.add(Arguments.of(fact, "generic in free text",
                    item("description", "plan: " + fact.generic().toLowerCase(Locale.ROOT) + ", single dose")));
            ways.add(Arguments.of(fact, "brand beside an investigational therapy",
                    item("product", fact.brand()).put("therapy", "GENE_THERAPY")));
            if (fact.hcpcs() != null) {
                ObjectNode coded = TestPolicies.JSON.createObjectNode();
                coded.putObject("code").put("system", "HCPCS").put("value", fact.hcpcs());
                ways.add(Arguments.of(fact, "HCPCS code", coded));
                ObjectNode lower = TestPolicies.JSON.createObjectNode();
                lower.putObject("code").put("system", "HCPCS").put("value", fact.hcpcs().toLowerCase(Locale.ROOT));
                ways.add(Arguments.of(fact, "HCPCS code in lower case", lower));
            }
        }
        return ways.stream();
    }

    private static ObjectNode item(String field, String value) {
        return TestPolicies.JSON.createObjectNode().put(field, value);
    }

    @Test
    void theReferenceListHoldsEveryProductOfFactsAndNoOther() throws IOException {
        List<String> cellAndGeneTherapies = TestPolicies.ENGINE.library().products().products().stream()
                .filter(ProductList.Product::isCellOrGeneTherapy).map(ProductList.Product::brand).toList();
        assertThat(cellAndGeneTherapies).containsExactlyInAnyOrderElementsOf(facts().stream().map(Fact::brand).toList());
        assertThat(cellAndGeneTherapies).hasSize(52);
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("ways")
    void goesWhereTheSeedSendsIt(Fact fact, String way, ObjectNode item) {
        ObjectNode overrides = TestPolicies.JSON.createObjectNode();
        overrides.putArray("items").add(item);
        Determination determination = TestPolicies.ENGINE.decide(TestPolicies.read(TestPolicies.request(overrides)));

        var decided = determination.items().get(0);
        assertThat(decided.outcome()).isEqualTo(Outcome.OUT_OF_SCOPE);
        assertThat(decided.product()).isNotNull();
        assertThat(decided.product().name()).isEqualTo(fact.brand());
        assertThat(decided.governedBy().stream().map(GovernedBy::id).toList()).isEqualTo(fact.governedBy());
        assertThat(decided.citations()).isNotEmpty();
        // A Part B drug: 72 hours for a standard request received 2026-11-27T10:00Z.
        assertThat(determination.decisionDueBy()).hasToString("2026-11-30T10:00:00Z");
        assertThat(determination.memberNotice()).isNull();
    }
}
