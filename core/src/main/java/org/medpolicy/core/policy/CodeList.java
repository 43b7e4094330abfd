package org.medpolicy.core.policy;

import java.time.LocalDate;
import java.util.List;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.request.CodeSystem;

/** The code facts reference file ({@code policies/reference/codes.yaml}, schema {@code medpolicy.codes/1}). Immutable. */
public record CodeList(String schema, String source, List<CodeFact> codes) {

    /** Whether Medicare accepts a code at all. */
    public enum Status {
        VALID,
        /** HCPCS status "I": not valid for Medicare purposes. */
        NOT_MEDICARE
    }

    /**
     * One code: valid from {@code validFrom}, invalid on and after {@code deletedOn}. An
     * {@code unclassified} code (J3490, J3590, C9399) is billed for many products and never identifies one.
     */
    public record CodeFact(String code, CodeSystem system, String description, Status status, LocalDate validFrom,
                           LocalDate deletedOn, List<String> replacedBy, Boolean unclassified, Confidence confidence,
                           Citation citation) {
        public CodeFact {
            replacedBy = replacedBy == null ? List.of() : replacedBy;
            unclassified = unclassified != null && unclassified;
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isUnclassified() {
            return unclassified;
        }
    }
}
