package org.medpolicy.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.policy.LoadedPolicy;
import org.medpolicy.core.policy.PolicyDiff;
import org.medpolicy.core.policy.PolicyLibrary;
import org.medpolicy.core.policy.PolicyLoadException;
import org.medpolicy.core.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medpolicy policy diff OLD NEW}: what changed in rules, codes, products, questions,
 * citations and dates. Each side is a folder of policies (with its {@code reference/}), a policy
 * version file, or a version of the policies in {@code --policies} ({@code 2025-07-01} or
 * {@code ID@2025-07-01}). Both sides are loaded and checked completely first: a side that does not
 * load is reported with every problem. Exit 0 when nothing changed, 1 when something did, 2 when a
 * side cannot be read.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What changed between two sets of policy data: rules, codes, products, questions, citations, dates.",
                "OLD and NEW are folders of policies, policy version files, or versions (2025-07-01, ID@2025-07-01) of --policies.",
                "Exit 0 no change, 1 changes, 2 a side cannot be read."})
final class PolicyDiffCommand implements Callable<Integer> {

    static final int CHANGED = 1;

    @Parameters(index = "0", paramLabel = "OLD")
    String before;

    @Parameters(index = "1", paramLabel = "NEW")
    String after;

    @Option(names = "--json", description = "Print the changes as JSON (counts by section, and each change with its path).")
    boolean json;

    @Mixin
    PolicySource policies;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One side: a whole library, or one policy version with the library it was loaded from. */
    private record Side(PolicyLibrary library, LoadedPolicy version) {
    }

    /** A side that cannot be read: why, already worded for the user. */
    private static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        Side old;
        Side now;
        try {
            old = side(before);
            now = side(after);
        } catch (Unreadable e) {
            err.println("medpolicy: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        if ((old.version() == null) != (now.version() == null)) {
            err.println("medpolicy: compare a folder with a folder, or a policy version with a policy version");
            return ExitCodes.BAD_INPUT;
        }
        PolicyDiff diff = old.version() == null ? PolicyDiff.of(old.library(), now.library())
                : PolicyDiff.of(old.library(), old.version().document(), now.library(), now.version().document());
        if (json) {
            var document = diff.toJson();
            document.put("old", before);
            document.put("new", after);
            out.println(ContractJson.writePretty(document));
        } else {
            out.println("policy diff " + before + " → " + after);
            out.print(diff.toText());
        }
        out.flush();
        return diff.isEmpty() ? ExitCodes.OK : CHANGED;
    }

    private Side side(String operand) throws Unreadable {
        Path path = Path.of(operand);
        if (Files.isDirectory(path)) {
            return new Side(load(path), null);
        }
        if (Files.isRegularFile(path)) {
            Path file = path.toAbsolutePath().normalize();
            Path root = file.getParent() == null ? null : file.getParent().getParent();
            if (root == null) {
                throw new Unreadable(operand + " is not inside a folder of policies (<root>/<policy-id>/<version>.yaml)");
            }
            PolicyLibrary library = load(root);
            String name = root.relativize(file).toString().replace('\\', '/');
            LoadedPolicy version = library.policies().stream().filter(p -> p.file().replace('\\', '/').endsWith(name)).findFirst()
                    .orElseThrow(() -> new Unreadable(operand + " is not a policy version of " + root));
            return new Side(library, version);
        }
        PolicyLibrary library;
        try {
            library = policies.load();
        } catch (PolicyLoadException e) {
            throw new Unreadable(policies.describe() + " cannot be read:\n  " + String.join("\n  ", e.problems().stream()
                    .map(Object::toString).toList()));
        }
        String id = operand.contains("@") ? operand.substring(0, operand.indexOf('@')) : null;
        String version = operand.contains("@") ? operand.substring(operand.indexOf('@') + 1) : operand;
        List<LoadedPolicy> matches = library.policies().stream()
                .filter(p -> (id == null || p.document().id().equals(id)) && p.document().version().toString().equals(version)).toList();
        if (matches.size() != 1) {
            throw new Unreadable(operand + (matches.isEmpty() ? " is neither a folder, a file, nor a policy version of "
                    : " names more than one policy version of (say ID@VERSION) ") + policies.describe());
        }
        return new Side(library, matches.get(0));
    }

    private static PolicyLibrary load(Path root) throws Unreadable {
        try {
            return PolicyLoader.load(root);
        } catch (PolicyLoadException e) {
            throw new Unreadable(root + " cannot be read (" + e.problems().size() + " problem(s)):\n  "
                    + String.join("\n  ", e.problems().stream().map(Object::toString).toList()));
        }
    }
}
