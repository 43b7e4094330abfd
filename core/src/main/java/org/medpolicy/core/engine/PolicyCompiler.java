package org.medpolicy.core.engine;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.medpolicy.core.determination.AnswerOption;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.determination.GovernedBy;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.PolicyReference;
import org.medpolicy.core.determination.ProductReference;
import org.medpolicy.core.determination.Question;
import org.medpolicy.core.policy.CodeList;
import org.medpolicy.core.policy.Confidence;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.policy.PolicyDocument.QuestionDefinition;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.ProductList;
import org.medpolicy.core.request.CodeSystem;
import org.medpolicy.core.policy.ProductList.Product;

/**
 * Compiles one policy version, with the library's reference data, into a {@link CompiledPolicy}:
 * fills every explanation template, resolves every authority and citation set, indexes codes,
 * categories and products, and builds the phrase matcher. The loader has already checked every
 * reference, so nothing here needs to guess. Stateless; each call builds a new compiled policy.
 */
final class PolicyCompiler {

    private static final String PART_B_DRUG = "PART_B_DRUG";

    private final PolicyDocument policy;
    private final PolicyLibrary library;
    private final String dataVersion;

    private PolicyCompiler(PolicyDocument policy, PolicyLibrary library, String dataVersion) {
        this.policy = policy;
        this.library = library;
        this.dataVersion = dataVersion;
    }

    /** {@code dataVersion}: the id of the policy set {@code library} was loaded from, or null. */
    static CompiledPolicy compile(PolicyDocument policy, PolicyLibrary library, String dataVersion) {
        return new PolicyCompiler(policy, library, dataVersion).compile();
    }

