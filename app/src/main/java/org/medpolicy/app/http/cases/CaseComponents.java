package org.medpolicy.app.http.cases;

import org.medpolicy.app.http.fhir.DecisionNotifier;

import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.app.notice.ReconsiderationLetters;
import org.medpolicy.core.reconsideration.ReconsiderationService;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.cases.PriorAuthorizationRequests;

/**
 * What the case API, the workbench and PAS need: the rules of cases and of reconsiderations, the
 * store, the letters, the PAS submissions beside their cases, and the notifier of PAS subscribers.
 * Immutable; each part is thread-safe.
 */
public record CaseComponents(CaseService service, CaseRepository repository, NoticeRenderer notices,
                             PriorAuthorizationRequests submissions, DecisionNotifier notifier,
                             ReconsiderationService reconsiderations, ReconsiderationLetters reconsiderationLetters) {

    /** Renders the reconsideration's letter of {@code kind} and records it as sent; 409 when it is not due. */
    public org.medpolicy.core.reconsideration.Reconsideration sendReconsiderationNotice(String caseId, String id,
                                                                                       org.medpolicy.core.reconsideration.NoticeKind kind,
                                                                                       org.medpolicy.core.cases.Actor actor) {
        var current = ReconsiderationService.requireDue(reconsiderations.load(caseId, id), kind);
        return reconsiderations.notify(id, actor, kind, reconsiderationLetters.render(service.load(caseId), current, kind, false));
    }

    /** Renders the case's letter and records it as sent; 409 when the case is not decided. */
    public org.medpolicy.core.cases.ReviewCase sendNotice(String caseId, org.medpolicy.core.cases.Actor actor) {
        var current = service.load(caseId);
        if (current.decision() == null) {
            throw new org.medpolicy.core.cases.CaseRefusal(org.medpolicy.core.cases.CaseRefusal.Reason.CONFLICT, "A notice is sent once the case is DECIDED; this one is "
                    + current.state() + ".");
        }
        return service.notify(caseId, actor, notices.render(current, false));
    }
}
