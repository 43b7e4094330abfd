package org.medpolicy.core.policy.internal;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.policy.CodeList;
import org.medpolicy.core.policy.MedicareRules;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.policy.PolicyDocument.CategoryRule;
import org.medpolicy.core.policy.PolicyProblem;
import org.medpolicy.core.policy.ProductList;
import org.medpolicy.core.text.PhraseNormalizer;

/**
 * What a schema cannot say about policy data: that the sections of a policy refer to each other
 * correctly, that every quote of the policy is found word for word in its source document, that no
 * phrase means two things, that explanations use only the placeholders their rule fills in.
 * Each method adds every problem it finds; none throws. Stateless and thread-safe.
 *
 * <p>Long because it is a checklist: each block is one rule of the file format, in file order.
 */
public final class PolicyChecks {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Set<String> NO_PLACEHOLDERS = Set.of();
    private static final Set<String> CODE_PLACEHOLDERS = Set.of("codeSystem", "code", "deletedOn", "replacedBy", "validFrom");
    private static final Set<String> PRODUCT_PLACEHOLDERS = Set.of("product", "generic", "governedBy");
    private static final Set<String> QUESTION_PLACEHOLDERS = Set.of("subject", "product");
    private static final Set<String> NOTICE_PLACEHOLDERS = Set.of("appealWindowDays");
    private static final Set<String> ANSWER_RULES = Set.of("approvedProduct", "otherwise", "continue");

    private PolicyChecks() {
    }