    private CompiledPolicy compile() {
        PhraseMatcher.Builder phrases = PhraseMatcher.builder();

        // Categories, indexed in order of description precedence so the lowest index wins a scan.
        List<String> order = new ArrayList<>(policy.descriptionPrecedence());
        policy.categories().keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
        Map<String, Integer> categoryIndex = new HashMap<>();
        ItemDetermination[] categories = new ItemDetermination[order.size()];
        for (int i = 0; i < order.size(); i++) {
            String id = order.get(i);
            var rule = policy.categories().get(id);
            categoryIndex.put(id, i);
            List<Citation> citations = new ArrayList<>(rule.citations());
            rule.citeAlso().forEach(set -> citations.addAll(policy.citationSets().get(set)));
            categories[i] = new ItemDetermination(0, rule.outcome(), rule.reason(), id, null, authorities(rule.governedBy()),
                    rule.explanation(), distinct(citations), null);
            for (String synonym : rule.synonyms()) {
                phrases.add(synonym, TextFindings.category(i));
            }
        }

        // Products, then the names several products share.
        List<Product> productList = library.products().products();
        CompiledPolicy.ProductEntry[] products = new CompiledPolicy.ProductEntry[productList.size()];
        Map<String, Integer> productByCode = new HashMap<>();
        Map<String, Product> productById = new HashMap<>();
        var approvedRule = policy.products().approved();
        for (int i = 0; i < productList.size(); i++) {
            Product product = productList.get(i);
            productById.put(product.id(), product);
            String kindCategory = policy.products().categoryOfKind().get(product.kind());
            var reference = new ProductReference(product.brand(), product.generic(), product.hcpcs());
            products[i] = new CompiledPolicy.ProductEntry(product.brand(), product.approvedOn(),
                    product.approvalConfidence() == Confidence.UNVERIFIED,
                    product.hcpcsConfidence() == Confidence.UNVERIFIED,
                    approvedDetermination(product, product.brand(), product.generic(), reference, kindCategory),
                    kindCategory == null ? -1 : categoryIndex.get(kindCategory), PART_B_DRUG.equals(product.benefit()));
            for (String name : product.names()) {
                phrases.add(name, TextFindings.product(i));
            }
            if (product.hcpcs() != null) {
                productByCode.put(product.hcpcs(), i);
            }
        }
        List<ProductList.SharedName> shared = library.products().sharedNames();
        CompiledPolicy.ProductEntry[] sharedNames = new CompiledPolicy.ProductEntry[shared.size()];
        for (int i = 0; i < shared.size(); i++) {
            ProductList.SharedName name = shared.get(i);
            List<Product> members = name.products().stream().map(productById::get).toList();
            Product first = members.stream().min(Comparator.comparing(Product::approvedOn)).orElseThrow();
            String brands = name.label() != null ? name.label() : describeBrands(members, policy.wording().or());
            String kindCategory = policy.products().categoryOfKind().get(first.kind());
            sharedNames[i] = new CompiledPolicy.ProductEntry(name.name() + " (" + brands + ")", first.approvedOn(),
                    first.approvalConfidence() == Confidence.UNVERIFIED, false,
                    approvedDetermination(first, name.name(), brands, null, kindCategory),
                    kindCategory == null ? -1 : categoryIndex.get(kindCategory),
                    members.stream().anyMatch(member -> PART_B_DRUG.equals(member.benefit())));
            phrases.add(name.name(), TextFindings.sharedName(i));
        }
        var approvedWithoutProduct = new ItemDetermination(0, approvedRule.outcome(), null, null, null,
                authorities(approvedRule.defaultGovernedBy()),
                approvedRule.withoutProduct().replace("{governedBy}", describe(authorities(approvedRule.defaultGovernedBy()))),
                approvedRule.citations(), null);

        // Questions and what their answers do.
        Map<String, Map<String, CompiledPolicy.AnswerEffect>> answers = new HashMap<>();
        policy.questions().forEach((id, question) -> {
            Map<String, CompiledPolicy.AnswerEffect> effects = new HashMap<>();
            for (var option : question.answerOptions()) {
                effects.put(option.code(), new CompiledPolicy.AnswerEffect(
                        option.category() == null ? -1 : categoryIndex.get(option.category()), option.rule()));
            }
            answers.put(id, Map.copyOf(effects));
        });

        // Codes: reference facts, the policy's own codes, product codes.
        Map<String, CompiledPolicy.CodeEntry> codes = compileCodes(categoryIndex, productByCode);

        ItemDetermination askByPhrase = null;
        List<String> askPhraseQuestions = List.of();
        if (policy.askPhrases() != null) {
            askPhraseQuestions = List.of(policy.askPhrases().question());
            askByPhrase = ask(policy.askPhrases().subject(), askPhraseQuestions, List.of(policy.askPhrases().citation()));
            for (String phrase : policy.askPhrases().phrases()) {
                phrases.add(phrase, TextFindings.ask());
            }
        }

        CompiledPolicy.ProductQuestion productQuestion = null;
        var unrecognized = policy.products().unrecognized();
        if (unrecognized != null) {
            QuestionDefinition definition = policy.questions().get(unrecognized.question());
            var template = new ItemDetermination(0, Outcome.INFO_NEEDED, null, null, null, List.of(), definition.explanation(),
                    definition.citations(), List.of(question(unrecognized.question(), definition, "")));
            productQuestion = new CompiledPolicy.ProductQuestion(unrecognized.question(), unrecognized.whenOutcome(),
                    definition.explanation(), definition.text(), template);
        }

        var rest = policy.otherwise();
        var otherwise = new ItemDetermination(0, rest.outcome(), rest.reason(), null, null, authorities(rest.governedBy()),
                rest.explanation(), rest.citations(), null);

        var dates = policy.dates();
        var current = new PolicyReference(policy.id(), policy.title(), policy.version(), dates.nextReview(), false, dataVersion);
        var overdue = new PolicyReference(policy.id(), policy.title(), policy.version(), dates.nextReview(), true, dataVersion);
        return new CompiledPolicy(policy, current, overdue, Map.copyOf(codes), phrases.build(), categories,
                Map.copyOf(categoryIndex), products, sharedNames, askByPhrase, askPhraseQuestions, approvedWithoutProduct, otherwise,
                Map.copyOf(answers), productQuestion);
    }

