package org.medpolicy.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.medpolicy.core.policy.internal.DataFiles;
import org.medpolicy.core.policy.internal.PolicyChecks;

/**
 * Loads a policy folder: {@code reference/} (products, codes, Medicare rules) and one folder per
 * policy holding {@code <version>.yaml} files and their source documents. Everything is read and
 * checked before anything is returned; a folder with any problem fails whole, listing every problem
 * (file, path, what), so a malformed policy stops the service at start and never mid-decision.
 * Stateless and thread-safe.
 */
public final class PolicyLoader {

    static final String REFERENCE = "reference";
    private static final String PRODUCTS = "fda-approved-products.yaml";
    private static final String CODES = "codes.yaml";
    private static final String MEDICARE_RULES = "medicare-rules.yaml";

    private PolicyLoader() {
    }

    /** Loads and checks every policy and reference file under {@code root}. */
    public static PolicyLibrary load(Path root) {
        List<PolicyProblem> problems = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            throw new PolicyLoadException(List.of(new PolicyProblem(root.toString(), "", "is not a folder of policies")));
        }
        Reference reference = readReference(root.resolve(REFERENCE), problems);
        List<LoadedPolicy> policies = new ArrayList<>();
        for (Path file : policyFiles(root, problems)) {
            readPolicy(root, file, reference, problems).ifPresent(policies::add);
        }
        if (policies.isEmpty() && problems.isEmpty()) {
            problems.add(new PolicyProblem(root.toString(), "", "holds no policy (expected <policy-id>/<version>.yaml)"));
        }
        checkAcrossPolicies(policies, problems);
        if (reference.complete()) {
            LocalDate earliest = policies.stream().map(p -> p.document().dates().effectiveFrom())
                    .min(Comparator.naturalOrder()).orElse(null);
            PolicyChecks.checkReference(reference.products, reference.codes, reference.rules, earliest, problems);
        }
        if (!problems.isEmpty()) {
            throw new PolicyLoadException(problems);
        }
        return new PolicyLibrary(policies, reference.products, reference.codes, reference.rules);
    }

    /** Loads the policies packaged with medpolicy (the {@code policies/} folder of the build). */
    public static PolicyLibrary loadBundled() {
        return withBundledRoot(PolicyLoader::load);
    }

    /**
     * Checks one policy file, with the reference data of its folder's {@code ../reference} if there
     * is one, else the packaged reference data. Returns every problem; empty means valid.
     */
    public static List<PolicyProblem> check(Path policyFile) {
        Path file = policyFile.toAbsolutePath().normalize();
        Path root = file.getParent() == null ? null : file.getParent().getParent();
        if (!Files.isRegularFile(file)) {
            return List.of(new PolicyProblem(policyFile.toString(), "", "no such file"));
        }
        if (root != null && Files.isDirectory(root.resolve(REFERENCE))) {
            return checkWith(root, file);
        }
        return withBundledRoot(bundled -> checkWith(bundled, file));
    }

    private static List<PolicyProblem> checkWith(Path referenceRoot, Path file) {
        List<PolicyProblem> problems = new ArrayList<>();
        Reference reference = readReference(referenceRoot.resolve(REFERENCE), problems);
        readPolicy(file.getParent().getParent(), file, reference, problems);
        return problems;
    }

    private record Reference(ProductList products, CodeList codes, MedicareRules rules) {
        boolean complete() {
            return products != null && codes != null && rules != null;
        }
    }

    private static Reference readReference(Path folder, List<PolicyProblem> problems) {
        ProductList products = readFile(folder.resolve(PRODUCTS), REFERENCE + "/" + PRODUCTS, "medpolicy.products/1",
                ProductList.class, problems).orElse(null);
        CodeList codes = readFile(folder.resolve(CODES), REFERENCE + "/" + CODES, "medpolicy.codes/1",
                CodeList.class, problems).orElse(null);
        MedicareRules rules = readFile(folder.resolve(MEDICARE_RULES), REFERENCE + "/" + MEDICARE_RULES,
                "medpolicy.medicare-rules/1", MedicareRules.class, problems).orElse(null);
        return new Reference(products, codes, rules);
    }

    private static <T> Optional<T> readFile(Path file, String name, String schema, Class<T> type, List<PolicyProblem> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(new PolicyProblem(name, "", "is missing"));
            return Optional.empty();
        }
        Optional<JsonNode> tree = DataFiles.readTree(file, name, problems);
        if (tree.isEmpty() || !DataFiles.conformsToSchema(tree.get(), schema, name, problems)) {
            return Optional.empty();
        }
        return DataFiles.bind(tree.get(), type, name, problems);
    }

    private static List<Path> policyFiles(Path root, List<PolicyProblem> problems) {
        try (Stream<Path> folders = Files.list(root)) {
            List<Path> files = new ArrayList<>();
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                if (folder.getFileName().toString().equals(REFERENCE)) {
                    continue;
                }
                try (Stream<Path> inFolder = Files.list(folder)) {
                    List<Path> yaml = inFolder.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
                    if (yaml.isEmpty()) {
                        problems.add(new PolicyProblem(root.relativize(folder).toString(), "", "holds no <version>.yaml file"));
                    }
                    files.addAll(yaml);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<LoadedPolicy> readPolicy(Path root, Path file, Reference reference, List<PolicyProblem> problems) {
        String name = displayName(root, file);
        int before = problems.size();
        Optional<PolicyDocument> document = readFile(file, name, "medpolicy.policy/1", PolicyDocument.class, problems);
        if (document.isEmpty()) {
            return Optional.empty();
        }
        PolicyDocument policy = document.get();
        Path sourceFile = file.getParent().resolve(policy.source().document()).normalize();
        String sourceText = null;
        try {
            sourceText = Files.readString(sourceFile);
        } catch (IOException e) {
            problems.add(new PolicyProblem(name, "$.source.document", "cannot read " + policy.source().document()));
        }
        if (reference.complete()) {
            String folder = file.getParent().getFileName().toString();
            String version = file.getFileName().toString().replaceFirst("\\.yaml$", "");
            PolicyChecks.checkPolicy(policy, name, folder, version, sourceText, reference.products, reference.codes, problems);
        }
        return problems.size() == before ? Optional.of(new LoadedPolicy(policy, name, sourceText)) : Optional.empty();
    }

    private static void checkAcrossPolicies(List<LoadedPolicy> policies, List<PolicyProblem> problems) {
        Map<String, String> governing = new HashMap<>();
        for (LoadedPolicy loaded : policies) {
            for (String line : loaded.document().linesOfBusiness()) {
                String other = governing.putIfAbsent(line, loaded.document().id());
                if (other != null && !other.equals(loaded.document().id())) {
                    problems.add(new PolicyProblem(loaded.file(), "$.linesOfBusiness", "policy " + other
                            + " already governs " + line + "; a line of business has one policy per folder of policies"));
                }
            }
        }
    }

    private static String displayName(Path root, Path file) {
        try {
            return root.relativize(file).toString();
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    /** Runs {@code action} on the root of the policies packaged with this build. */
    static <T> T withBundled(Function<Path, T> action) {
        return withBundledRoot(action);
    }

    private static <T> T withBundledRoot(Function<Path, T> action) {
        URL marker = PolicyLoader.class.getResource("/policies/" + REFERENCE + "/" + CODES);
        if (marker == null) {
            throw new PolicyLoadException(List.of(new PolicyProblem("(classpath)/policies", "", "no policies are packaged with this build")));
        }
        try {
            URI uri = marker.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return action.apply(Path.of(uri).getParent().getParent());
            }
            FileSystem jar;
            boolean opened = false;
            try {
                jar = FileSystems.newFileSystem(uri, Map.of());
                opened = true;
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(uri);
            }
            try {
                return action.apply(jar.getPath("/policies"));
            } finally {
                if (opened) {
                    jar.close();
                }
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the packaged policies", e);
        }
    }
}