    /** Checks one policy against itself, its source document text (null if missing) and the reference data. */
    public static void checkPolicy(PolicyDocument policy, String file, String expectedId, String expectedVersion,
                                   String sourceText, ProductList products, CodeList codes, List<PolicyProblem> problems) {
        BiConsumer<String, String> problem = (path, message) -> problems.add(new PolicyProblem(file, path, message));

        if (!policy.id().equals(expectedId)) {
            problem.accept("$.id", "is '" + policy.id() + "' but the file is in folder '" + expectedId + "'");
        }
        if (!policy.version().toString().equals(expectedVersion)) {
            problem.accept("$.version", "is " + policy.version() + " but the file is named " + expectedVersion + ".yaml");
        }
        var dates = policy.dates();
        if (dates.lastReview().isAfter(dates.nextReview())) {
            problem.accept("$.dates", "lastReview " + dates.lastReview() + " is after nextReview " + dates.nextReview());
        }
        if (dates.effectiveFrom().isBefore(dates.published())) {
            problem.accept("$.dates.effectiveFrom", "is before the publication date " + dates.published());
        }

        Set<String> authorities = policy.authorities().keySet();
        Set<String> categories = policy.categories().keySet();
        Set<String> questions = policy.questions().keySet();
        BiConsumer<String, List<String>> governedBy = (path, ids) -> {
            for (int i = 0; i < ids.size(); i++) {
                if (!authorities.contains(ids.get(i))) {
                    problem.accept(path + "[" + i + "]", "names authority '" + ids.get(i) + "', which is not in $.authorities");
                }
            }
        };
        BiConsumer<String, Citation> citation = (path, cited) -> checkCitation(path, cited, sourceText, problem);

        for (int i = 0; i < policy.hierarchy().size(); i++) {
            var level = policy.hierarchy().get(i);
            String path = "$.hierarchy[" + i + "]";
            if (level.authority() != null && !authorities.contains(level.authority())) {
                problem.accept(path + ".authority", "names '" + level.authority() + "', which is not in $.authorities");
            }
            eachCitation(path + ".citations", level.citations(), citation);
            for (int j = 0; j < level.notApplicable().size(); j++) {
                var row = level.notApplicable().get(j);
                if (!authorities.contains(row.authority())) {
                    problem.accept(path + ".notApplicable[" + j + "].authority", "names '" + row.authority() + "', which is not in $.authorities");
                }
                citation.accept(path + ".notApplicable[" + j + "].citation", row.citation());
            }
        }
        policy.citationSets().forEach((name, set) -> eachCitation("$.citationSets." + name, set, citation));

        var invalid = policy.invalidCode();
        checkRuleText("$.invalidCode.notValidForMedicare", invalid.notValidForMedicare(), CODE_PLACEHOLDERS, citation, problem);
        checkRuleText("$.invalidCode.deleted", invalid.deleted(), CODE_PLACEHOLDERS, citation, problem);
        checkRuleText("$.invalidCode.notYetValid", invalid.notYetValid(), CODE_PLACEHOLDERS, citation, problem);

        var productRules = policy.products();
        var approved = productRules.approved();
        if (approved.outcome() == Outcome.NOT_COVERED || approved.outcome() == Outcome.INFO_NEEDED) {
            problem.accept("$.products.approved.outcome", "an FDA-approved product cannot be " + approved.outcome() + " by this rule");
        }
        approved.byKind().forEach((kind, ids) -> governedBy.accept("$.products.approved.byKind." + kind, ids));
        Set<String> routings = new HashSet<>();
        products.products().forEach(p -> routings.add(p.routing()));
        approved.byRouting().forEach((routing, routed) -> {
            String path = "$.products.approved.byRouting." + routing;
            governedBy.accept(path + ".governedBy", routed.governedBy());
            if (routed.explanation() != null) {
                checkPlaceholders(path + ".explanation", routed.explanation(), PRODUCT_PLACEHOLDERS, problem);
            }
            eachCitation(path + ".citations", routed.citations(), citation);
            if (!routings.contains(routing)) {
                problem.accept(path, "no product of the reference list has routing " + routing);
            }
        });
        governedBy.accept("$.products.approved.default", approved.defaultGovernedBy());
        checkPlaceholders("$.products.approved.explanation", approved.explanation(), PRODUCT_PLACEHOLDERS, problem);
        checkPlaceholders("$.products.approved.withoutProduct", approved.withoutProduct(), Set.of("governedBy"), problem);
        var wording = policy.wording();
        wording.authority().forEach((type, words) -> checkPlaceholders("$.wording.authority." + type, words, Set.of("id", "title"), problem));
        checkPlaceholders("$.wording.other", wording.other(), Set.of("id", "title"), problem);
        checkPlaceholders("$.wording.none", wording.none(), Set.of(), problem);
        eachCitation("$.products.approved.citations", approved.citations(), citation);
        Set<String> kinds = new HashSet<>();
        products.products().forEach(p -> kinds.add(p.kind()));
        approved.byKind().keySet().stream().filter(kind -> !kinds.contains(kind)).forEach(kind ->
                problem.accept("$.products.approved.byKind." + kind, "no product of the reference list is of kind " + kind));
        productRules.categoryOfKind().forEach((kind, category) -> {
            if (!categories.contains(category)) {
                problem.accept("$.products.categoryOfKind." + kind, "names category '" + category + "', which is not in $.categories");
            }
        });
        if (productRules.unrecognized() != null && !questions.contains(productRules.unrecognized().question())) {
            problem.accept("$.products.unrecognized.question", "names question '" + productRules.unrecognized().question()
                    + "', which is not in $.questions");
        }

        policy.categories().forEach((id, category) -> checkCategory(policy, id, category, governedBy, citation, problem));
        checkPrecedence(policy, problem);
        checkCodes(policy, codes, citation, problem);
        checkPhrases(policy, products, problem);

        if (policy.askPhrases() != null) {
            if (!questions.contains(policy.askPhrases().question())) {
                problem.accept("$.askPhrases.question", "names question '" + policy.askPhrases().question() + "', which is not in $.questions");
            }
            citation.accept("$.askPhrases.citation", policy.askPhrases().citation());
        }
        policy.questions().forEach((id, question) -> {
            String path = "$.questions." + id;
            checkPlaceholders(path + ".text", question.text(), QUESTION_PLACEHOLDERS, problem);
            checkPlaceholders(path + ".explanation", question.explanation(), QUESTION_PLACEHOLDERS, problem);
            eachCitation(path + ".citations", question.citations(), citation);
            Set<String> answerCodes = new HashSet<>();
            for (int i = 0; i < question.answerOptions().size(); i++) {
                var option = question.answerOptions().get(i);
                String optionPath = path + ".answerOptions[" + i + "]";
                if (!answerCodes.add(option.code())) {
                    problem.accept(optionPath + ".code", "'" + option.code() + "' is listed twice");
                }
                if (option.category() != null && !categories.contains(option.category())) {
                    problem.accept(optionPath + ".category", "names '" + option.category() + "', which is not in $.categories");
                }
                if (option.rule() != null && !ANSWER_RULES.contains(option.rule())) {
                    problem.accept(optionPath + ".rule", "must be one of " + ANSWER_RULES);
                }
            }
        });

        var otherwise = policy.otherwise();
        governedBy.accept("$.otherwise.governedBy", otherwise.governedBy());
        checkPlaceholders("$.otherwise.explanation", otherwise.explanation(), NO_PLACEHOLDERS, problem);
        eachCitation("$.otherwise.citations", otherwise.citations(), citation);
        if ((otherwise.outcome() == Outcome.NOT_COVERED) != (otherwise.reason() != null)) {
            problem.accept("$.otherwise.reason", "is required with NOT_COVERED and only then");
        }

        var notice = policy.memberNotice();
        checkPlaceholders("$.memberNotice.financialResponsibility", notice.financialResponsibility(), NOTICE_PLACEHOLDERS, problem);
        checkPlaceholders("$.memberNotice.appealRights", notice.appealRights(), NOTICE_PLACEHOLDERS, problem);
        eachCitation("$.memberNotice.citations", notice.citations(), citation);
        citation.accept("$.requesters.citation", policy.requesters().citation());
    }

