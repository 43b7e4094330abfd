package org.medpolicy.core.cases;

import java.time.Instant;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.request.CoverageRequest;

/**
 * An organization-determination case as stored: the request (with the member's identity in clear:
 * the plan must notify the member), who asked and how to reach them, the clock, the engine's latest
 * recommendation (the determination it returned, as recorded in the decision log), the human
 * decision, and the notice. {@code version} increases with every change, so two reviewers acting at
 * once cannot both win. Immutable: each action makes a new value.
 */
public record ReviewCase(String caseId, CaseState state, Instant receivedAt, boolean expedited, boolean expeditedByPhysician,
                         boolean partBDrug, Instant originalDueAt, Instant dueAt, CaseExtension extension,
                         CoverageRequest request, Contact requester, Determination recommendation, CaseOutcome recommended,
                         CaseDecision decision, Instant notifiedAt, String createdBy, int version) {

    public ReviewCase withState(CaseState next) {
        return new ReviewCase(caseId, next, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt, extension,
                request, requester, recommendation, recommended, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withRecommendation(CoverageRequest updated, Determination determination, CaseOutcome outcome, CaseState next) {
        return new ReviewCase(caseId, next, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt, extension,
                updated, requester, determination, outcome, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withExtension(CaseExtension granted, Instant newDue) {
        return new ReviewCase(caseId, state, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, newDue, granted,
                request, requester, recommendation, recommended, decision, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withDecision(CaseDecision made) {
        return new ReviewCase(caseId, CaseState.DECIDED, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt,
                extension, request, requester, recommendation, recommended, made, notifiedAt, createdBy, version + 1);
    }

    public ReviewCase withNotice(Instant at) {
        return new ReviewCase(caseId, CaseState.NOTIFIED, receivedAt, expedited, expeditedByPhysician, partBDrug, originalDueAt, dueAt,
                extension, request, requester, recommendation, recommended, decision, at, createdBy, version + 1);
    }
}
