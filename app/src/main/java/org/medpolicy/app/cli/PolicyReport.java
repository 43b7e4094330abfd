package org.medpolicy.app.cli;

import org.medpolicy.core.policy.PolicyDiff;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.medpolicy.core.determination.Citation;
import org.medpolicy.core.policy.LoadedPolicy;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.policy.PolicyLibrary;

/**
 * The text of {@code medpolicy policy show}: what a policy author or reviewer needs to read a policy
 * without opening YAML: versions and review status, the coverage hierarchy, every rule with where
 * it is written, the codes and the products. Immutable; thread-safe.
 */
final class PolicyReport {

    private final PolicyLibrary library;
    private final Clock clock;

    PolicyReport(PolicyLibrary library, Clock clock) {
        this.library = library;
        this.clock = clock;
    }

    String render(String onlyId, String source) {
        StringBuilder text = new StringBuilder();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        text.append("Policies from ").append(source).append('\n');
        var ids = library.policies().stream().map(p -> p.document().id()).distinct()
                .filter(id -> onlyId == null || id.equals(onlyId)).toList();
        if (ids.isEmpty()) {
            text.append("\nNo policy").append(onlyId == null ? "" : " with id " + onlyId).append(".\n");
        }
        for (String id : ids) {
            List<LoadedPolicy> versions = library.versionsOf(id);
            text.append("\n== ").append(versions.get(versions.size() - 1).document().title()).append(" (").append(id).append(")\n");
            text.append("Versions:\n");
            for (LoadedPolicy loaded : versions) {
                var document = loaded.document();
                var dates = document.dates();
                boolean superseded = library.successorOf(document).isPresent();
                boolean overdue = library.isReviewOverdue(document, today);
                text.append(String.format("  %s  effective from %s, published %s, last review %s, next review %s  [%s]%n",
                        document.version(), dates.effectiveFrom(), dates.published(), dates.lastReview(), dates.nextReview(),
                        superseded ? "superseded" : overdue ? "REVIEW OVERDUE" : "current"));
                text.append("    lines of business: ").append(String.join(", ", document.linesOfBusiness()))
                        .append("; file ").append(loaded.file()).append('\n');
            }
            renderReview(versions.get(versions.size() - 1).document(), today, text);
            renderVersion(versions.get(versions.size() - 1).document(), text);
        }
        renderProducts(text);
        return text.toString();
    }

    /** Review status of the newest version, and what changed since the version published before it. */
    private void renderReview(PolicyDocument latest, LocalDate today, StringBuilder text) {
        text.append("Review: version ").append(latest.version()).append(", next review ").append(latest.dates().nextReview());
        if (library.isReviewOverdue(latest, today)) {
            text.append(", REVIEW OVERDUE since ").append(PolicyLibrary.reviewOverdueFrom(latest));
        }
        text.append('\n');
        var previous = library.predecessorOf(latest);
        if (previous.isEmpty()) {
            text.append("Changes since the last published version: none, this is the first published version.\n");
            return;
        }
        text.append("Changes since the last published version (").append(previous.get().document().version()).append(" → ")
                .append(latest.version()).append("):\n");
        for (String line : PolicyDiff.of(library, previous.get().document(), library, latest).toText().split("\n")) {
            text.append("  ").append(line).append('\n');
        }
    }

