package org.medpolicy.core.engine;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.determination.PolicyReference;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.request.RequestItem;

/**
 * One policy version compiled for deciding: every outcome the policy can give is built here once, as
 * an {@link ItemDetermination} with its explanation and citations filled in, and the decision of an
 * item only picks one by a few table lookups (code, category, product, text scan). Built by
 * {@link PolicyCompiler}. Immutable and thread-safe.
 *
 * <p>The stages of {@link #decideItem} are the file format's stages (see the policy file's header);
 * what each stage returns is data. The order is the engine's, the same for every policy.
 */
final class CompiledPolicy {

    /** A code the policy or the reference data knows. Any field may be null / -1 when it does not apply. */
    record CodeEntry(String code, ItemDetermination notValid, boolean notValidUnverified, LocalDate deletedOn,
                     ItemDetermination deleted, LocalDate validFrom, ItemDetermination notYetValid,
                     int category, int product, ItemDetermination ask, List<String> askQuestions) {
    }

    /**
     * A product, or a name several products share, and what it gets once approved. A shared name's
     * entry approves from the earliest of its products' dates and is a Part B drug if any is.
     */
    record ProductEntry(String name, LocalDate approvedOn, boolean approvalUnverified, boolean hcpcsUnverified,
                        ItemDetermination approved, int categoryOfKind, boolean partBDrug) {
    }

    /** What an answer does: set a category, or apply a rule. */
    record AnswerEffect(int category, String rule) {
    }

    /** A question with its INFO_NEEDED determination for a request that names an unrecognized product. */
    record ProductQuestion(String questionId, Outcome whenOutcome, String explanationTemplate, String textTemplate,
                           ItemDetermination template) {
    }

    final PolicyDocument document;
    final PolicyReference current;
    final PolicyReference overdue;
    final Map<String, CodeEntry> codes;
    final PhraseMatcher matcher;
    final ItemDetermination[] categories;
    final Map<String, Integer> categoryIndex;
    final ProductEntry[] products;
    final ProductEntry[] sharedNames;
    final ItemDetermination askByPhrase;
    final List<String> askPhraseQuestions;
    final ItemDetermination approvedWithoutProduct;
    final ItemDetermination otherwise;
    final Map<String, Map<String, AnswerEffect>> answers;
    final ProductQuestion productQuestion;

    CompiledPolicy(PolicyDocument document, PolicyReference current, PolicyReference overdue, Map<String, CodeEntry> codes,
                   PhraseMatcher matcher, ItemDetermination[] categories, Map<String, Integer> categoryIndex,
                   ProductEntry[] products, ProductEntry[] sharedNames, ItemDetermination askByPhrase, List<String> askPhraseQuestions,
                   ItemDetermination approvedWithoutProduct, ItemDetermination otherwise,
                   Map<String, Map<String, AnswerEffect>> answers, ProductQuestion productQuestion) {
        this.document = document;
        this.current = current;
        this.overdue = overdue;
        this.codes = codes;
        this.matcher = matcher;
        this.categories = categories;
        this.categoryIndex = categoryIndex;
        this.products = products;
        this.sharedNames = sharedNames;
        this.askByPhrase = askByPhrase;
        this.askPhraseQuestions = askPhraseQuestions;
        this.approvedWithoutProduct = approvedWithoutProduct;
        this.otherwise = otherwise;
        this.answers = answers;
        this.productQuestion = productQuestion;
    }

    LocalDate effectiveFrom() {
        return document.dates().effectiveFrom();
    }

