package org.medpolicy.core.cases;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.engine.TimeOrderedIds;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.Urgency;

/**
 * The rules of an organization determination, one method per action. Each checks who acts (their
 * roles), that the case is in a state the action may leave, and what the action needs (a reason, a
 * rationale, a physician's signature); then writes the changed case and its history event together.
 * A refused action throws {@link CaseRefusal} and changes nothing.
 *
 * <p>Thread-safe: concurrent actions on one case are serialized by the repository's version check;
 * the loser gets 409 and may retry on the fresh case.
 */
public final class CaseService {

    /**
     * A request arriving: the channel it came by, the checked request, who asked, and whether
     * expedited review was asked for.
     */
    public record NewCase(Channel channel, CoverageRequest request, Contact requester, boolean expedited,
                          boolean expeditedByPhysician) {
    }

    private final DeterminationService determinations;
    private final CaseRepository cases;
    private final CaseClock clock;
    private final Clock time;
    private final java.util.List<CaseListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CaseService(DeterminationService determinations, CaseRepository cases, CaseClock clock, Clock time) {
        this.determinations = determinations;
        this.cases = cases;
        this.clock = clock;
        this.time = time;
    }

    public CaseClock clock() {
        return clock;
    }

    /** Adds a listener told of every stored change (decisions, withdrawals, …). */
    public void addListener(CaseListener listener) {
        listeners.add(listener);
    }

    public ReviewCase create(NewCase incoming, Actor actor) {
        require(actor, "create a case", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        CoverageRequest request = incoming.request();
        if (request.kind() != RequestKind.PRE_SERVICE) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "An organization determination is a PRE_SERVICE request; this one is " + request.kind() + ".");
        }
        Instant now = now();
        Instant receivedAt = receipt(request, actor, now);
        boolean expedited = incoming.expedited() || incoming.expeditedByPhysician() || request.urgency() == Urgency.EXPEDITED;
        // Decided once, as received and with the urgency the case gets, so the determination's
        // decisionDueBy is the case's due time (one rule: the engine's regulatory clock).
        var decided = determinations.decide(incoming.channel(), actor.name(),
                request.received(receivedAt, expedited ? Urgency.EXPEDITED : request.urgency()));
        Determination determination = decided.determination();
        boolean partBDrug = decided.partBDrug();
        Instant due = determination.decisionDueBy();
        CaseOutcome recommended = CaseOutcome.recommendedBy(determination.status());
        CaseState next = recommended == null ? CaseState.PENDED : CaseState.RECOMMENDED;

