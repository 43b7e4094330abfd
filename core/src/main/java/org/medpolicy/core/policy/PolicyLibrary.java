package org.medpolicy.core.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every policy version and the reference data they share, loaded and checked together. Policies are
 * ordered by id, then version. Immutable and thread-safe.
 */
public record PolicyLibrary(List<LoadedPolicy> policies, ProductList products, CodeList codes, MedicareRules medicareRules) {

    public PolicyLibrary {
        policies = policies.stream()
                .sorted(Comparator.comparing((LoadedPolicy p) -> p.document().id())
                        .thenComparing(p -> p.document().version()))
                .toList();
    }

    /** The versions of policy {@code id}, oldest first. */
    public List<LoadedPolicy> versionsOf(String id) {
        return policies.stream().filter(p -> p.document().id().equals(id)).toList();
    }

    /**
     * Whether {@code policy}'s review is overdue on {@code today}: its review month has ended and no
     * newer version of it exists. A policy past its review still applies; answers warn about it.
     */
    public boolean isReviewOverdue(PolicyDocument policy, java.time.LocalDate today) {
        return successorOf(policy).isEmpty() && !today.isBefore(reviewOverdueFrom(policy));
    }

    /** The first day on which {@code policy}'s review is overdue: the day after its review month ends. */
    public static java.time.LocalDate reviewOverdueFrom(PolicyDocument policy) {
        return policy.dates().nextReview().plusMonths(1).atDay(1);
    }

    /** The version of the same policy published before {@code policy}, if there is one. */
    public Optional<LoadedPolicy> predecessorOf(PolicyDocument policy) {
        LoadedPolicy previous = null;
        for (LoadedPolicy loaded : versionsOf(policy.id())) {
            if (!loaded.document().version().isBefore(policy.version())) {
                break;
            }
            previous = loaded;
        }
        return Optional.ofNullable(previous);
    }

    /** The newer version of the same policy after {@code policy}, if one exists. */
    public Optional<LoadedPolicy> successorOf(PolicyDocument policy) {
        return policies.stream()
                .map(LoadedPolicy::document)
                .filter(p -> p.id().equals(policy.id()) && p.version().isAfter(policy.version()))
                .findFirst()
                .flatMap(p -> policies.stream().filter(l -> l.document() == p).findFirst());
    }
}
