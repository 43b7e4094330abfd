package org.medpolicy.app.cli;

import java.time.Clock;
import java.time.ZoneId;
import org.medpolicy.app.http.CaseComponents;
import org.medpolicy.app.http.DecisionNotifier;
import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.cases.CaseClock;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcCaseRepository;
import org.medpolicy.store.JdbcDecisionSubscriptions;
import org.medpolicy.store.JdbcPriorAuthorizationRequests;

/** Wires the case parts on a database: the one place that knows which implementation goes with which rule. */
final class Cases {

    private Cases() {
    }

    static CaseComponents on(Database database, CoverageEngine engine, ZoneId zone, String planName, String publicUrl) {
        JdbcCaseRepository repository = new JdbcCaseRepository(database);
        CaseClock clock = new CaseClock(engine.library().medicareRules(), zone);
        CaseService service = new CaseService(engine, repository, clock, Clock.systemUTC());
        JdbcPriorAuthorizationRequests submissions = new JdbcPriorAuthorizationRequests(database);
        DecisionNotifier notifier = new DecisionNotifier(new JdbcDecisionSubscriptions(database), submissions, publicUrl,
                DecisionNotifier::publicHttps);
        service.addListener(notifier);
        return new CaseComponents(service, repository, new NoticeRenderer(engine.library().medicareRules(), planName, zone), submissions,
                notifier);
    }
}
