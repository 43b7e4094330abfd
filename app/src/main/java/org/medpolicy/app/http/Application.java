package org.medpolicy.app.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.application.PublishedPolicies;
import org.medpolicy.core.cases.CaseClock;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.policy.PolicySet;
import org.medpolicy.store.Database;
import org.medpolicy.store.JdbcCaseRepository;
import org.medpolicy.store.JdbcDecisionSubscriptions;
import org.medpolicy.store.JdbcPolicySets;
import org.medpolicy.store.JdbcPriorAuthorizationRequests;

/**
 * The one place that wires the service: which implementation goes with which rule, on one
 * database. {@code medpolicy serve} and the tests' server both assemble through it, so what is
 * tested is what runs. Everything it builds is thread-safe; {@link #close} stops the server, the
 * policy poller and the notifier (the database, the log and the security stores stay the caller's).
 */
public final class Application implements AutoCloseable {

    /**
     * How the parts are set up: the public URL links point at, the plan's name on notices, the
     * request log, who the policy data the server starts with is published by (when it is not the
     * latest publication), how often to look for newly published policy data, which PAS
     * notification endpoints may be called, where operational messages go.
     */
    public record Options(String publicUrl, String planName, AccessLog accessLog, String startedBy, Duration policyPoll,
                          Predicate<URI> notificationEndpoints, Consumer<String> messages) {
    }

    private final DeterminationService determinations;
    private final JdbcPolicySets policySets;
    private final PublishedPolicies published;
    private final CaseComponents cases;
    private final MedpolicyServer server;

    private Application(DeterminationService determinations, JdbcPolicySets policySets, PublishedPolicies published,
                        CaseComponents cases, MedpolicyServer server) {
        this.determinations = determinations;
        this.policySets = policySets;
        this.published = published;
        this.cases = cases;
        this.server = server;
    }

    /**
     * Assembles the service deciding with {@code engine} (loaded from {@code startedWith}), keeping
     * cases, PAS submissions and subscriptions and policy sets in {@code database}, determinations
     * in {@code log}; publishes {@code startedWith} unless it is the latest publication. Not started.
     */
    public static Application assemble(Database database, DeterminationLog log, ServerSecurity security, CoverageEngine engine,
                                       PolicySet startedWith, MemberKeyHasher hasher, Options options) {
        Clock clock = Clock.systemUTC();
        ZoneId zone = engine.regulatoryClock().zone();
        DeterminationService determinations = new DeterminationService(engine, log, hasher);

        JdbcPolicySets sets = new JdbcPolicySets(database);
        PublishedPolicies published = new PublishedPolicies(sets, determinations, clock, zone, options.messages());
        published.start(startedWith, options.startedBy(), options.policyPoll());

        JdbcCaseRepository repository = new JdbcCaseRepository(database);
        CaseService service = new CaseService(determinations, repository, new CaseClock(engine.regulatoryClock()), clock);
        JdbcPriorAuthorizationRequests submissions = new JdbcPriorAuthorizationRequests(database);
        DecisionNotifier notifier = new DecisionNotifier(new JdbcDecisionSubscriptions(database), submissions, options.publicUrl(),
                options.notificationEndpoints());
        service.addListener(notifier);
        CaseComponents cases = new CaseComponents(service, repository,
                new NoticeRenderer(engine.library().medicareRules(), options.planName(), zone), submissions, notifier);

        MedpolicyServer server = new MedpolicyServer(determinations, clock, options.publicUrl(), options.accessLog(), security, cases,
                new DeterminationReplay(log, sets, () -> determinations.engine().dataVersion(), zone));
        return new Application(determinations, sets, published, cases, server);
    }

    public MedpolicyServer server() {
        return server;
    }

    public DeterminationService determinations() {
        return determinations;
    }

    public CaseComponents cases() {
        return cases;
    }

    public JdbcPolicySets policySets() {
        return policySets;
    }

    public PublishedPolicies published() {
        return published;
    }

    @Override
    public void close() {
        published.close();
        server.close();
        cases.notifier().close();
    }
}