    /**
     * What an approved product gets, by its routing (whose own words and citations, where given,
     * stand instead of the rule's), else its kind, else the rule's default.
     */
    private ItemDetermination approvedDetermination(Product product, String name, String generic, ProductReference reference,
                                                    String kindCategory) {
        var rule = policy.products().approved();
        var routed = product.routing() == null ? null : rule.byRouting().get(product.routing());
        List<String> governedBy = routed != null ? routed.governedBy()
                : rule.byKind().getOrDefault(product.kind(), rule.defaultGovernedBy());
        List<GovernedBy> governing = authorities(governedBy);
        String template = routed != null && routed.explanation() != null ? routed.explanation() : rule.explanation();
        List<Citation> citations = routed != null && !routed.citations().isEmpty() ? routed.citations() : rule.citations();
        String explanation = template.replace("{product}", name).replace("{generic}", generic)
                .replace("{governedBy}", describe(governing));
        return new ItemDetermination(0, rule.outcome(), null, kindCategory, reference, governing, explanation, citations, null);
    }

    /** "Zolgensma or Itvisma"; "Hemacord, Ducord or …". */
    private static String describeBrands(List<Product> members, String or) {
        List<String> brands = members.stream().map(Product::brand).toList();
        return brands.size() == 1 ? brands.get(0)
                : String.join(", ", brands.subList(0, brands.size() - 1)) + or + brands.get(brands.size() - 1);
    }

    private Map<String, CompiledPolicy.CodeEntry> compileCodes(Map<String, Integer> categoryIndex,
                                                               Map<String, Integer> productByCode) {
        // A product's own code cannot be billed before it took effect (hcpcsFrom).
        Map<String, LocalDate> productCodeFrom = new HashMap<>();
        library.products().products().stream().filter(p -> p.hcpcs() != null && p.hcpcsFrom() != null)
                .forEach(p -> productCodeFrom.put(p.hcpcs(), p.hcpcsFrom()));
        Map<String, CodeList.CodeFact> facts = new HashMap<>();
        library.codes().codes().forEach(fact -> facts.put(fact.code(), fact));
        Map<String, PolicyDocument.PolicyCode> policyCodes = new HashMap<>();
        policy.codes().forEach(code -> policyCodes.put(code.code(), code));

        LinkedHashSet<String> all = new LinkedHashSet<>(facts.keySet());
        all.addAll(policyCodes.keySet());
        all.addAll(productByCode.keySet());
        Map<String, CompiledPolicy.CodeEntry> entries = new HashMap<>();
        var invalid = policy.invalidCode();
        for (String code : all) {
            CodeList.CodeFact fact = facts.get(code);
            PolicyDocument.PolicyCode own = policyCodes.get(code);
            String label = (fact == null ? (code.matches("\\d.*") ? "CPT" : "HCPCS") : fact.system().name()) + " " + code;
            List<Citation> factCitation = fact != null && fact.citation() != null ? List.of(fact.citation()) : List.of();

            ItemDetermination notValid = null;
            boolean notValidUnverified = false;
            ItemDetermination deleted = null;
            ItemDetermination notYetValid = null;
            LocalDate validFrom = fact == null ? productCodeFrom.get(code) : fact.validFrom();
            if (fact == null && validFrom != null) {
                notYetValid = invalidCode(invalid.notYetValid(), "HCPCS",
                        new CodeList.CodeFact(code, CodeSystem.HCPCS, code, CodeList.Status.VALID,
                                validFrom, null, List.of(), false, Confidence.VERIFIED, null), List.of());
            }
            if (fact != null) {
                String systemName = fact.system().name();
                if (fact.status() == CodeList.Status.NOT_MEDICARE) {
                    notValid = invalidCode(invalid.notValidForMedicare(), systemName, fact, factCitation);
                    notValidUnverified = fact.confidence() == Confidence.UNVERIFIED;
                }
                if (fact.deletedOn() != null) {
                    deleted = invalidCode(invalid.deleted(), systemName, fact, factCitation);
                }
                if (fact.validFrom() != null) {
                    notYetValid = invalidCode(invalid.notYetValid(), systemName, fact, factCitation);
                }
            }
            int category = own != null && own.category() != null ? categoryIndex.get(own.category()) : -1;
            ItemDetermination ask = null;
            List<String> askQuestions = List.of();
            if (own != null && !own.ask().isEmpty()) {
                askQuestions = own.ask();
                ask = ask(label, askQuestions, List.of(own.citation()));
            }
            entries.put(code, new CompiledPolicy.CodeEntry(code, notValid, notValidUnverified,
                    fact == null ? null : fact.deletedOn(), deleted, validFrom, notYetValid,
                    category, productByCode.getOrDefault(code, -1), ask, askQuestions));
        }
        return entries;
    }

