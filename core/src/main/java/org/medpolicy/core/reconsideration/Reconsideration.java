package org.medpolicy.core.reconsideration;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.medpolicy.core.cases.CaseExtension;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.request.CoverageRequest;

/**
 * A member's reconsideration of a case's denied items, as stored: who asked and when, the items it
 * contests (by their index in the case's request), whether it is expedited, whether it came after
 * the filing window (then with the good cause stated), its clock, the request as it now stands
 * (with any new answers) and the engine's recommendation on it, and what followed: the plan's
 * decision, the effectuation of a reversal, the forwarding to the independent review entity and
 * its decision, or a dismissal; and the notices sent. {@code version} increases with every change,
 * so two people acting at once cannot both win. Immutable: each action makes a new value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reconsideration(String reconsiderationId, String caseId, ReconsiderationState state, List<Integer> items,
                              Requester requester, boolean expedited, boolean partBDrug, String reason, Filing filing,
                              Instant receivedAt, Instant originalDueAt, Instant dueAt, CaseExtension extension,
                              CoverageRequest request, Determination recommendation, Decision decision,
                              Effectuation effectuation, IreForwarding forwarding, IreDecision ireDecision, Dismissal dismissal,
                              List<NoticeSent> notices, String createdBy, int version) {

    /** Who asked: the member, their representative or a physician, by name. */
    public record Requester(RequestedBy role, String name) {
    }

    /**
     * When the window to ask closed ({@code deadline}, a day in the plan's zone), whether the request
     * came after it, and the good cause stated for a late one.
     */
    public record Filing(LocalDate deadline, boolean late, String goodCause) {
    }

    /**
     * The plan's decision: the outcome, which contested items it approves, why, who decided, who
     * signed (a physician, where the rules require one), and when.
     */
    public record Decision(ReconsiderationOutcome outcome, List<Integer> reversedItems, String rationale, String decidedBy,
                           String signedBy, Instant decidedAt) {
        public Decision {
            reversedItems = List.copyOf(reversedItems);
        }
    }

    /** Approving the items a reversal names: by when, and when and by whom it was done (null until then). */
    public record Effectuation(List<Integer> items, Instant dueAt, Instant effectuatedAt, String effectuatedBy) {
        public Effectuation {
            items = List.copyOf(items);
        }

        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isOutstanding() {
            return effectuatedAt == null;
        }
    }

    /** Why a case went to the IRE. */
    public enum ForwardReason {
        /** The plan upheld its denial, in whole or in part. */
        UPHELD,
        /** The plan did not decide in time: that counts as upholding. */
        DEADLINE_MISSED
    }

    /** The case file sent to the independent review entity: which items, when, by what deadline, why. */
    public record IreForwarding(List<Integer> items, Instant forwardedAt, Instant dueBy, ForwardReason reason, String forwardedBy) {
        public IreForwarding {
            items = List.copyOf(items);
        }
    }

    /** What the IRE decided. */
    public enum IreOutcome {
        UPHELD,
        OVERTURNED
    }

    /** The IRE's decision as recorded: its outcome, reference, when its notice came, who recorded it, and the effectuation it starts. */
    public record IreDecision(IreOutcome outcome, String reference, String rationale, Instant decidedAt, String recordedBy,
                              Instant recordedAt, Effectuation effectuation) {
    }

    /** Why, by whom and when the request was dismissed. */
    public record Dismissal(DismissalReason reason, String explanation, String dismissedBy, Instant dismissedAt) {
    }

    /** A letter sent to the member. */
    public record NoticeSent(NoticeKind kind, Instant sentAt, String sentBy) {
    }

    public Reconsideration {
        items = List.copyOf(items);
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    /** The effectuation still to be done, the plan's or after the IRE's reversal; null when none. */
    public Effectuation outstandingEffectuation() {
        if (ireDecision != null && ireDecision.effectuation() != null && ireDecision.effectuation().isOutstanding()) {
            return ireDecision.effectuation();
        }
        return effectuation != null && effectuation.isOutstanding() ? effectuation : null;
    }

    /** When it was concluded (decided, forwarded for want of a decision, or dismissed); null while in review. */
    public Instant concludedAt() {
        if (decision != null) {
            return decision.decidedAt();
        }
        if (forwarding != null) {
            return forwarding.forwardedAt();
        }
        return dismissal == null ? null : dismissal.dismissedAt();
    }

    public boolean wasSent(NoticeKind kind) {
        return notices.stream().anyMatch(notice -> notice.kind() == kind);
    }

    /** The notices the member is owed now and has not been sent. */
    public List<NoticeKind> noticesDue() {
        List<NoticeKind> due = new ArrayList<>(2);
        if (decision != null && !wasSent(NoticeKind.DECISION)) {
            due.add(NoticeKind.DECISION);
        }
        if (forwarding != null && !wasSent(NoticeKind.FORWARDED_TO_IRE)) {
            due.add(NoticeKind.FORWARDED_TO_IRE);
        }
        if (dismissal != null && !wasSent(NoticeKind.DISMISSAL)) {
            due.add(NoticeKind.DISMISSAL);
        }
        return due;
    }

    Reconsideration with(ReconsiderationState nextState, CoverageRequest nextRequest, Determination nextRecommendation,
                         Instant nextDue, CaseExtension nextExtension, Decision nextDecision, Effectuation nextEffectuation,
                         IreForwarding nextForwarding, IreDecision nextIre, Dismissal nextDismissal, List<NoticeSent> nextNotices) {
        return new Reconsideration(reconsiderationId, caseId, nextState, items, requester, expedited, partBDrug, reason, filing,
                receivedAt, originalDueAt, nextDue, nextExtension, nextRequest, nextRecommendation, nextDecision, nextEffectuation,
                nextForwarding, nextIre, nextDismissal, nextNotices, createdBy, version + 1);
    }

    Reconsideration withRecommendation(CoverageRequest nextRequest, Determination nextRecommendation) {
        return with(state, nextRequest, nextRecommendation, dueAt, extension, decision, effectuation, forwarding, ireDecision,
                dismissal, notices);
    }

    Reconsideration withExtension(CaseExtension granted, Instant nextDue) {
        return with(state, request, recommendation, nextDue, granted, decision, effectuation, forwarding, ireDecision, dismissal, notices);
    }

    Reconsideration withDecision(ReconsiderationState nextState, Decision made, Effectuation owed, IreForwarding forwarded) {
        return with(nextState, request, recommendation, dueAt, extension, made, owed, forwarded, ireDecision, dismissal, notices);
    }

    Reconsideration withForwarding(IreForwarding forwarded) {
        return with(ReconsiderationState.FORWARDED_TO_IRE, request, recommendation, dueAt, extension, decision, effectuation, forwarded,
                ireDecision, dismissal, notices);
    }

    Reconsideration withIreDecision(IreDecision ire) {
        return with(ReconsiderationState.IRE_DECIDED, request, recommendation, dueAt, extension, decision, effectuation, forwarding, ire,
                dismissal, notices);
    }

    Reconsideration withEffectuated(Instant at, String by) {
        if (ireDecision != null && ireDecision.effectuation() != null && ireDecision.effectuation().isOutstanding()) {
            Effectuation done = new Effectuation(ireDecision.effectuation().items(), ireDecision.effectuation().dueAt(), at, by);
            IreDecision ire = new IreDecision(ireDecision.outcome(), ireDecision.reference(), ireDecision.rationale(),
                    ireDecision.decidedAt(), ireDecision.recordedBy(), ireDecision.recordedAt(), done);
            return with(state, request, recommendation, dueAt, extension, decision, effectuation, forwarding, ire, dismissal, notices);
        }
        Effectuation done = new Effectuation(effectuation.items(), effectuation.dueAt(), at, by);
        return with(state, request, recommendation, dueAt, extension, decision, done, forwarding, ireDecision, dismissal, notices);
    }

    Reconsideration withDismissal(Dismissal dismissed) {
        return with(ReconsiderationState.DISMISSED, request, recommendation, dueAt, extension, decision, effectuation, forwarding,
                ireDecision, dismissed, notices);
    }

    Reconsideration withNotice(NoticeSent sent) {
        List<NoticeSent> next = new ArrayList<>(notices);
        next.add(sent);
        return with(state, request, recommendation, dueAt, extension, decision, effectuation, forwarding, ireDecision, dismissal, next);
    }
}
