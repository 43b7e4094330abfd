package org.medpolicy.core.reconsideration;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.cases.Actor;
import org.medpolicy.core.cases.CaseExtension;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.TextLimits;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.cases.Role;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.engine.TimeOrderedIds;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.Urgency;

/**
 * The rules of a member's reconsideration, one method per action. Each checks who acts, that the
 * reconsideration is in a state the action may leave and what the action needs; then writes the
 * changed reconsideration, its history event and any documents together. A refused action throws
 * {@link CaseRefusal} (every problem listed) and changes nothing. What a filing must satisfy is in
 * {@link FilingRules}; who may decide, in {@link #decide}.
 *
 * <p>The engine decides again on the request as it now stands whenever a reconsideration is filed
 * or given information, through {@link DeterminationService} like every determination (so the
 * decision log has it); the rules and the clock are those of the policy data in use at the time.
 *
 * <p>Thread-safe: concurrent actions on one reconsideration are serialized by the repository's
 * version check, filings on one case by its count check; the loser gets 409.
 */
public final class ReconsiderationService {

    private final DeterminationService determinations;
    private final CaseRepository cases;
    private final ReconsiderationRepository reconsiderations;
    private final IreCaseFileWriter caseFiles;
    private final Clock time;

    public ReconsiderationService(DeterminationService determinations, CaseRepository cases, ReconsiderationRepository reconsiderations,
                                  IreCaseFileWriter caseFiles, Clock time) {
        this.determinations = determinations;
        this.cases = cases;
        this.reconsiderations = reconsiderations;
        this.caseFiles = caseFiles;
        this.time = time;
    }

    /** The clock of the policy data in use. */
    public ReconsiderationClock clock() {
        CoverageEngine engine = determinations.engine();
        return new ReconsiderationClock(engine.regulatoryClock(), engine.library().medicareRules());
    }

    public ReconsiderationRepository repository() {
        return reconsiderations;
    }

