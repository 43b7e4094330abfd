package org.medpolicy.app.http;

import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.cases.PriorAuthorizationRequests;

/**
 * What the case API, the workbench and PAS need: the rules, the store, the letters, the PAS
 * submissions beside their cases, and the notifier of PAS subscribers. Immutable; each part is thread-safe.
 */
public record CaseComponents(CaseService service, CaseRepository repository, NoticeRenderer notices,
                             PriorAuthorizationRequests submissions, DecisionNotifier notifier) {
}