    /** The decision for one item, with index 0; the caller stamps the index. */
    ItemDecision decideItem(RequestItem item, LocalDate dateOfService) {
        Notes notes = new Notes();
        CodeEntry code = item.code() == null ? null : codes.get(item.code().value());

        // The product the item names, if any: stage 2 decides by it, and even an item whose code
        // stage 1 refuses is a Part B drug request when it names an approved product.
        long productText = item.product() == null ? TextFindings.NONE : matcher.scan(item.product());
        long descriptionText = item.description() == null ? TextFindings.NONE : matcher.scan(item.description());
        ProductEntry product = pickProduct(item, code, productText, descriptionText, notes);
        boolean approved = product != null && isApproved(product, dateOfService, notes);

        // Stage 1: a code Medicare does not accept on the date of service.
        if (code != null) {
            ItemDetermination refused = refusal(code, item, dateOfService, notes);
            if (refused != null) {
                return new ItemDecision(refused, approved && product.partBDrug(), notes.list());
            }
        }

        // Stage 2: an FDA-approved product, named in the product field, by its code, or in the description.
        if (approved) {
            return new ItemDecision(product.approved(), product.partBDrug(), notes.list());
        }

        // Answers to questions asked earlier.
        int answeredCategory = -1;
        boolean answeredOtherwise = false;
        boolean answeredContinue = false;
        if (!item.answers().isEmpty()) {
            for (var answer : item.answers().entrySet()) {
                AnswerEffect effect = answers.getOrDefault(answer.getKey(), Map.of()).get(answer.getValue());
                if (effect == null) {
                    continue;
                }
                if (effect.category() >= 0) {
                    answeredCategory = effect.category();
                } else if ("approvedProduct".equals(effect.rule())) {
                    return ItemDecision.of(approvedWithoutProduct, notes);
                } else if ("otherwise".equals(effect.rule())) {
                    answeredOtherwise = true;
                } else {
                    answeredContinue = true;
                }
            }
        }

        // Stage 3: the category, from therapy, an answer, the code, the product's kind, or the description.
        int category = item.therapy() == null ? -1 : categoryIndex.getOrDefault(item.therapy(), -1);
        if (category < 0) {
            category = answeredCategory;
        }
        if (category < 0 && answeredOtherwise) {
            return ItemDecision.of(otherwise, notes);
        }
        if (category < 0 && code != null) {
            category = code.category();
        }
        if (category < 0 && product != null) {
            category = product.categoryOfKind();
        }
        if (category < 0) {
            category = TextFindings.category(descriptionText);
        }
        if (category >= 0) {
            ItemDetermination decided = categories[category];
            boolean unrecognizedProduct = item.product() != null && TextFindings.product(productText) < 0
                    && TextFindings.sharedName(productText) < 0;
            if (unrecognizedProduct && productQuestion != null && decided.outcome() == productQuestion.whenOutcome()
                    && !answeredContinue && !item.answers().containsKey(productQuestion.questionId())) {
                return ItemDecision.of(askAboutProduct(item.product(), decided), notes);
            }
            return ItemDecision.of(decided, notes);
        }

        // Stage 4: a code or phrase of this policy, but nothing says which therapy.
        if (code != null && code.ask() != null && !allAnswered(code.askQuestions(), item)) {
            return ItemDecision.of(code.ask(), notes);
        }
        if (askByPhrase != null && TextFindings.ask(descriptionText) && !allAnswered(askPhraseQuestions, item)) {
            return ItemDecision.of(askByPhrase, notes);
        }

        // Stage 5: not this policy's.
        return ItemDecision.of(otherwise, notes);
    }

    /** The stage-1 determination for a code Medicare does not accept on the date of service, or null. */
    private static ItemDetermination refusal(CodeEntry code, RequestItem item, LocalDate dateOfService, Notes notes) {
        if (code.notValid() != null) {
            if (!code.notValidUnverified()) {
                return code.notValid();
            }
            notes.add(item.code() + " is marked not valid for Medicare only by unverified reference data; that alone is not used to deny");
        }
        if (code.deletedOn() != null && !dateOfService.isBefore(code.deletedOn())) {
            return code.deleted();
        }
        if (code.validFrom() != null && dateOfService.isBefore(code.validFrom())) {
            return code.notYetValid();
        }
        return null;
    }

    private static boolean isApproved(ProductEntry product, LocalDate dateOfService, Notes notes) {
        if (!dateOfService.isBefore(product.approvedOn())) {
            return true;
        }
        if (product.approvalUnverified()) {
            notes.add(product.name() + "'s approval date " + product.approvedOn()
                    + " is unverified; it is treated as approved rather than used to deny");
            return true;
        }
        return false;
    }

    /**
     * The product field first, then the code, then the description; a product's own name before a
     * name several products share; disagreements become notes.
     */
    private ProductEntry pickProduct(RequestItem item, CodeEntry code, long productText, long descriptionText, Notes notes) {
        int named = TextFindings.product(productText);
        int coded = code == null ? -1 : code.product();
        int described = TextFindings.product(descriptionText);
        int product = named >= 0 ? named : coded >= 0 ? coded : described;
        if (product < 0) {
            int shared = TextFindings.sharedName(productText);
            if (shared < 0) {
                shared = TextFindings.sharedName(descriptionText);
            }
            if (shared < 0) {
                return null;
            }
            notes.add("the item names " + sharedNames[shared].name() + ", not which of them; decided as an FDA-approved product");
            return sharedNames[shared];
        }
        if (coded >= 0 && coded != product) {
            notes.add(item.code() + " is the code of " + products[coded].name() + ", but the item names "
                    + products[product].name() + "; decided as " + products[product].name());
        }
        if (described >= 0 && described != product || TextFindings.severalProducts(descriptionText)
                || TextFindings.severalProducts(productText)) {
            notes.add("the item names more than one product; decided as " + products[product].name());
        }
        if (product == coded && named < 0 && products[product].hcpcsUnverified()) {
            notes.add(item.code() + " is read as " + products[product].name() + " from reference data marked unverified");
        }
        return products[product];
    }

    private ItemDetermination askAboutProduct(String productName, ItemDetermination wouldBe) {
        ProductQuestion question = productQuestion;
        String name = productName.strip();
        var template = question.template();
        var asked = template.questions().get(0);
        var filled = new org.medpolicy.core.determination.Question(asked.id(),
                question.textTemplate().replace("{product}", name), asked.answerOptions());
        return new ItemDetermination(0, Outcome.INFO_NEEDED, null, wouldBe.category(), null, template.governedBy(),
                question.explanationTemplate().replace("{product}", name), template.citations(), List.of(filled));
    }

    private static boolean allAnswered(List<String> questions, RequestItem item) {
        if (item.answers().isEmpty()) {
            return false;
        }
        for (String question : questions) {
            if (!item.answers().containsKey(question)) {
                return false;
            }
        }
        return true;
    }
}