    /** Files a reconsideration of case {@code caseId}, received through {@code channel}. */
    public Reconsideration file(String caseId, NewReconsideration incoming, Actor actor, Channel channel) {
        require(actor, "file a reconsideration", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        if (incoming.receivedAt() != null && !actor.hasAny(Role.INTAKE)) {
            // The receipt time starts the clock: only intake staff state it, as for an organization determination.
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "Only intake staff state when a reconsideration request was "
                    + "received (receivedAt); leave it out and it is received now.");
        }
        ReviewCase reviewCase = cases.find(caseId)
                .orElseThrow(() -> new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "No case has id " + caseId + "."));
        Instant now = now();
        ReconsiderationClock clock = clock();
        List<Reconsideration> earlier = reconsiderations.ofCase(caseId);
        FilingRules.Checked checked = FilingRules.check(reviewCase, earlier, incoming, now, clock);
        List<FieldError> problems = new ArrayList<>(checked.problems());
        CoverageRequest request = reviewCase.request();
        if (!incoming.answers().isEmpty() && problems.isEmpty()) {
            request = withAnswers(request, incoming.answers(), problems);
        }
        TextLimits.refuseIfAny(problems);
        Instant receivedAt = checked.receivedAt();
        boolean expedited = checked.expedited();
        Determination recommendation = redecide(channel, actor, request, receivedAt, expedited);
        Instant due = clock.dueAt(receivedAt, expedited, reviewCase.partBDrug());
        String id = TimeOrderedIds.next(now.toEpochMilli());
        Reconsideration filed = new Reconsideration(id, caseId, ReconsiderationState.IN_REVIEW, checked.items(),
                new Reconsideration.Requester(incoming.requestedBy(), clean(incoming.requesterName())), expedited, reviewCase.partBDrug(),
                clean(incoming.reason()), checked.filing(), receivedAt, due, due, null, request, recommendation, null, null, null, null,
                null, List.of(), actor.name(), 2);
        List<ReconsiderationEvent> events = List.of(
                new ReconsiderationEvent(id, 1, now, actor.name(), "FILE", null, ReconsiderationState.IN_REVIEW,
                        filingNote(filed)),
                new ReconsiderationEvent(id, 2, now, Actor.ENGINE.name(), "RECOMMEND", ReconsiderationState.IN_REVIEW,
                        ReconsiderationState.IN_REVIEW, recommendationNote(recommendation)));
        if (!reconsiderations.create(filed, events, earlier.size())) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Another reconsideration of this case was filed meanwhile; reload it and try again.");
        }
        return filed;
    }

    /** New information: the engine decides again on the request with these answers. */
    public Reconsideration addInformation(String id, Actor actor, Channel channel, Map<Integer, Map<String, String>> answers, String reason) {
        require(actor, "record information received", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = load(id);
        open(current, "Information can be added");
        List<FieldError> problems = new ArrayList<>();
        TextLimits.limited(reason, "reason", problems);
        for (Integer index : answers.keySet()) {
            if (index < 0 || index >= current.request().items().size()) {
                problems.add(new FieldError("answers." + index, "names no item of the request (use its index, from 0)"));
            }
        }
        if (answers.isEmpty()) {
            problems.add(new FieldError("answers", "is required: {\"<item index>\": {\"<question id>\": \"<answer code>\"}}"));
        }
        CoverageRequest updated = problems.isEmpty() ? withAnswers(current.request(), answers, problems) : null;
        TextLimits.refuseIfAny(problems);
        Determination recommendation = redecide(channel, actor, updated, current.receivedAt(), current.expedited());
        String note = (reason == null || reason.isBlank() ? "information received" : reason.strip()) + "; "
                + recommendationNote(recommendation);
        return change(current, current.withRecommendation(updated, recommendation), actor, "ADD_INFORMATION", note, List.of());
    }

    public Reconsideration extend(String id, Actor actor, int days, String reason) {
        require(actor, "extend the deadline", Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = load(id);
        open(current, "Only a reconsideration in review can be extended;");
        if (current.extension() != null) {
            throw refusal("The reconsideration was already extended on " + current.extension().grantedAt() + "; only one extension is allowed.");
        }
        if (now().isAfter(current.dueAt())) {
            throw refusal("The deadline (" + current.dueAt() + ") has passed: a reconsideration not decided in time goes to the IRE; "
                    + "it cannot be extended afterwards.");
        }
        ReconsiderationClock clock = clock();
        int max = clock.maxExtensionDays(current.receivedAt(), current.partBDrug());
        if (max == 0) {
            throw refusal(current.partBDrug() ? "A Part B drug reconsideration cannot be extended." : "No extension is allowed for this request.");
        }
        if (days < 1 || days > max) {
            throw refusal("An extension is 1 to " + max + " calendar days; " + days + " was asked.");
        }
        String why = TextLimits.required(reason, "reason");
        CaseExtension extension = new CaseExtension(days, why, actor.name(), now());
        return change(current, current.withExtension(extension, clock.extend(current.dueAt(), days)), actor, "EXTEND",
                days + " days: " + why, List.of());
    }

    /**
     * The plan's decision. The decider took no part in the organization determination (from the
     * case's history); where a contested denial rested on medical necessity (the rules'
     * {@code physicianDecidesOutcomes}, or a physician's own adverse judgement) only a physician
     * decides. An outcome other than the engine's new recommendation needs a rationale. Upheld
     * items go to the IRE with the case file, at once.
     */
    public Reconsideration decide(String id, Actor actor, ReconsiderationOutcome outcome, List<Integer> reversedItems, String rationale) {
        require(actor, "decide a reconsideration", Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = load(id);
        open(current, "A reconsideration is decided while in review;");
        ReviewCase reviewCase = cases.find(current.caseId()).orElseThrow();
        Deciders.requireUninvolved(actor, reviewCase, cases.history(reviewCase.caseId()));
        Deciders.requirePhysicianWhereNeeded(actor, reviewCase, current, clock().rulesFor(current.receivedAt()).orElseThrow());
        List<FieldError> problems = new ArrayList<>();
        List<Integer> reversed = Deciders.reversedItems(current, outcome, reversedItems, problems);
        TextLimits.limited(rationale, "rationale", problems);
        boolean agreesWithEngine = Deciders.agreesWithEngine(current, outcome, reversed);
        if (!agreesWithEngine && (rationale == null || rationale.isBlank())) {
            problems.add(new FieldError("rationale", "is required: deciding " + outcome + (current.recommendation() == null
                    ? " without an engine recommendation" : " against the engine's recommendation (" + current.recommendation().status() + ")")
                    + " needs a written rationale"));
        }
        TextLimits.refuseIfAny(problems);
        Instant now = now();
        ReconsiderationClock clock = clock();
        Reconsideration.Decision decision = new Reconsideration.Decision(outcome, reversed, rationale == null ? null : rationale.strip(),
                actor.name(), actor.hasAny(Role.PHYSICIAN) ? actor.name() : null, now);
        Reconsideration.Effectuation owed = reversed.isEmpty() ? null
                : new Reconsideration.Effectuation(reversed, clock.effectuationDue(current), null, null);
        List<Integer> upheld = current.items().stream().filter(item -> !reversed.contains(item)).toList();
        Reconsideration.IreForwarding forwarding = upheld.isEmpty() ? null : new Reconsideration.IreForwarding(upheld, now,
                clock.forwardingDue(current, now), Reconsideration.ForwardReason.UPHELD, actor.name());
        Reconsideration decided = current.withDecision(forwarding == null ? ReconsiderationState.DECIDED : ReconsiderationState.FORWARDED_TO_IRE,
                decision, owed, forwarding);
        String note = outcome + (reversed.isEmpty() ? "" : ", items " + reversed + " approved (effectuate by " + owed.dueAt() + ")")
                + (forwarding == null ? "" : "; items " + upheld + " forwarded to the IRE") + (agreesWithEngine ? "" : ": " + decision.rationale());
        return change(current, decided, actor, forwarding == null ? "DECIDE" : "DECIDE_AND_FORWARD", note,
                forwarding == null ? List.of() : caseFile(reviewCase, current, decided));
    }

    /**
     * Forwards to the IRE every reconsideration whose deadline passed before {@code now} without a
     * decision: missing the deadline counts as upholding. Returns those forwarded. Run on a
     * schedule; safe to run on several servers at once (the version check lets one win).
     */
    public List<Reconsideration> forwardOverdue(Instant now) {
        List<Reconsideration> forwarded = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Reconsideration late : reconsiderations.overdue(now, 100)) {
            ReviewCase reviewCase = cases.find(late.caseId()).orElseThrow();
            Reconsideration.IreForwarding forwarding = new Reconsideration.IreForwarding(late.items(), now,
                    clock().forwardingDue(late, late.dueAt()), Reconsideration.ForwardReason.DEADLINE_MISSED, Actor.ENGINE.name());
            Reconsideration changed = late.withForwarding(forwarding);
            try {
                forwarded.add(change(late, changed, Actor.ENGINE, "FORWARD", "deadline " + late.dueAt()
                        + " passed without a decision: forwarded to the IRE as if upheld", caseFile(reviewCase, late, changed)));
            } catch (CaseRefusal raced) {
                // Decided or forwarded by someone else meanwhile: nothing to do.
            } catch (RuntimeException failed) {
                // One reconsideration that cannot be forwarded must not hold up the others; the next sweep tries it again.
                failures.add(late.reconsiderationId() + ": " + failed);
            }
        }
        if (!failures.isEmpty() && forwarded.isEmpty()) {
            throw new IllegalStateException("no overdue reconsideration could be forwarded: " + failures);
        }
        return forwarded;
    }

    /** The IRE's decision, as its notice says; overturning starts the IRE effectuation clock. */
    public Reconsideration recordIreDecision(String id, Actor actor, Reconsideration.IreOutcome outcome, String reference,
                                             String rationale, Instant noticeAt) {
        require(actor, "record the IRE's decision", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = load(id);
        if (current.state() != ReconsiderationState.FORWARDED_TO_IRE) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "An IRE decision is recorded for a reconsideration forwarded to the IRE; this one is "
                    + current.state() + ".");
        }
        List<FieldError> problems = new ArrayList<>();
        TextLimits.limited(rationale, "rationale", problems);
        TextLimits.limited(reference, "reference", problems);
        Instant now = now();
        Instant noticed = noticeAt == null ? now : noticeAt;
        if (noticed.isAfter(now.plus(TextLimits.CLOCK_SKEW)) || noticed.isBefore(current.forwarding().forwardedAt())) {
            problems.add(new FieldError("decidedAt", "must be between the forwarding (" + current.forwarding().forwardedAt() + ") and now"));
        }
        TextLimits.refuseIfAny(problems);
        Reconsideration.Effectuation owed = outcome == Reconsideration.IreOutcome.OVERTURNED
                ? new Reconsideration.Effectuation(current.forwarding().items(), clock().ireEffectuationDue(current, noticed), null, null)
                : null;
        Reconsideration.IreDecision ire = new Reconsideration.IreDecision(outcome, clean(reference), clean(rationale), noticed, actor.name(),
                now, owed);
        return change(current, current.withIreDecision(ire), actor, "IRE_DECISION", "IRE " + outcome
                + (owed == null ? "" : ": items " + owed.items() + " to be effectuated by " + owed.dueAt()), List.of());
    }

    /** Records that the outstanding reversal (the plan's, or the IRE's) was effectuated: the items authorized. */
    public Reconsideration effectuate(String id, Actor actor, String note) {
        require(actor, "record an effectuation", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = load(id);
        Reconsideration.Effectuation owed = current.outstandingEffectuation();
        if (owed == null) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Nothing is waiting to be effectuated in this reconsideration (" + current.state() + ").");
        }
        String text = TextLimits.limited(note, "note");
        Instant now = now();
        return change(current, current.withEffectuated(now, actor.name()), actor, "EFFECTUATE", "items " + owed.items() + " authorized"
                + (now.isAfter(owed.dueAt()) ? " LATE (due " + owed.dueAt() + ")" : "") + (text == null ? "" : ": " + text.strip()), List.of());
    }

    /** Dismisses a request in review for one of the rules' reasons; the member is sent a dismissal notice. */
    public Reconsideration dismiss(String id, Actor actor, DismissalReason reason, String explanation) {
        require(actor, "dismiss a reconsideration", reason == DismissalReason.WITHDRAWN
                ? new Role[] {Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN} : new Role[] {Role.REVIEWER, Role.PHYSICIAN});
        Reconsideration current = load(id);
        open(current, "Only a reconsideration in review can be dismissed;");
        var rules = clock().rulesFor(current.receivedAt()).orElseThrow();
        if (!rules.dismissalReasons().contains(reason.name())) {
            throw refusal("The rules do not allow dismissal for " + reason + "; they allow " + rules.dismissalReasons() + ".");
        }
        String why = TextLimits.required(explanation, "explanation");
        Reconsideration.Dismissal dismissal = new Reconsideration.Dismissal(reason, why, actor.name(), now());
        return change(current, current.withDismissal(dismissal), actor, "DISMISS", reason + ": " + why, List.of());
    }

    /** Records that the notice of {@code kind} was sent: {@code pdf} is what the member received. */
    public Reconsideration notify(String id, Actor actor, NoticeKind kind, byte[] pdf) {
        require(actor, "send a notice", Role.INTAKE, Role.REVIEWER, Role.PHYSICIAN);
        Reconsideration current = requireDue(load(id), kind);
        return change(current, current.withNotice(new Reconsideration.NoticeSent(kind, now(), actor.name())), actor, "NOTIFY",
                kind + " notice sent", List.of(new StoredDocument(StoredDocument.notice(kind), "application/pdf", pdf)));
    }

    /** {@code current}, when the member is owed its notice of {@code kind} now; otherwise refused (409) with why not. */
    public static Reconsideration requireDue(Reconsideration current, NoticeKind kind) {
        if (!current.noticesDue().contains(kind)) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, current.wasSent(kind) ? "The " + kind + " notice was already sent."
                    : "There is no " + kind + " notice to send now; notices due: " + current.noticesDue() + ".");
        }
        return current;
    }

    public Reconsideration load(String id) {
        return reconsiderations.find(id).orElseThrow(() -> new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE,
                "No reconsideration has id " + id + "."));
    }

    /** The reconsideration of case {@code caseId} with id {@code id}: a reconsideration is found only under its own case. */
    public Reconsideration load(String caseId, String id) {
        Reconsideration found = load(id);
        if (!found.caseId().equals(caseId)) {
            throw new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "Case " + caseId + " has no reconsideration " + id + ".");
        }
        return found;
    }

    /** The engine's new decision, or null when no policy of the plan decides the request (a case filed for review). */
    private Determination redecide(Channel channel, Actor actor, CoverageRequest request, Instant receivedAt, boolean expedited) {
        try {
            return determinations.decide(channel, actor.name(), request.received(receivedAt, expedited ? Urgency.EXPEDITED : request.urgency()))
                    .determination();
        } catch (ProblemException undecidable) {
            if (undecidable.kind() != ProblemException.Kind.UNDECIDABLE) {
                throw undecidable;
            }
            return null;
        }
    }

    private CoverageRequest withAnswers(CoverageRequest request, Map<Integer, Map<String, String>> answers, List<FieldError> problems) {
        try {
            return determinations.reader().check(request.withAnswers(answers));
        } catch (ProblemException e) {
            e.errors().forEach(error -> problems.add(new FieldError("answers (" + error.field() + ")", error.message())));
            return request;
        }
    }

    private List<StoredDocument> caseFile(ReviewCase reviewCase, Reconsideration before, Reconsideration forwarded) {
        List<ReconsiderationEvent> history = new ArrayList<>(reconsiderations.history(before.reconsiderationId()));
        List<StoredDocument> notices = new ArrayList<>();
        for (Reconsideration.NoticeSent sent : before.notices()) {
            reconsiderations.document(before.reconsiderationId(), StoredDocument.notice(sent.kind())).ifPresent(notices::add);
        }
        return caseFiles.write(new IreCaseFileWriter.Contents(reviewCase, cases.history(reviewCase.caseId()),
                cases.notice(reviewCase.caseId()).orElse(null), forwarded, history, notices));
    }

    private Reconsideration change(Reconsideration current, Reconsideration changed, Actor actor, String action, String reason,
                                   List<StoredDocument> documents) {
        if (!current.state().next().contains(changed.state())) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, action.replace('_', ' ').toLowerCase(Locale.ROOT) + " is not possible from "
                    + current.state() + ".");
        }
        ReconsiderationEvent event = new ReconsiderationEvent(current.reconsiderationId(), changed.version(), now(), actor.name(), action,
                current.state(), changed.state(), reason);
        if (!reconsiderations.update(changed, current.version(), event, documents)) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "The reconsideration was changed by someone else meanwhile; reload it and try again.");
        }
        return changed;
    }

    private static void open(Reconsideration current, String what) {
        if (!current.state().isOpen()) {
            throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, what + " this one is " + current.state() + ".");
        }
    }

    private Instant now() {
        return time.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static void require(Actor actor, String what, Role... roles) {
        if (!actor.hasAny(roles)) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PERMITTED, "Only " + Arrays.toString(roles) + " may " + what + ".");
        }
    }

    private static CaseRefusal refusal(String message) {
        return new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, message);
    }

    private static String clean(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static String filingNote(Reconsideration filed) {
        return (filed.expedited() ? "expedited" : "standard") + (filed.partBDrug() ? ", Part B drug" : "") + ", by "
                + filed.requester().role() + (filed.requester().name() == null ? "" : " (" + filed.requester().name() + ")")
                + ", items " + filed.items() + (filed.filing().late() ? ", after the window (" + filed.filing().deadline()
                + "), good cause: " + filed.filing().goodCause() : "") + (filed.reason() == null ? "" : "; reason: " + filed.reason());
    }

    private static String recommendationNote(Determination determination) {
        return determination == null ? "no policy of this plan decides the request: a person decides it"
                : "engine now recommends " + determination.status() + " (determination " + determination.determinationId() + ")";
    }
}
