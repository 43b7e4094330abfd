package org.medpolicy.core.policy;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

/**
 * The FDA-approved products reference file ({@code policies/reference/fda-approved-products.yaml},
 * schema {@code medpolicy.products/1}). Immutable once loaded.
 */
public record ProductList(String schema, String source, List<Product> products) {

    /**
     * One product. {@code approved} is a date ({@code 2017-10-18}) or, where only the month is
     * known, a month ({@code 2024-04}).
     */
    public record Product(String id, String brand, String generic, List<String> aliases, String kind, String approved,
                          Confidence approvalConfidence, String hcpcs, Confidence hcpcsConfidence, String benefit) {

        public Product {
            aliases = aliases == null ? List.of() : aliases;
        }

        /**
         * The first date of service on which the product counts as approved. A month-only date
         * counts from the month's first day: the engine reads an approval that early only as a
         * referral (never as a denial), so erring early is the safe side.
         */
        public LocalDate approvedOn() {
            return approved.length() == 7 ? YearMonth.parse(approved).atDay(1) : LocalDate.parse(approved);
        }

        /** Every name the product goes by. */
        public List<String> names() {
            var names = new java.util.ArrayList<String>();
            names.add(brand);
            names.add(generic);
            names.addAll(aliases);
            return names;
        }
    }
}
