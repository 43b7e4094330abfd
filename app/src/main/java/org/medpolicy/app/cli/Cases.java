package org.medpolicy.app.cli;

import java.time.Clock;
import java.time.ZoneId;
import org.medpolicy.app.http.CaseComponents;
import org.medpolicy.app.http.DecisionNotifier;
import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.application.DeterminationService;
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

    /** The case parts deciding through {@code determinations}, on the deadline rule of its engine (the plan's zone). */
    static CaseComponents on(Database database, DeterminationService determinations, String planName, String publicUrl) {
        CoverageEngine engine = determinations.engine();
        ZoneId zone = engine.regulatoryClock().zone();
        JdbcCaseRepository repository = new JdbcCaseRepository(database);
        CaseClock clock = new CaseClock(engine.regulatoryClock());
        CaseService service = new CaseService(determinations, repository, clock, Clock.systemUTC());
        JdbcPriorAuthorizationRequests submissions = new JdbcPriorAuthorizationRequests(database);
        DecisionNotifier notifier = new DecisionNotifier(new JdbcDecisionSubscriptions(database), submissions, publicUrl,
                DecisionNotifier::publicHttps);
        service.addListener(notifier);
        return new CaseComponents(service, repository, new NoticeRenderer(engine.library().medicareRules(), planName, zone), submissions,
                notifier);
    }
}