    private void renderVersion(PolicyDocument policy, StringBuilder text) {
        text.append("\nCoverage hierarchy (version ").append(policy.version()).append("), highest first:\n");
        for (var level : policy.hierarchy()) {
            text.append("  ").append(level.level()).append(": ").append(level.finding())
                    .append(level.authority() == null ? "" : " (" + level.authority() + ")")
                    .append(" — ").append(level.summary()).append('\n');
            cite(level.citations(), "      ", text);
            for (var row : level.notApplicable()) {
                text.append("      NCD ").append(row.authority()).append(" does not apply: ").append(row.why()).append('\n');
            }
        }

        text.append("\nHow an item is decided (first that applies):\n");
        text.append("  1. Invalid code -> INVALID_CODE (status \"I\", deleted before the date of service, or not yet valid)\n");
        var approved = policy.products().approved();
        text.append("  2. FDA-approved product (by brand, generic name, HCPCS code or in the description) -> ")
                .append(approved.outcome()).append(", by routing: ");
        approved.byRouting().forEach((routing, routed) -> text.append(routing).append(" ")
                .append(routed.governedBy().isEmpty() ? "(not addressed)" : routed.governedBy()).append("; "));
        approved.byKind().forEach((kind, ids) -> text.append("kind ").append(kind).append(" ").append(ids).append("; "));
        text.append("other ").append(approved.defaultGovernedBy()).append('\n');
        text.append("  3. Category (therapy, else code, else description):\n");
        policy.categories().forEach((id, rule) -> {
            text.append(String.format("     %-42s %s%s -> %s%n", id, rule.outcome(),
                    rule.reason() == null ? "" : " / " + rule.reason(),
                    rule.governedBy().isEmpty() ? "(not addressed)" : String.join(", ", rule.governedBy())));
            cite(rule.citations(), "        ", text);
            if (!rule.synonyms().isEmpty()) {
                text.append("        in free text: ").append(String.join("; ", rule.synonyms())).append('\n');
            }
        });
        text.append("  4. Codes and phrases that need an answer -> INFO_NEEDED\n");
        for (var code : policy.codes()) {
            if (!code.ask().isEmpty() || code.category() != null) {
                text.append("     ").append(code.code()).append(": ")
                        .append(code.category() != null ? "category " + code.category() : "asks " + code.ask()).append('\n');
            }
        }
        if (policy.askPhrases() != null) {
            text.append("     phrases: ").append(String.join("; ", policy.askPhrases().phrases())).append('\n');
        }
        policy.questions().forEach((id, question) -> text.append("     question ").append(id).append(": ").append(question.text())
                .append(" [").append(question.answerOptions().stream().map(o -> o.code()).collect(Collectors.joining(", ")))
                .append("]\n"));
        text.append("  5. Otherwise -> ").append(policy.otherwise().outcome()).append(": ").append(policy.otherwise().explanation())
                .append('\n');
        text.append("\nAuthorities:\n");
        policy.authorities().forEach((id, authority) -> text.append(String.format("  %-26s %-26s %s%n", id, authority.type(),
                authority.title())));
    }

    private void renderProducts(StringBuilder text) {
        text.append("\nFDA-approved products (reference data):\n");
        for (var product : library.products().products()) {
            text.append(String.format("  %-10s %-36s %-34s approved %-10s (%s)  HCPCS %s%n", product.brand(), product.generic(),
                    product.kind(), product.approved(), product.approvalConfidence().name().toLowerCase(java.util.Locale.ROOT),
                    product.hcpcs() == null ? "none" : product.hcpcs() + " (" + product.hcpcsConfidence().name()
                            .toLowerCase(java.util.Locale.ROOT) + ")"));
        }
        text.append("\nCodes (reference data):\n");
        for (var code : library.codes().codes()) {
            text.append(String.format("  %-6s %-5s %-12s %s%s%s%n", code.code(), code.system(), code.status(), code.description(),
                    code.validFrom() == null ? "" : "; valid from " + code.validFrom(),
                    code.deletedOn() == null ? "" : "; deleted " + code.deletedOn() + ", use " + code.replacedBy()));
        }
    }

    private static void cite(List<Citation> citations, String indent, StringBuilder text) {
        for (Citation citation : citations) {
            text.append(indent).append("cites ").append(citation.isPolicyPassage() ? "policy, " + citation.section() : citation.source());
            if (citation.quote() != null) {
                text.append(": \"").append(citation.quote()).append('"');
            }
            text.append('\n');
        }
    }
}