    private static void checkCategory(PolicyDocument policy, String id, CategoryRule category,
                                      BiConsumer<String, List<String>> governedBy, BiConsumer<String, Citation> citation,
                                      BiConsumer<String, String> problem) {
        String path = "$.categories." + id;
        governedBy.accept(path + ".governedBy", category.governedBy());
        checkPlaceholders(path + ".explanation", category.explanation(), NO_PLACEHOLDERS, problem);
        eachCitation(path + ".citations", category.citations(), citation);
        for (int i = 0; i < category.citeAlso().size(); i++) {
            if (!policy.citationSets().containsKey(category.citeAlso().get(i))) {
                problem.accept(path + ".citeAlso[" + i + "]", "names citation set '" + category.citeAlso().get(i)
                        + "', which is not in $.citationSets");
            }
        }
        if (category.outcome() == Outcome.NOT_COVERED && category.governedBy().isEmpty()) {
            problem.accept(path + ".governedBy", "a NOT_COVERED category must name the policy that governs it");
        }
    }

    private static void checkPrecedence(PolicyDocument policy, BiConsumer<String, String> problem) {
        var precedence = policy.descriptionPrecedence();
        for (int i = 0; i < precedence.size(); i++) {
            if (!policy.categories().containsKey(precedence.get(i))) {
                problem.accept("$.descriptionPrecedence[" + i + "]", "names '" + precedence.get(i) + "', which is not in $.categories");
            }
        }
        policy.categories().forEach((id, category) -> {
            if (!category.synonyms().isEmpty() && !precedence.contains(id)) {
                problem.accept("$.descriptionPrecedence", "must list " + id + ", which has synonyms");
            }
        });
    }