        String caseId = TimeOrderedIds.next(now.toEpochMilli());
        List<CaseEvent> events = new ArrayList<>(2);
        events.add(new CaseEvent(caseId, 1, now, actor.name(), "RECEIVE", null, CaseState.RECEIVED,
                (expedited ? "expedited" + (incoming.expeditedByPhysician() ? " (requested by a physician)" : "") : "standard")
                        + (partBDrug ? ", Part B drug" : "") + statedNote(request, actor)));
        events.add(new CaseEvent(caseId, 2, now, Actor.ENGINE.name(), "RECOMMEND", CaseState.RECEIVED, next, recommendationNote(determination)));
        ReviewCase created = new ReviewCase(caseId, next, receivedAt, expedited, incoming.expeditedByPhysician(), partBDrug, due, due,
                null, request, incoming.requester(), determination, recommended, null, null,
                actor.name(), 2);
        cases.create(created, events);
        return created;
    }

    /**
     * A request no policy of the plan decides (no version in effect on its date of service, a line
     * of business the policies do not govern), filed so a person decides it: PENDED with no engine
     * recommendation, on the regulatory clock like every case. What a PAS client sends is a
     * business case, answered with a ClaimResponse, never an error. {@code why} is the engine's.
     */
    public ReviewCase createForReview(NewCase incoming, Actor actor, String why) {
        require(actor, "create a case", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        CoverageRequest request = incoming.request();
        Instant now = now();
        Instant receivedAt = receipt(request, actor, now);
        boolean expedited = incoming.expedited() || incoming.expeditedByPhysician() || request.urgency() == Urgency.EXPEDITED;
        Instant due = clock.dueAt(receivedAt, expedited, false);
        String caseId = TimeOrderedIds.next(now.toEpochMilli());
        List<CaseEvent> events = List.of(
                new CaseEvent(caseId, 1, now, actor.name(), "RECEIVE", null, CaseState.RECEIVED,
                        (expedited ? "expedited" : "standard") + statedNote(request, actor)),
                new CaseEvent(caseId, 2, now, Actor.ENGINE.name(), "UNDECIDABLE", CaseState.RECEIVED, CaseState.PENDED,
                        limitedTo(why) + "; a reviewer decides"));
        ReviewCase created = new ReviewCase(caseId, CaseState.PENDED, receivedAt, expedited, incoming.expeditedByPhysician(), false, due, due,
                null, request.received(receivedAt, expedited ? Urgency.EXPEDITED : request.urgency()), incoming.requester(), null, null,
                null, null, actor.name(), 2);
        cases.create(created, events);
        return created;
    }

    /**
     * When the plan received the request: now, unless intake staff (or a client filing cases, which
     * acts as intake) state an earlier time, as they do for a request that came by fax or mail.
     * Who states the receipt time sets the regulatory clock, so nobody else may, and no one may
     * state a time in the future.
     */
    private static Instant receipt(CoverageRequest request, Actor actor, Instant now) {
        if (request.receivedAt() == null) {
            return now;
        }
        if (!actor.hasAny(Role.INTAKE)) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "Only intake staff state when a request was received "
                    + "(receivedAt); leave it out and the case is received now.");
        }
        if (request.receivedAt().isAfter(now.plus(TextLimits.CLOCK_SKEW))) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "A request cannot have been received in the future ("
                    + request.receivedAt() + "); the clock of a case starts when the plan receives it.");
        }
        return request.receivedAt();
    }

    /** The history's record of a stated receipt time: who said when. */
    private static String statedNote(CoverageRequest request, Actor actor) {
        return request.receivedAt() == null ? "" : "; received " + request.receivedAt() + " as stated by " + actor.name();
    }

    private static String limitedTo(String why) {
        String text = why == null || why.isBlank() ? "no policy of this plan decides the request" : why.strip();
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    public ReviewCase requestInformation(String caseId, Actor actor, String reason) {
        require(actor, "request information", Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        return change(current, current.withState(CaseState.PENDED), actor, "REQUEST_INFORMATION", TextLimits.required(reason, "reason"));
    }

    /**
     * Information received: the engine decides again on the updated request (as received when the
     * case was, with the case's urgency), through {@code channel}, recorded like every determination.
     */
    public ReviewCase reconsider(String caseId, Actor actor, Channel channel, CoverageRequest updated, String reason) {
        require(actor, "record information received", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        if (current.state() != CaseState.PENDED && current.state() != CaseState.RECOMMENDED) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Information can be added while the case is PENDED or RECOMMENDED; it is " + current.state() + ".");
        }
        TextLimits.limited(reason, "reason");
        var decided = determinations.decide(channel, actor.name(),
                updated.received(current.receivedAt(), current.expedited() ? Urgency.EXPEDITED : updated.urgency()));
        Determination determination = decided.determination();
        CaseOutcome recommended = CaseOutcome.recommendedBy(determination.status());
        CaseState next = recommended == null ? CaseState.PENDED : CaseState.RECOMMENDED;
        String note = (reason == null || reason.isBlank() ? "information received" : reason.strip()) + "; " + recommendationNote(determination);
        return change(current, current.withRecommendation(updated, determination, recommended, next), actor,
                "RECONSIDER", note);
    }

    public ReviewCase extend(String caseId, Actor actor, int days, String reason) {
        require(actor, "extend the deadline", Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        if (!current.state().isOpen()) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Only an undecided case can be extended; this one is " + current.state() + ".");
        }
        if (current.extension() != null) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The case was already extended on " + current.extension().grantedAt() + "; only one extension is allowed.");
        }
        int max = clock.maxExtensionDays(current.receivedAt(), current.partBDrug());
        if (max == 0) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, current.partBDrug() ? "A Part B drug request cannot be extended."
                    : "No extension is allowed for requests received on this date.");
        }
        if (days < 1 || days > max) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "An extension is 1 to " + max + " calendar days; " + days + " was asked.");
        }
        String why = TextLimits.required(reason, "reason");
        Instant now = now();
        ReviewCase extended = current.withExtension(new CaseExtension(days, why, actor.name(), now), clock.extend(current.dueAt(), days));
        return change(current, extended, actor, "EXTEND", days + " days: " + why);
    }

    /**
     * Decides the case. An adverse outcome is a decision only when a physician makes it (their
     * decision is their signature); an outcome other than the engine's needs a written rationale.
     */
    public ReviewCase decide(String caseId, Actor actor, CaseOutcome outcome, String rationale) {
        require(actor, "decide", Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        // A case the engine could not decide at all (no recommendation) is decided by a person from PENDED.
        boolean forReview = current.state() == CaseState.PENDED && current.recommendation() == null;
        if (current.state() != CaseState.RECOMMENDED && !forReview) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "A case is decided from RECOMMENDED; this one is " + current.state() + ".");
        }
        boolean physician = actor.hasAny(Role.PHYSICIAN);
        if (outcome.isAdverse() && !physician) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "An adverse decision (" + outcome + ") must be signed by a physician (42 CFR 422.566(d)).");
        }
        boolean override = outcome != current.recommended();
        TextLimits.limited(rationale, "rationale");
        if (override && (rationale == null || rationale.isBlank())) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Deciding " + outcome + " against the engine's " + current.recommended()
                    + " needs a written rationale.");
        }
        CaseDecision decision = new CaseDecision(outcome, current.recommended(), rationale == null ? null : rationale.strip(),
                actor.name(), outcome.isAdverse() || physician ? actor.name() : null, now());
        return change(current, current.withDecision(decision), actor, outcome.isAdverse() ? "SIGN" : "DECIDE",
                outcome + (override ? " (override of " + current.recommended() + "): " + decision.rationale() : ""));
    }

    /** Records that the notice was sent: {@code pdf} is what the requester received. */
    public ReviewCase notify(String caseId, Actor actor, byte[] pdf) {
        require(actor, "send the notice", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        if (current.state() != CaseState.DECIDED) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "A notice is sent once the case is DECIDED; this one is " + current.state() + ".");
        }
        ReviewCase notified = change(current, current.withNotice(now()), actor, "NOTIFY", current.decision().outcome() + " notice sent");
        cases.saveNotice(caseId, pdf);
        return notified;
    }

    public ReviewCase withdraw(String caseId, Actor actor, String reason) {
        require(actor, "withdraw a case", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        ReviewCase current = load(caseId);
        return change(current, current.withState(CaseState.WITHDRAWN), actor, "WITHDRAW", TextLimits.required(reason, "reason"));
    }

    public ReviewCase load(String caseId) {
        return cases.find(caseId).orElseThrow(() -> new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "No case has id " + caseId + "."));
    }

    private ReviewCase change(ReviewCase current, ReviewCase changed, Actor actor, String action, String reason) {
        if (!current.state().next().contains(changed.state())) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, action.replace('_', ' ').toLowerCase(java.util.Locale.ROOT) + " is not possible from "
                    + current.state() + ".");
        }
        CaseEvent event = new CaseEvent(current.caseId(), changed.version(), now(), actor.name(), action, current.state(),
                changed.state(), reason);
        if (!cases.update(changed, current.version(), event)) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "The case was changed by someone else meanwhile; reload it and try again.");
        }
        for (CaseListener listener : listeners) {
            listener.changed(changed);
        }
        return changed;
    }

    /** Now, to the millisecond: what the database keeps, so a case reads back exactly as it was returned. */
    private Instant now() {
        return time.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static void require(Actor actor, String what, Role... roles) {
        if (!actor.hasAny(roles)) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "Only " + java.util.Arrays.toString(roles) + " may " + what + ".");
        }
    }

    private static String recommendationNote(Determination determination) {
        CaseOutcome outcome = CaseOutcome.recommendedBy(determination.status());
        return outcome == null ? "engine needs information (determination " + determination.determinationId() + ")"
                : "engine recommends " + outcome + " (determination " + determination.determinationId() + ")";
    }
}