    private ItemDetermination invalidCode(PolicyDocument.RuleText rule, String system, CodeList.CodeFact fact,
                                          List<Citation> factCitations) {
        String explanation = rule.explanation()
                .replace("{codeSystem}", system)
                .replace("{code}", fact.code())
                .replace("{deletedOn}", String.valueOf(fact.deletedOn()))
                .replace("{validFrom}", String.valueOf(fact.validFrom()))
                .replace("{replacedBy}", String.join(policy.wording().or(), fact.replacedBy().stream().map(c -> system + " " + c).toList()));
        List<Citation> citations = new ArrayList<>(rule.citations());
        citations.addAll(factCitations);
        return new ItemDetermination(0, Outcome.INVALID_CODE, null, null, null, List.of(), explanation, distinct(citations), null);
    }

    /** INFO_NEEDED for {@code subject}, asking {@code questionIds}; citations of the questions and the trigger. */
    private ItemDetermination ask(String subject, List<String> questionIds, List<Citation> triggerCitations) {
        List<Question> questions = new ArrayList<>();
        List<Citation> citations = new ArrayList<>(triggerCitations);
        StringBuilder explanation = new StringBuilder();
        for (String id : questionIds) {
            QuestionDefinition definition = policy.questions().get(id);
            questions.add(question(id, definition, subject));
            citations.addAll(definition.citations());
            if (explanation.length() > 0) {
                explanation.append(' ');
            }
            explanation.append(definition.explanation().replace("{subject}", subject));
        }
        return new ItemDetermination(0, Outcome.INFO_NEEDED, null, null, null, List.of(), explanation.toString(),
                distinct(citations), questions);
    }

    private static Question question(String id, QuestionDefinition definition, String subject) {
        List<AnswerOption> options = definition.answerOptions().stream()
                .map(option -> new AnswerOption(option.code(), option.display())).toList();
        return new Question(id, definition.text().replace("{subject}", subject), options);
    }

    private List<GovernedBy> authorities(List<String> ids) {
        return ids.stream().map(id -> {
            var authority = policy.authorities().get(id);
            return new GovernedBy(authority.type(), id, authority.title());
        }).toList();
    }

    /** The governing authorities in the policy's own words ({@code wording}): "Medicare's NCD 110.24 and the Medication Policy Manual". */
    private String describe(List<GovernedBy> governing) {
        var wording = policy.wording();
        List<String> names = governing.stream().map(g -> wording.authority().getOrDefault(g.type(), wording.other())
                .replace("{id}", g.id()).replace("{title}", g.title())).toList();
        if (names.isEmpty()) {
            return wording.none();
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + wording.and() + names.get(names.size() - 1);
    }

    private static List<Citation> distinct(List<Citation> citations) {
        return List.copyOf(new LinkedHashSet<>(citations));
    }
}
