package org.medpolicy.core.reconsideration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medpolicy.core.cases.Actor;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.cases.Role;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.policy.MedicareRules;
import org.medpolicy.core.problem.FieldError;

/**
 * Who may decide a reconsideration, and what a decision approves. The decider must have taken no
 * part in the organization determination: the case's history says who did (requested information,
 * added it, extended, decided, signed; receiving the request or sending the letter is not taking
 * part). Where a contested denial rested on medical necessity, the decider is a physician. Stateless.
 */
final class Deciders {

    /** The case actions that take part in deciding it. */
    private static final Set<String> DECIDING_ACTIONS = Set.of("REQUEST_INFORMATION", "RECONSIDER", "EXTEND", "DECIDE", "SIGN");

    private Deciders() {
    }

    static void requireUninvolved(Actor actor, ReviewCase reviewCase, List<CaseEvent> history) {
        for (CaseEvent event : history) {
            if (event.actor().equals(actor.name()) && DECIDING_ACTIONS.contains(event.action())) {
                throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, actor.name() + " took part in the organization determination ("
                        + event.action() + " on " + event.at() + "); a reconsideration is decided by someone who did not (42 CFR 422.590(h)(2)).");
            }
        }
        if (reviewCase.decision() != null && (actor.name().equals(reviewCase.decision().decidedBy())
                || actor.name().equals(reviewCase.decision().signedBy()))) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, actor.name() + " made the organization determination; a reconsideration "
                    + "is decided by someone who did not (42 CFR 422.590(h)(2)).");
        }
    }

    /**
     * A physician, when a contested item's denial was of a kind the rules reserve to physicians
     * ({@code physicianDecidesOutcomes}: not reasonable and necessary), or when the denial was a
     * physician's own judgement against the engine.
     */
    static void requirePhysicianWhereNeeded(Actor actor, ReviewCase reviewCase, Reconsideration reconsideration,
                                            MedicareRules.ReconsiderationRules rules) {
        if (actor.hasAny(Role.PHYSICIAN)) {
            return;
        }
        boolean medicalNecessity = reviewCase.decision() != null && reviewCase.decision().isOverride();
        if (reviewCase.recommendation() != null) {
            for (ItemDetermination item : reviewCase.recommendation().items()) {
                if (reconsideration.items().contains(item.index()) && rules.physicianDecidesOutcomes().contains(item.outcome().name())) {
                    medicalNecessity = true;
                }
            }
        }
        if (medicalNecessity) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "The denial rested on medical necessity: only a PHYSICIAN may reverse "
                    + "or uphold it on reconsideration (42 CFR 422.590(h)(2)).");
        }
    }

    /** The items a decision approves: all for REVERSED, none for UPHELD, those named (or the engine's covered ones) for PARTLY_REVERSED. */
    static List<Integer> reversedItems(Reconsideration reconsideration, ReconsiderationOutcome outcome, List<Integer> named,
                                       List<FieldError> problems) {
        List<Integer> contested = reconsideration.items();
        switch (outcome) {
            case REVERSED:
                return contested;
            case UPHELD:
                return List.of();
            default:
                break;
        }
        List<Integer> chosen = named == null || named.isEmpty() ? covered(reconsideration) : named;
        Set<Integer> unique = new LinkedHashSet<>();
        for (Integer index : chosen) {
            if (!contested.contains(index)) {
                problems.add(new FieldError("reversedItems", "item " + index + " is not contested in this reconsideration " + contested));
            } else {
                unique.add(index);
            }
        }
        if (unique.isEmpty() || unique.size() == contested.size()) {
            problems.add(new FieldError("reversedItems", "PARTLY_REVERSED approves some contested items and upholds the others: name the "
                    + "approved ones (of " + contested + ")"));
        }
        return List.copyOf(unique);
    }

    /** Whether the decision is the one the engine's new recommendation implies (then no rationale is needed). */
    static boolean agreesWithEngine(Reconsideration reconsideration, ReconsiderationOutcome outcome, List<Integer> reversed) {
        if (reconsideration.recommendation() == null) {
            return false;
        }
        for (ItemDetermination item : reconsideration.recommendation().items()) {
            if (reconsideration.items().contains(item.index()) && item.outcome() == Outcome.INFO_NEEDED) {
                return false;
            }
        }
        return Set.copyOf(covered(reconsideration)).equals(Set.copyOf(reversed));
    }

    private static List<Integer> covered(Reconsideration reconsideration) {
        List<Integer> covered = new ArrayList<>();
        if (reconsideration.recommendation() != null) {
            for (ItemDetermination item : reconsideration.recommendation().items()) {
                if (reconsideration.items().contains(item.index()) && item.outcome() == Outcome.COVERED) {
                    covered.add(item.index());
                }
            }
        }
        return covered;
    }
}
