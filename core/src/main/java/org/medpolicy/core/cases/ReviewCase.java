package org.medpolicy.core.cases;

import java.time.Instant;

/**
 * An organization-determination case as stored: the request (with the member's identity in clear:
 * the plan must notify the member), who asked and how to reach them, the clock, the engine's latest
 * recommendation (the determination JSON it returned), the human decision, and the notice.
 * {@code version} increases with every change, so two reviewers acting at once cannot both win.
 * Immutable: each action makes a new value.
 */
public record ReviewCase(String caseId, CaseState state, Instant receivedAt, boolean expedited, boolean expeditedByPhysician,
                         boolean partBDrug, Instant originalDueAt, Instant dueAt, CaseExtension extension,
                         String requestJson, Contact requester, String recommendationJson, CaseOutcome recommended,
                         CaseDecision decision, Instant notifiedAt, String createdBy, int version) {

    public ReviewCase withState(CaseState next) {
        return new ReviewCase(caseId, next, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt, extension,
                requestJson, requester, recommendationJson, recommended, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withRecommendation(String request, String determination, CaseOutcome outcome, CaseState next) {
        return new ReviewCase(caseId, next, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt, extension,
                request, requester, determination, outcome, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withExtension(CaseExtension granted, Instant newDue) {
        return new ReviewCase(caseId, state, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, newDue, granted,
                requestJson, requester, recommendationJson, recommended, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withDecision(CaseDecision made) {
        return new ReviewCase(caseId, CaseState.DECIDED, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt,
                extension, requestJson, requester, recommendationJson, recommended, made, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withNotice(Instant at) {
        return new ReviewCase(caseId, CaseState.NOTIFIED, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt,
                extension, requestJson, requester, recommendationJson, recommended, decision, at, createdBy, version + 1);
    }
}
