package org.medpolicy.app.http;

import org.medpolicy.app.http.cases.CaseComponents;
import org.medpolicy.app.http.fhir.DecisionNotifier;
import org.medpolicy.app.outbound.OutboundHttp;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.medpolicy.app.notice.IreCaseFiles;
import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.app.notice.ReconsiderationLetters;
import org.medpolicy.core.reconsideration.ReconsiderationService;
import org.medpolicy.store.JdbcReconsiderationRepository;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.application.PublishedPolicies;
import org.medpolicy.core.cases.CaseClock;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.MemberKeyHasher;
import org.medpolicy.core.log.PhiSeal;
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
 * policy poller, the reconsideration deadline sweep and the notifier (the database, the log and the security stores stay the caller's).
 */
public final class Application implements AutoCloseable {

    /**
     * How the parts are set up: the public URL links point at, the plan's name on notices, the
     * request log, who the policy data the server starts with is published by (when it is not the
     * latest publication), how often to look for newly published policy data, which PAS
     * notification endpoints may be called, where operational messages go, and the clock cases and
     * reconsiderations keep time by (the system's; a test moves it to reach a deadline).
     */
    public record Options(String publicUrl, String planName, AccessLog accessLog, String startedBy, Duration policyPoll,
                          org.medpolicy.app.outbound.EndpointRule notificationEndpoints, Consumer<String> messages, Clock clock) {

        public Options(String publicUrl, String planName, AccessLog accessLog, String startedBy, Duration policyPoll,
                       org.medpolicy.app.outbound.EndpointRule notificationEndpoints, Consumer<String> messages) {
            this(publicUrl, planName, accessLog, startedBy, policyPoll, notificationEndpoints, messages, Clock.systemUTC());
        }
    }

    private final DeterminationService determinations;
    private final JdbcPolicySets policySets;
    private final PublishedPolicies published;
    private final CaseComponents cases;
    private final MedpolicyServer server;
    private final ScheduledExecutorService sweeper;
    private final OutboundHttp outbound;
    private final org.medpolicy.store.JdbcServerInstances instances;

    private Application(DeterminationService determinations, JdbcPolicySets policySets, PublishedPolicies published,
                        CaseComponents cases, MedpolicyServer server, ScheduledExecutorService sweeper, OutboundHttp outbound,
                        org.medpolicy.store.JdbcServerInstances instances) {
        this.instances = instances;
        this.sweeper = sweeper;
        this.outbound = outbound;
        this.determinations = determinations;
        this.policySets = policySets;
        this.published = published;
        this.cases = cases;
        this.server = server;
    }

    /**
     * Assembles the service deciding with {@code engine} (loaded from {@code startedWith}), keeping
     * cases, PAS submissions and subscriptions and policy sets in {@code database}, determinations
     * in {@code log}; what names the member sealed with {@code phi}; publishes {@code startedWith} unless it is the latest publication. Not started.
     */
    public static Application assemble(Database database, DeterminationLog log, PhiSeal phi, ServerSecurity security, CoverageEngine engine,
                                       PolicySet startedWith, MemberKeyHasher hasher, Options options) {
        Clock clock = Clock.systemUTC();
        Clock caseTime = options.clock();
        ZoneId zone = engine.regulatoryClock().zone();
        DeterminationService determinations = new DeterminationService(engine, log, hasher);

        JdbcPolicySets sets = new JdbcPolicySets(database);
        PublishedPolicies published = new PublishedPolicies(sets, determinations, clock, zone, options.messages());
        published.start(startedWith, options.startedBy(), options.policyPoll());

        JdbcCaseRepository repository = new JdbcCaseRepository(database, phi);
        CaseService service = new CaseService(determinations, repository, new CaseClock(engine.regulatoryClock()), caseTime);
        JdbcPriorAuthorizationRequests submissions = new JdbcPriorAuthorizationRequests(database, phi, hasher);
        OutboundHttp outbound = new OutboundHttp();
        DecisionNotifier notifier = new DecisionNotifier(new JdbcDecisionSubscriptions(database), submissions, options.publicUrl(),
                options.notificationEndpoints(), outbound);
        service.addListener(notifier);
        NoticeRenderer letters = new NoticeRenderer(engine.library().medicareRules(), options.planName(), zone,
                username -> security.users().find(username).map(org.medpolicy.security.User::signature).orElse(username));
        ReconsiderationService reconsiderations = new ReconsiderationService(determinations, repository,
                new JdbcReconsiderationRepository(database, phi), new IreCaseFiles(letters), caseTime);
        CaseComponents cases = new CaseComponents(service, repository, letters, submissions, notifier, reconsiderations,
                new ReconsiderationLetters(letters));
        // A reconsideration not decided by its deadline goes to the IRE as if upheld: looked for every minute.
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "medpolicy-reconsideration-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                reconsiderations.forwardOverdue(caseTime.instant()).forEach(forwarded -> options.messages().accept(
                        "reconsideration " + forwarded.reconsiderationId() + " missed its deadline: forwarded to the IRE"));
            } catch (RuntimeException e) {
                options.messages().accept("the reconsideration deadline sweep failed and will run again: " + e);
            }
        }, 1, 1, TimeUnit.MINUTES);

        MedpolicyServer server = new MedpolicyServer(determinations, clock, options.publicUrl(), options.accessLog(), security, cases,
                new DeterminationReplay(log, sets, () -> determinations.engine().dataVersion(), zone),
                new org.medpolicy.app.outbound.EhrFhirReads(outbound));
        // Servers sharing this database share each client's rate (the registered rate is the deployment's).
        org.medpolicy.store.JdbcServerInstances instances = new org.medpolicy.store.JdbcServerInstances(database);
        security.limiter().shareAmong(instances::live);
        return new Application(determinations, sets, published, cases, server, sweeper, outbound, instances);
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
        sweeper.shutdownNow();
        published.close();
        server.close();
        cases.notifier().close();
        outbound.close();
        instances.close();
    }

    /** The servers sharing this one's database, this one included. */
    public int servers() {
        return instances.live();
    }
}
