package org.medpolicy.core.reconsideration;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.TextLimits;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.determination.ItemDetermination;
import org.medpolicy.core.determination.Outcome;
import org.medpolicy.core.problem.FieldError;

/**
 * What a reconsideration request must satisfy to be filed, checked all at once so every problem
 * is reported: a decided case with an adverse outcome (a favourable decision cannot be appealed);
 * a requester the rules allow; items of the request that were denied; a receipt time that is
 * neither in the future nor before the decision; a good-cause statement once the window (from the
 * date of the notice) has closed; no other reconsideration of the same items that is still open or
 * was decided (the next level is the IRE). Stateless.
 */
final class FilingRules {

    /** The problems found, and what filing fixes when there are none. */
    record Checked(List<FieldError> problems, List<Integer> items, Instant receivedAt, boolean expedited, Reconsideration.Filing filing) {
    }

    private static final int MAX_NAME = 200;

    private FilingRules() {
    }

    static Checked check(ReviewCase reviewCase, List<Reconsideration> earlier, NewReconsideration incoming, Instant now,
                         ReconsiderationClock clock) {
        if (reviewCase.decision() == null) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "A reconsideration is filed against a decided case; case "
                    + reviewCase.caseId() + " is " + reviewCase.state() + ".");
        }
        CaseOutcome outcome = reviewCase.decision().outcome();
        if (!outcome.isAdverse()) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Case " + reviewCase.caseId() + " was decided " + outcome
                    + ": a favourable decision cannot be appealed.", List.of(new FieldError("caseId", "was decided " + outcome)));
        }
        List<FieldError> problems = new ArrayList<>();
        Instant receivedAt = incoming.receivedAt() == null ? now : incoming.receivedAt();
        Instant decidedAt = reviewCase.decision().decidedAt();
        if (receivedAt.isAfter(now.plus(TextLimits.CLOCK_SKEW))) {
            problems.add(new FieldError("receivedAt", "is in the future (" + receivedAt + "); the clock starts when the plan receives the request"));
        } else if (receivedAt.isBefore(decidedAt)) {
            problems.add(new FieldError("receivedAt", "is before the decision (" + decidedAt + ") it appeals"));
        }
        var rules = clock.rulesFor(receivedAt);
        if (rules.isEmpty()) {
            problems.add(new FieldError("receivedAt", "no reconsideration rules are in effect in the policy data on that day"));
        }
        if (incoming.requestedBy() == null) {
            problems.add(new FieldError("requestedBy", "is required: MEMBER, REPRESENTATIVE or PHYSICIAN"));
        } else if (rules.isPresent() && !rules.get().whoMayRequest().contains(incoming.requestedBy().name())) {
            problems.add(new FieldError("requestedBy", incoming.requestedBy() + " may not ask for a reconsideration; "
                    + rules.get().whoMayRequest() + " may"));
        }
        if (incoming.requesterName() != null && incoming.requesterName().length() > MAX_NAME) {
            problems.add(new FieldError("requesterName", "is at most " + MAX_NAME + " characters"));
        }
        TextLimits.limited(incoming.reason(), "reason", problems);
        TextLimits.limited(incoming.goodCause(), "goodCause", problems);
        List<Integer> items = contested(reviewCase, incoming.items(), problems);

        Instant noticeAt = reviewCase.notifiedAt() != null ? reviewCase.notifiedAt() : decidedAt;
        LocalDate deadline = clock.filingDeadline(noticeAt);
        boolean late = clock.isLate(receivedAt, deadline);
        boolean goodCause = incoming.goodCause() != null && !incoming.goodCause().isBlank();
        if (late && !goodCause) {
            problems.add(new FieldError("goodCause", "is required: the window to ask closed on " + deadline
                    + " (counted from the date of the notice); a late request needs a good-cause statement"));
        }
        if (problems.isEmpty()) {
            for (Reconsideration other : earlier) {
                if (other.state() == ReconsiderationState.DISMISSED) {
                    continue;
                }
                Set<Integer> overlap = new LinkedHashSet<>(other.items());
                overlap.retainAll(items);
                if (!overlap.isEmpty()) {
                    throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Items " + overlap + " are already under reconsideration "
                            + other.reconsiderationId() + " (" + other.state() + ")" + (other.state().isOpen() ? ""
                            : "; after the plan's reconsideration the next level is the independent review entity") + ".");
                }
            }
        }
        return new Checked(problems, items, receivedAt, incoming.expedited(),
                new Reconsideration.Filing(deadline, late, late && goodCause ? incoming.goodCause().strip() : null));
    }

    /** The items contested: those named (each an item the case denied), or every denied item. */
    private static List<Integer> contested(ReviewCase reviewCase, List<Integer> named, List<FieldError> problems) {
        List<Integer> denied = deniedItems(reviewCase);
        if (named == null || named.isEmpty()) {
            return denied;
        }
        Set<Integer> items = new LinkedHashSet<>();
        int size = reviewCase.request().items().size();
        for (int i = 0; i < named.size(); i++) {
            Integer index = named.get(i);
            if (index == null || index < 0 || index >= size) {
                problems.add(new FieldError("items[" + i + "]", "names no item of the request (items are numbered from 0 to " + (size - 1) + ")"));
            } else if (!denied.contains(index)) {
                problems.add(new FieldError("items[" + i + "]", "item " + index + " was approved: a favourable decision cannot be appealed"));
            } else {
                items.add(index);
            }
        }
        return List.copyOf(items);
    }

    /**
     * The items a case denied: all of them when the decision is DENIED; for PARTIALLY_APPROVED, those
     * the engine did not find covered (or all, when the physician's partial decision departs from it).
     */
    static List<Integer> deniedItems(ReviewCase reviewCase) {
        List<Integer> all = new ArrayList<>();
        List<Integer> notCovered = new ArrayList<>();
        for (int index = 0; index < reviewCase.request().items().size(); index++) {
            all.add(index);
        }
        if (reviewCase.recommendation() != null) {
            for (ItemDetermination item : reviewCase.recommendation().items()) {
                if (item.outcome() != Outcome.COVERED) {
                    notCovered.add(item.index());
                }
            }
        }
        boolean partial = reviewCase.decision().outcome() == CaseOutcome.PARTIALLY_APPROVED;
        return partial && !notCovered.isEmpty() && notCovered.size() < all.size() ? notCovered : all;
    }
}
