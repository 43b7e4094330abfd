package org.medpolicy.app.http.api;

import org.medpolicy.core.policy.PolicyDiff;
import org.medpolicy.core.json.ContractJson;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medpolicy.core.policy.LoadedPolicy;
import org.medpolicy.core.policy.PolicyDocument;
import org.medpolicy.core.policy.PolicyLibrary;

/**
 * What {@code /v1/policies} shows: each policy, its versions and review status, and for one policy
 * its hierarchy and rules with their citations. Read-only views over the loaded library. Thread-safe.
 */
public final class PolicyViews {

    private final java.util.function.Supplier<PolicyLibrary> data;
    private final Clock clock;

    public PolicyViews(PolicyLibrary library, Clock clock) {
        this(() -> library, clock);
    }

    /** Views of whatever {@code data} holds when asked (the published data in use changes). */
    public PolicyViews(java.util.function.Supplier<PolicyLibrary> data, Clock clock) {
        this.data = data;
        this.clock = clock;
    }

    public Map<String, Object> list() {
        PolicyLibrary library = data.get();
        return Map.of("policies", library.policies().stream().map(p -> p.document().id()).distinct().map(id -> summary(library, id)).toList());
    }

    public Optional<Map<String, Object>> one(String id) {
        PolicyLibrary library = data.get();
        List<LoadedPolicy> versions = library.versionsOf(id);
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> view = summary(library, id);
        PolicyDocument latest = versions.get(versions.size() - 1).document();
        view.put("hierarchy", latest.hierarchy());
        Map<String, Object> categories = new LinkedHashMap<>();
        latest.categories().forEach((category, rule) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", rule.label());
            row.put("outcome", rule.outcome());
            row.put("reason", rule.reason());
            row.put("governedBy", rule.governedBy());
            row.put("explanation", rule.explanation());
            row.put("citations", rule.citations());
            categories.put(category, row);
        });
        view.put("categories", categories);
        view.put("authorities", latest.authorities());
        view.put("review", review(library, latest));
        return Optional.of(view);
    }

    /**
     * The review status of the newest version: when its review is due, whether it is overdue (and
     * since when), and what changed since the version published before it.
     */
    private Map<String, Object> review(PolicyLibrary library, PolicyDocument latest) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("version", latest.version());
        review.put("nextReview", latest.dates().nextReview());
        boolean overdue = library.isReviewOverdue(latest, today);
        review.put("overdue", overdue);
        review.put("overdueSince", overdue ? PolicyLibrary.reviewOverdueFrom(latest) : null);
        var previous = library.predecessorOf(latest);
        if (previous.isPresent()) {
            var diff = PolicyDiff.of(library, previous.get().document(), library, latest);
            Map<String, Object> changes = new LinkedHashMap<>();
            changes.put("from", previous.get().document().version());
            changes.put("to", latest.version());
            changes.putAll(ContractJson.mapper().convertValue(diff.toJson(), Map.class));
            review.put("changesSincePrevious", changes);
        } else {
            review.put("changesSincePrevious", null);
        }
        return review;
    }

    private Map<String, Object> summary(PolicyLibrary library, String id) {
        List<LoadedPolicy> versions = library.versionsOf(id);
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("title", versions.get(versions.size() - 1).document().title());
        view.put("versions", versions.stream().map(loaded -> {
            var document = loaded.document();
            var dates = document.dates();
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("version", document.version());
            version.put("effectiveFrom", dates.effectiveFrom());
            version.put("published", dates.published());
            version.put("lastReview", dates.lastReview());
            version.put("nextReview", dates.nextReview());
            version.put("reviewOverdue", library.isReviewOverdue(document, today));
            version.put("linesOfBusiness", document.linesOfBusiness());
            return version;
        }).toList());
        return view;
    }
}