    private static void checkCodes(PolicyDocument policy, CodeList codes, BiConsumer<String, Citation> citation,
                                   BiConsumer<String, String> problem) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < policy.codes().size(); i++) {
            var code = policy.codes().get(i);
            String path = "$.codes[" + i + "]";
            if (!seen.add(code.code())) {
                problem.accept(path + ".code", code.code() + " is listed twice");
            }
            if (code.category() != null && !policy.categories().containsKey(code.category())) {
                problem.accept(path + ".category", "names '" + code.category() + "', which is not in $.categories");
            }
            for (int j = 0; j < code.ask().size(); j++) {
                if (!policy.questions().containsKey(code.ask().get(j))) {
                    problem.accept(path + ".ask[" + j + "]", "names question '" + code.ask().get(j) + "', which is not in $.questions");
                }
            }
            citation.accept(path + ".citation", code.citation());
        }
        Set<String> known = new HashSet<>();
        codes.codes().forEach(c -> known.add(c.code()));
        for (int i = 0; i < policy.codes().size(); i++) {
            if (!known.contains(policy.codes().get(i).code())) {
                problem.accept("$.codes[" + i + "].code", policy.codes().get(i).code()
                        + " is not in the code reference (policies/reference/codes.yaml)");
            }
        }
    }

    /** No normalized phrase may name two categories, a category and a product, or two products. */
    private static void checkPhrases(PolicyDocument policy, ProductList products, BiConsumer<String, String> problem) {
        Map<String, String> meaning = new HashMap<>();
        for (var product : products.products()) {
            for (String name : product.names()) {
                meaning.putIfAbsent(PhraseNormalizer.normalize(name), "product " + product.id());
            }
        }
        for (var shared : products.sharedNames()) {
            meaning.putIfAbsent(PhraseNormalizer.normalize(shared.name()), "the products " + shared.products());
        }
        policy.categories().forEach((id, category) -> {
            for (int i = 0; i < category.synonyms().size(); i++) {
                String synonym = category.synonyms().get(i);
                String normalized = PhraseNormalizer.normalize(synonym);
                String path = "$.categories." + id + ".synonyms[" + i + "]";
                if (normalized.isEmpty()) {
                    problem.accept(path, "'" + synonym + "' has no letters or digits");
                    continue;
                }
                String previous = meaning.putIfAbsent(normalized, "category " + id);
                if (previous != null && !previous.equals("category " + id)) {
                    problem.accept(path, "'" + synonym + "' reads as '" + normalized + "', which already names " + previous);
                }
            }
        });
        if (policy.askPhrases() != null) {
            for (int i = 0; i < policy.askPhrases().phrases().size(); i++) {
                String phrase = policy.askPhrases().phrases().get(i);
                String previous = meaning.get(PhraseNormalizer.normalize(phrase));
                if (previous != null) {
                    problem.accept("$.askPhrases.phrases[" + i + "]", "'" + phrase + "' already names " + previous);
                }
            }
        }
    }

    /** Checks the reference files on their own: unique ids, codes and names. */
    public static void checkReference(ProductList products, CodeList codes, MedicareRules rules, LocalDate earliestPolicy,
                                      List<PolicyProblem> problems) {
        String productsFile = "reference/fda-approved-products.yaml";
        Set<String> ids = new HashSet<>();
        Map<String, String> names = new HashMap<>();
        Map<String, String> hcpcs = new HashMap<>();
        for (int i = 0; i < products.products().size(); i++) {
            var product = products.products().get(i);
            String path = "$.products[" + i + "]";
            if (!ids.add(product.id())) {
                problems.add(new PolicyProblem(productsFile, path + ".id", "'" + product.id() + "' is listed twice"));
            }
            for (String name : product.names()) {
                String other = names.putIfAbsent(PhraseNormalizer.normalize(name), product.id());
                if (other != null && !other.equals(product.id())) {
                    problems.add(new PolicyProblem(productsFile, path, "name '" + name + "' also names product " + other));
                }
            }
            if (product.hcpcs() != null) {
                String other = hcpcs.putIfAbsent(product.hcpcs(), product.id());
                if (other != null) {
                    problems.add(new PolicyProblem(productsFile, path + ".hcpcs", product.hcpcs() + " is also the code of " + other));
                }
            }
            try {
                product.approvedOn();
            } catch (java.time.DateTimeException e) {
                problems.add(new PolicyProblem(productsFile, path + ".approved", "'" + product.approved() + "' is not a date"));
            }
        }
        Map<String, ProductList.Product> byId = new HashMap<>();
        products.products().forEach(product -> byId.putIfAbsent(product.id(), product));
        for (int i = 0; i < products.sharedNames().size(); i++) {
            var shared = products.sharedNames().get(i);
            String path = "$.sharedNames[" + i + "]";
            String owner = names.get(PhraseNormalizer.normalize(shared.name()));
            if (owner != null) {
                problems.add(new PolicyProblem(productsFile, path + ".name", "'" + shared.name() + "' is a name of product " + owner
                        + " alone; a shared name names no single product"));
            }
            Set<String> routingsOfShared = new HashSet<>();
            for (String id : shared.products()) {
                var product = byId.get(id);
                if (product == null) {
                    problems.add(new PolicyProblem(productsFile, path + ".products", "names product '" + id + "', which is not listed"));
                } else {
                    routingsOfShared.add(product.routing());
                }
            }
            if (routingsOfShared.size() > 1) {
                problems.add(new PolicyProblem(productsFile, path + ".products", "its products are routed differently "
                        + routingsOfShared + "; a name that does not say which product it is must not decide where it goes"));
            }
        }
        String codesFile = "reference/codes.yaml";
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < codes.codes().size(); i++) {
            var code = codes.codes().get(i);
            if (!seen.add(code.code())) {
                problems.add(new PolicyProblem(codesFile, "$.codes[" + i + "].code", code.code() + " is listed twice"));
            }
            if (code.validFrom() != null && code.deletedOn() != null && !code.deletedOn().isAfter(code.validFrom())) {
                problems.add(new PolicyProblem(codesFile, "$.codes[" + i + "]", "deletedOn is not after validFrom"));
            }
            if (code.isUnclassified() && hcpcs.containsKey(code.code())) {
                problems.add(new PolicyProblem(productsFile, "$.products", code.code() + " is an unclassified code, which never"
                        + " identifies a product, but it is given as the HCPCS code of " + hcpcs.get(code.code())));
            } else if (hcpcs.containsKey(code.code())) {
                problems.add(new PolicyProblem(codesFile, "$.codes[" + i + "].code", code.code()
                        + " is also the HCPCS code of product " + hcpcs.get(code.code())));
            }
        }
        String rulesFile = "reference/medicare-rules.yaml";
        if (earliestPolicy != null) {
            if (rules.decisionTimeframes().stream().noneMatch(t -> !t.from().isAfter(earliestPolicy))) {
                problems.add(new PolicyProblem(rulesFile, "$.decisionTimeframes", "no timeframe is in effect on " + earliestPolicy
                        + ", when a policy takes effect"));
            }
            if (rules.reconsiderationWindows().stream().noneMatch(w -> !w.from().isAfter(earliestPolicy))) {
                problems.add(new PolicyProblem(rulesFile, "$.reconsiderationWindows", "no window is in effect on " + earliestPolicy
                        + ", when a policy takes effect"));
            }
        }
    }

    private static void checkRuleText(String path, PolicyDocument.RuleText rule, Set<String> allowed,
                                      BiConsumer<String, Citation> citation, BiConsumer<String, String> problem) {
        checkPlaceholders(path + ".explanation", rule.explanation(), allowed, problem);
        eachCitation(path + ".citations", rule.citations(), citation);
    }

    private static void eachCitation(String path, List<Citation> citations, BiConsumer<String, Citation> check) {
        for (int i = 0; i < citations.size(); i++) {
            check.accept(path + "[" + i + "]", citations.get(i));
        }
    }

    private static void checkCitation(String path, Citation citation, String sourceText, BiConsumer<String, String> problem) {
        if (!citation.isPolicyPassage()) {
            return;
        }
        if (citation.section() == null || citation.quote() == null) {
            problem.accept(path, "a citation of the policy itself needs a section and a quote");
            return;
        }
        if (sourceText != null && !SourceText.contains(sourceText, citation.quote())) {
            problem.accept(path + ".quote", "is not found word for word in the source document: \"" + citation.quote() + "\"");
        }
    }

    private static void checkPlaceholders(String path, String text, Set<String> allowed, BiConsumer<String, String> problem) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            if (!allowed.contains(matcher.group(1))) {
                problem.accept(path, "uses {" + matcher.group(1) + "}, which this rule does not fill in"
                        + (allowed.isEmpty() ? " (it takes none)" : " (it takes " + allowed + ")"));
            }
        }
    }
}
