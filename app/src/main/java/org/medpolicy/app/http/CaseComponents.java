package org.medpolicy.app.http;

import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.CaseService;

/** What the case API and the workbench need: the rules, the store and the letters. Immutable; each part is thread-safe. */
public record CaseComponents(CaseService service, CaseRepository repository, NoticeRenderer notices) {
}
