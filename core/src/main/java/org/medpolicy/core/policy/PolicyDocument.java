package org.medpolicy.core.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.Reason;
import org.medpolicy.core.request.RequesterRole;

/**
 * One version of one medical policy, exactly as its YAML file says it
 * ({@code policies/<id>/<version>.yaml}, schema {@code medpolicy.policy/1}). The nested records are
 * the file's sections; their comments in the policy file explain each. Immutable once loaded.
 *
 * <p>This file is long because it is the whole file format in one place: a reviewer reads the
 * format here, not across twenty files.
 */
public record PolicyDocument(
        String schema,
        String id,
        String title,
        LocalDate version,
        List<String> linesOfBusiness,
        Dates dates,
        Source source,
        LinkedHashMap<String, Authority> authorities,
        List<HierarchyLevel> hierarchy,
        Map<String, List<Citation>> citationSets,
        InvalidCodeRules invalidCode,
        ProductRules products,
        LinkedHashMap<String, CategoryRule> categories,
        List<String> descriptionPrecedence,
        List<PolicyCode> codes,
        AskPhrases askPhrases,
        LinkedHashMap<String, QuestionDefinition> questions,
        OutcomeRule otherwise,
        MemberNoticeTemplate memberNotice,
        Requesters requesters,
        Wording wording) {

    public PolicyDocument {
        citationSets = citationSets == null ? Map.of() : citationSets;
        codes = codes == null ? List.of() : codes;
        hierarchy = hierarchy == null ? List.of() : hierarchy;
        questions = questions == null ? new LinkedHashMap<>() : questions;
        descriptionPrecedence = descriptionPrecedence == null ? List.of() : descriptionPrecedence;
    }

    /**
     * How explanations name the authorities filled into {@code {governedBy}}: by authority type
     * ({@code {id}}, {@code {title}}), else {@code other}; {@code none} when there is none; {@code and}
     * joins the last two; {@code or} joins the products a shared name may mean and the codes that replace a deleted one. Member-facing words,
     * so they are the policy's, not the engine's.
     */
    public record Wording(Map<String, String> authority, String other, String none, String and, String or) {
        public Wording {
            authority = authority == null ? Map.of() : authority;
        }
    }

    /** The policy's dates; reviews are to the month, as policies print them. */
    public record Dates(LocalDate published, LocalDate effectiveFrom, YearMonth lastReview, YearMonth nextReview) {
    }

    /** The document the policy was written from, relative to the policy file. */
    public record Source(String document, String title, String medicareLinksRevised) {
    }

    /** Something a determination can name in {@code governedBy}. */
    public record Authority(String type, String title) {
    }

    /** One level of the coverage hierarchy (CMS manuals, NCDs, LCDs, the plan's medical policy). */
    public record HierarchyLevel(String level, String finding, String summary, String authority,
                                 List<Citation> citations, List<NotApplicable> notApplicable) {
        public HierarchyLevel {
            citations = citations == null ? List.of() : citations;
            notApplicable = notApplicable == null ? List.of() : notApplicable;
        }
    }

    /** An NCD the policy names and why it does not apply. */
    public record NotApplicable(String authority, String why, Citation citation) {
    }

    /** An explanation and the citations behind it. */
    public record RuleText(String explanation, List<Citation> citations) {
    }

    /** Stage 1: the explanations for codes Medicare does not accept on the date of service. */
    public record InvalidCodeRules(RuleText notValidForMedicare, RuleText deleted, RuleText notYetValid) {
    }

    /** Stage 2: what the policy does with FDA-approved products. */
    public record ProductRules(String reference, ApprovedProducts approved, Map<String, String> categoryOfKind,
                               UnrecognizedProduct unrecognized) {
        public ProductRules {
            categoryOfKind = categoryOfKind == null ? Map.of() : categoryOfKind;
        }
    }

    /**
     * The outcome for an approved product, and where it goes: by the product's routing (with its own
     * explanation and citations where given), else by its kind, else {@code default}.
     * {@code withoutProduct} explains an answer that the item is an FDA-approved product, none named.
     */
    public record ApprovedProducts(Outcome outcome, Map<String, RoutedProducts> byRouting, Map<String, List<String>> byKind,
                                   @JsonProperty("default") List<String> defaultGovernedBy,
                                   String explanation, String withoutProduct, List<Citation> citations) {
        public ApprovedProducts {
            byRouting = byRouting == null ? Map.of() : byRouting;
            byKind = byKind == null ? Map.of() : byKind;
        }
    }

    /**
     * Approved products of one routing: where they go, and, where the general rule's words do not
     * fit them, their own explanation and citations (which then stand instead of the rule's).
     */
    public record RoutedProducts(List<String> governedBy, String explanation, List<Citation> citations) {
        public RoutedProducts {
            citations = citations == null ? List.of() : citations;
        }
    }

    /** A named product not on the reference list: ask instead of giving {@code whenOutcome}. */
    public record UnrecognizedProduct(Outcome whenOutcome, String question) {
    }

    /** Stage 3: one therapy category, its rule and the words that name it in free text. */
    public record CategoryRule(String label, Outcome outcome, Reason reason, List<String> governedBy, String explanation,
                               List<Citation> citations, List<String> citeAlso, List<String> synonyms) {
        public CategoryRule {
            citeAlso = citeAlso == null ? List.of() : citeAlso;
            synonyms = synonyms == null ? List.of() : synonyms;
        }
    }

    /** A code the policy names: a category it implies, or questions it raises. */
    public record PolicyCode(String code, List<String> ask, String category, Citation citation) {
        public PolicyCode {
            ask = ask == null ? List.of() : ask;
        }
    }

    /** Phrases that say an item may be the policy's without saying which category. */
    public record AskPhrases(String question, String subject, List<String> phrases, Citation citation) {
    }

    /** A question the engine asks; {@code {subject}} / {@code {product}} are filled in. */
    public record QuestionDefinition(String text, String explanation, List<Citation> citations,
                                     List<AnswerOptionDefinition> answerOptions) {
    }

    /**
     * One answer: it sets a {@code category}, or applies a {@code rule}: {@code approvedProduct},
     * {@code otherwise} or {@code continue} (decide as if the question had not been raised).
     */
    public record AnswerOptionDefinition(String code, String display, String category, String rule) {
    }

    /** A complete outcome with its explanation. */
    public record OutcomeRule(Outcome outcome, Reason reason, List<String> governedBy, String explanation,
                              List<Citation> citations) {
    }

    /** The member-notice text; {@code {appealWindowDays}} comes from the Medicare rules. */
    public record MemberNoticeTemplate(String financialResponsibility, String appealRights, List<String> whoMayAppeal,
                                       List<Citation> citations) {
    }

    /** Who may request a pre-service determination under this policy. */
    public record Requesters(List<RequesterRole> roles, Citation citation) {
    }
}
