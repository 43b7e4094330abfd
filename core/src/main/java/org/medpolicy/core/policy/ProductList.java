package org.medpolicy.core.policy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * The FDA-approved products reference file ({@code policies/reference/fda-approved-products.yaml},
 * schema {@code medpolicy.products/1}). Immutable once loaded.
 */
public record ProductList(String schema, String source, List<Product> products, List<SharedName> sharedNames) {

    /** The routing of a product on CBER's list that is not a cell or gene therapy at all. */
    public static final String NOT_CELL_OR_GENE_THERAPY = "NOT_CELL_OR_GENE_THERAPY";

    public ProductList {
        products = products == null ? List.of() : List.copyOf(products);
        sharedNames = sharedNames == null ? List.of() : List.copyOf(sharedNames);
    }

    /**
     * One product. {@code approved} is a date ({@code 2017-10-18}) or, where only the month is
     * known, a month ({@code 2024-04}). {@code routing} is the class facts.md gives the product
     * (which authority it goes to); {@code hcpcsFrom} the date its own code took effect, if known.
     */
    public record Product(String id, String brand, String generic, List<String> aliases, String kind, String routing,
                          String approved, Confidence approvalConfidence, String hcpcs, Confidence hcpcsConfidence,
                          LocalDate hcpcsFrom, String benefit) {

        public Product {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        /**
         * The first date of service on which the product counts as approved. A month-only date
         * counts from the month's first day: the engine reads an approval that early only as a
         * referral (never as a denial), so erring early is the safe side.
         */
        public LocalDate approvedOn() {
            return approved.length() == 7 ? YearMonth.parse(approved).atDay(1) : LocalDate.parse(approved);
        }

        /** False for the acellular products CBER lists beside the cell and gene therapies. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isCellOrGeneTherapy() {
            return !NOT_CELL_OR_GENE_THERAPY.equals(routing);
        }

        /** Every name the product goes by. */
        public List<String> names() {
            var names = new ArrayList<String>();
            names.add(brand);
            names.add(generic);
            names.addAll(aliases);
            return names;
        }
    }

    /**
     * A name several products go by: an item that uses it names one of {@code products}, without
     * saying which. {@code label} says which products in words ("one of the licensed …") where
     * listing their brands would be too long; without it the brands are listed.
     */
    public record SharedName(String name, String label, List<String> products) {
        public SharedName {
            products = products == null ? List.of() : List.copyOf(products);
        }
    }
}
