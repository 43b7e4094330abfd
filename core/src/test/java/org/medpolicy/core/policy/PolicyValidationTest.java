package org.medpolicy.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way policy data can be wrong, each caught at load with the file, the path and what is
 * wrong: a copy of the real policies is broken one way per row, then loaded.
 */
class PolicyValidationTest {

    private static final String POLICY = "ma-immunological-cellular-gene-therapies/2025-07-01.yaml";
    private static final String PRODUCTS = "reference/fda-approved-products.yaml";
    private static final String CODES = "reference/codes.yaml";

    /** Replace the first {@code from} in {@code file} with {@code to}; expect a problem in {@code file} at {@code path} saying {@code says}. */
    record Breakage(String name, String file, String from, String to, String problemFile, String path, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Breakage> breakages() {
        return Stream.of(
                new Breakage("a required field missing", POLICY, "title: Immunological Cellular Therapies and Gene Therapies\n", "",
                        POLICY, "$", "title"),
                new Breakage("an unknown field", POLICY, "linesOfBusiness:", "colour: blue\nlinesOfBusiness:", POLICY, "$", "colour"),
                new Breakage("an outcome that does not exist", POLICY,
                        "  CAR_T:\n    label: \"CAR T-cell therapy\"\n    outcome: OUT_OF_SCOPE",
                        "  CAR_T:\n    label: \"CAR T-cell therapy\"\n    outcome: MAYBE", POLICY, "$.categories.CAR_T.outcome", ""),
                new Breakage("an authority that is not defined", POLICY, "governedBy: [\"110.24\", medication-policy-manual]\n    explanation: \"CAR T-cell",
                        "governedBy: [\"110.99\", medication-policy-manual]\n    explanation: \"CAR T-cell", POLICY,
                        "$.categories.CAR_T.governedBy[0]", "110.99"),
                new Breakage("a quote that is not in the seed", POLICY, "quote: \"Tumor-infiltrating lymphocytes;\"",
                        "quote: \"Tumour-infiltrating lymphocytes are covered;\"", POLICY,
                        "$.categories.TUMOR_INFILTRATING_LYMPHOCYTES.citations[0].quote", "not found word for word"),
                new Breakage("a policy citation without a quote", POLICY, "        quote: \"Tumor-infiltrating lymphocytes;\"\n", "",
                        POLICY, "$.categories.TUMOR_INFILTRATING_LYMPHOCYTES.citations[0]", "needs a section and a quote"),
                new Breakage("a code naming a missing category", POLICY, "{code: \"38225\", category: CAR_T,",
                        "{code: \"38225\", category: CAR_X,", POLICY, "$.codes[4].category", "CAR_X"),
                new Breakage("a synonym that means two categories", POLICY, "      - CIK cells\n", "      - TIL\n", POLICY,
                        "$.categories.TUMOR_INFILTRATING_LYMPHOCYTES.synonyms", "already names category CYTOKINE_INDUCED_KILLER_CELLS"),
                new Breakage("a placeholder the rule does not fill", POLICY,
                        "explanation: \"Cytokine-induced killer (CIK) cell therapy is investigational",
                        "explanation: \"{product} is investigational", POLICY,
                        "$.categories.CYTOKINE_INDUCED_KILLER_CELLS.explanation", "{product}"),
                new Breakage("a version that is not the file name", POLICY, "version: 2025-07-01", "version: 2025-07-02", POLICY,
                        "$.version", "2025-07-01.yaml"),
                new Breakage("broken YAML", POLICY, "categories:\n", "categories: [\n", POLICY, "line", "not valid YAML"),
                new Breakage("a duplicate key", POLICY, "linesOfBusiness:", "title: again\nlinesOfBusiness:", POLICY, "", "Duplicate"),
                new Breakage("NOT_COVERED without a reason", POLICY,
                        "    outcome: NOT_COVERED\n    reason: INVESTIGATIONAL\n    governedBy: [Medicine-42]\n    explanation: \"Adoptive",
                        "    outcome: NOT_COVERED\n    governedBy: [Medicine-42]\n    explanation: \"Adoptive", POLICY,
                        "$.categories.CYTOTOXIC_T_LYMPHOCYTES", "reason"),
                new Breakage("a category with synonyms but no precedence", POLICY, "  - GENE_THERAPY\n  - NON_CELLULAR", "  - NON_CELLULAR",
                        POLICY, "$.descriptionPrecedence", "GENE_THERAPY"),
                new Breakage("an answer naming a missing category", POLICY, "{code: CAR_T, display: \"CAR T-cell therapy\", category: CAR_T}",
                        "{code: CAR_T, display: \"CAR T-cell therapy\", category: CART}", POLICY, "$.questions.therapy.answerOptions[6].category", "CART"),
                new Breakage("two products with one HCPCS code", PRODUCTS, "hcpcs: Q2042", "hcpcs: Q2041", PRODUCTS,
                        "$.products[13].hcpcs", "Q2041 is also the code of kymriah"),
                new Breakage("a name two products share", PRODUCTS, "aliases: [axi-cel, axicabtagene]", "aliases: [axi-cel, Kymriah]",
                        PRODUCTS, "$.products[13]", "also names product kymriah"),
                new Breakage("an approval date that is not a date", PRODUCTS, "approved: 2024-04", "approved: 2024-13", PRODUCTS,
                        "approved", "2024-13"),
                new Breakage("an unknown product kind", PRODUCTS, "kind: CAR_T", "kind: car-t", PRODUCTS, "$.products[12].kind", ""),
                new Breakage("Medicare rules that do not name their line of business", "reference/medicare-rules.yaml",
                        "lineOfBusiness: MEDICARE_ADVANTAGE\n", "", "reference/medicare-rules.yaml", "$", "lineOfBusiness"),
                new Breakage("wording with a placeholder the engine does not fill", POLICY, "  other: \"the {title}\"",
                        "  other: \"the {name}\"", POLICY, "$.wording.other", "{name}"),
                new Breakage("an unknown routing", PRODUCTS, "routing: CAR_T", "routing: NCD_110_24", PRODUCTS, "$.products[12].routing", ""),
                new Breakage("a product without an approval date", PRODUCTS, "    approved: 2017-08-30\n", "", PRODUCTS,
                        "$.products[12]", "approved"),
                new Breakage("an unclassified code given as a product's code", PRODUCTS, "hcpcs: Q2043", "hcpcs: J3490", PRODUCTS,
                        "$.products", "J3490 is an unclassified code"),
                new Breakage("a shared name naming an unknown product", PRODUCTS, "products: [zolgensma, itvisma]",
                        "products: [zolgensma, itvisma-it]", PRODUCTS, "$.sharedNames[0].products", "'itvisma-it', which is not listed"),
                new Breakage("a shared name over products routed differently", PRODUCTS, "products: [zolgensma, itvisma]",
                        "products: [zolgensma, kymriah]", PRODUCTS, "$.sharedNames[0].products", "routed differently"),
                new Breakage("a shared name that is one product's own name", PRODUCTS, "  - name: onasemnogene abeparvovec\n",
                        "  - name: Itvisma\n", PRODUCTS, "$.sharedNames[0].name", "is a name of product itvisma"),
                new Breakage("a routing rule for a routing no product has", POLICY, "      NCD_110_22:\n",
                        "      NCD_110_23:\n", POLICY, "$.products.approved.byRouting.NCD_110_23", "no product of the reference list"),
                new Breakage("a code twice", CODES, "  - code: \"37799\"", "  - code: \"36511\"", CODES, "$.codes[1].code", "listed twice"),
                new Breakage("a deleted code without a replacement", CODES, "    replacedBy: [\"38225\"]\n", "", CODES, "$.codes[8]",
                        "replacedBy"));
    }

    @TempDir
    Path temporary;

    private Path copyOfRealPolicies() throws IOException, URISyntaxException {
        Path source = Path.of(PolicyValidationTest.class.getResource("/policies/reference/codes.yaml").toURI()).getParent().getParent();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = temporary.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return temporary;
    }

    private static void replace(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("the row's text to break must exist in " + file).contains(from);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    @Test
    void theRealPoliciesAreValid() throws Exception {
        PolicyLibrary library = PolicyLoader.load(copyOfRealPolicies());
        assertThat(library.policies()).hasSize(1);
        assertThat(PolicyLoader.check(temporary.resolve(POLICY))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void isCaughtAtLoadWithFilePathAndProblem(Breakage breakage) throws Exception {
        Path root = copyOfRealPolicies();
        replace(root.resolve(breakage.file()), breakage.from(), breakage.to());

        PolicyLoadException thrown = catchThrowableOfType(PolicyLoadException.class, () -> PolicyLoader.load(root));
        assertThat(thrown).as("loading must fail").isNotNull();
        assertThat(thrown.problems()).as("problems: %s", thrown.problems()).anySatisfy(problem -> {
            assertThat(problem.file()).isEqualTo(breakage.problemFile());
            assertThat(problem.path()).contains(breakage.path());
            assertThat(problem.message()).contains(breakage.says());
        });
        if (breakage.file().equals(POLICY)) {
            assertThat(PolicyLoader.check(root.resolve(POLICY))).as("validate FILE finds it too").isNotEmpty();
        }
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() throws Exception {
        Path root = copyOfRealPolicies();
        replace(root.resolve(POLICY), "version: 2025-07-01", "version: 2025-07-02");
        replace(root.resolve(POLICY), "quote: \"Tumor-infiltrating lymphocytes;\"", "quote: \"not in the seed\"");
        replace(root.resolve(PRODUCTS), "hcpcs: Q2042", "hcpcs: Q2041");
        PolicyLoadException thrown = catchThrowableOfType(PolicyLoadException.class, () -> PolicyLoader.load(root));
        assertThat(thrown.problems()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(thrown.getMessage()).contains("$.version").contains("quote").contains("Q2041");
    }

    @Test
    void missingFilesAndFolders() throws Exception {
        Path root = copyOfRealPolicies();
        Files.delete(root.resolve(CODES));
        var thrown = catchThrowableOfType(PolicyLoadException.class, () -> PolicyLoader.load(root));
        assertThat(thrown.problems()).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(CODES);
            assertThat(p.message()).isEqualTo("is missing");
        });
        var none = catchThrowableOfType(PolicyLoadException.class, () -> PolicyLoader.load(temporary.resolve("nowhere")));
        assertThat(none.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("not a folder"));
        assertThat(PolicyLoader.check(temporary.resolve("nowhere.yaml"))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("no such file"));
    }

    @Test
    void twoPoliciesCannotGovernOneLineOfBusiness() throws Exception {
        Path root = copyOfRealPolicies();
        Path twin = root.resolve("twin-policy");
        Files.createDirectories(twin.resolve("source"));
        Files.copy(root.resolve("ma-immunological-cellular-gene-therapies/source/2025-07-01.md"), twin.resolve("source/2025-07-01.md"));
        String text = Files.readString(root.resolve(POLICY)).replace("id: ma-immunological-cellular-gene-therapies", "id: twin-policy");
        Files.writeString(twin.resolve("2025-07-01.yaml"), text);
        var thrown = catchThrowableOfType(PolicyLoadException.class, () -> PolicyLoader.load(root));
        assertThat(thrown.problems()).anySatisfy(p -> assertThat(p.message()).contains("already governs MEDICARE_ADVANTAGE"));
    }

    @Test
    void theSourceDocumentIsTheSeedWordForWord() throws Exception {
        Path seed = Path.of("..", "..", "shared", "seed", "immunological-cellular-and-gene-therapies.md");
        Path copy = Path.of(PolicyValidationTest.class.getResource("/policies/ma-immunological-cellular-gene-therapies/source/2025-07-01.md").toURI());
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(seed), "shared/seed is beside the project");
        assertThat(Files.readString(copy)).isEqualTo(Files.readString(seed));
    }

    @Test
    void aQuoteIsReadAsPlainText() {
        assertThat(org.medpolicy.core.policy.internal.SourceText.contains("This policy does **not** address:\n  - <li>FDA</li>",
                "This policy does not address: - FDA")).isTrue();
        assertThat(org.medpolicy.core.policy.internal.SourceText.contains("See [Policy No. 42](#) now", "See Policy No. 42 now")).isTrue();
        assertThat(org.medpolicy.core.policy.internal.SourceText.contains("is not covered", "is covered")).isFalse();
        assertThat(List.of()).isEmpty();
    }
}
