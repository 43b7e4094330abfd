package org.medpolicy.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medpolicy.core.TestPolicies;

/** The structural diff: entries matched by identity, sets compared as sets, ordered lists in order. */
class PolicyDiffTest {

    static final PolicyLibrary LIBRARY = TestPolicies.LIBRARY;

    static PolicyLibrary withProducts(List<ProductList.Product> products) {
        return new PolicyLibrary(LIBRARY.policies(), new ProductList(LIBRARY.products().schema(), LIBRARY.products().source(),
                products, LIBRARY.products().sharedNames()), LIBRARY.codes(), LIBRARY.medicareRules());
    }

    @Test
    void theSameDataHasNoChanges() {
        PolicyDiff diff = PolicyDiff.of(LIBRARY, LIBRARY);
        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.toText()).isEqualTo("No changes.\n");
        assertThat(diff.counts().values()).containsOnly(0);
    }

    @Test
    void aProductInsertedInTheMiddleIsOneAdditionNotShiftedRows() {
        List<ProductList.Product> products = new ArrayList<>(LIBRARY.products().products());
        products.add(5, new ProductList.Product("newcel", "Newcel", "newcel-T", List.of(), "GENE_THERAPY", "MPM", "2026-11-30",
                Confidence.VERIFIED, null, null, null, "PART_B_DRUG"));
        PolicyDiff diff = PolicyDiff.of(LIBRARY, withProducts(products));
        assertThat(diff.changes()).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(PolicyDiff.Kind.ADDED);
            assertThat(change.section()).isEqualTo(PolicyDiff.Section.PRODUCTS);
            assertThat(change.path()).isEqualTo("products[newcel]");
            assertThat(change.after().get("brand").asText()).isEqualTo("Newcel");
        });
    }

    @Test
    void aliasesAreASetAndEachAddedOrRemovedNameIsAChange() {
        List<ProductList.Product> products = new ArrayList<>();
        for (ProductList.Product p : LIBRARY.products().products()) {
            products.add(!p.id().equals("kymriah") ? p : new ProductList.Product(p.id(), p.brand(), p.generic(),
                    List.of("tisagenlecleucel-T", "tisa-cel"), p.kind(), p.routing(), p.approved(), p.approvalConfidence(),
                    p.hcpcs(), p.hcpcsConfidence(), p.hcpcsFrom(), p.benefit()));
        }
        PolicyDiff diff = PolicyDiff.of(LIBRARY, withProducts(products));
        assertThat(diff.changes()).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(PolicyDiff.Kind.ADDED);
            assertThat(change.path()).isEqualTo("products[kymriah].aliases");
            assertThat(change.after().asText()).isEqualTo("tisagenlecleucel-T");
        });
        assertThat(diff.toJson().at("/counts/products").asInt()).isEqualTo(1);
    }
}
