package org.medpolicy.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.medpolicy.app.http.api.AuditRoutes;
import org.medpolicy.app.http.api.JsonApiRoutes;
import org.medpolicy.app.http.api.PolicyViews;
import org.medpolicy.app.http.auth.TokenRoutes;
import org.medpolicy.app.http.auth.UserRoutes;
import org.medpolicy.app.http.cases.CaseComponents;
import org.medpolicy.app.http.cases.CaseRefusals;
import org.medpolicy.app.http.cases.CaseRoutes;
import org.medpolicy.app.http.cases.ReconsiderationRoutes;
import org.medpolicy.app.http.cdshooks.CdsHooksRoutes;
import org.medpolicy.app.http.fhir.FhirRoutes;
import org.medpolicy.app.http.fhir.PasRoutes;
import org.medpolicy.app.http.fhir.SubscriptionRoutes;
import org.medpolicy.app.http.workbench.WorkbenchRoutes;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.LogUnavailableException;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.crd.CrdService;

/**
 * The medpolicy HTTP server: the plumbing every channel shares. Each channel adds its routes to one
 * {@link RouteTable} (the JSON API, CDS Hooks, DTR and PAS, cases and reconsiderations, security,
 * the workbench); the server installs them behind the {@link Gatekeeper} (who may call: each
 * route's {@link Access}, enforced before the handler runs and audited after), serves
 * {@code /openapi.json} made from the same table, and answers every error in one place: a refused
 * case action, a refused request, FHIR input that cannot be used, a body over the limits and a
 * store that cannot take a determination each have one handler (a problem document, an
 * OperationOutcome under {@code /fhir} and {@code /cds-services}), so handlers throw and do not catch;
 * and anything else is a 500 with a correlation id, never a stack trace or HTML. Every
 * determination is appended to the log (durably) before its response is written; if the log cannot
 * take it the caller gets 503 and the determination is not acknowledged.
 *
 * <p>Thread-safe.
 */
public final class MedpolicyServer implements AutoCloseable {

    /** How long a shutdown waits for the calls under way. */
    static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(10);
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;

    private static final String JSON = "application/json";
    private static final String CORRELATION = "medpolicy.correlationId";
    private static final String STARTED = "medpolicy.started";
    private static final String ROUTE = "medpolicy.route";

    /** Where a server listens unless told otherwise: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    private final DeterminationService determinations;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AccessLog accessLog;
    private final Gatekeeper gatekeeper;
    private final RouteTable routes = new RouteTable();
    private final String openApi;
    private final Javalin app;
    private volatile int listenPort;
    private volatile String listenHost = LOOPBACK;

    public MedpolicyServer(DeterminationService determinations, Clock clock, String publicUrl,
                           AccessLog accessLog, ServerSecurity security, CaseComponents caseParts, DeterminationReplay replay,
                           org.medpolicy.app.outbound.EhrFhirReads ehrReads) {
        this.determinations = determinations;
        this.accessLog = accessLog;
        this.gatekeeper = new Gatekeeper(security, publicUrl,
                (ctx, e) -> accessLog.fault(correlation(ctx), ctx.method().name(), ctx.path(), e));
        ChannelMetrics counted = new ChannelMetrics(metrics);
        CrdService crd = new CrdService(determinations::engine, (request, madeBy) -> determinations.decide(Channel.CDS_HOOKS, madeBy, request).determination(),
                clock, publicUrl);
        PolicyViews policies = new PolicyViews(() -> determinations.engine().library(), clock);
        new JsonApiRoutes(determinations, replay, policies, counted).addTo(routes);
        new CdsHooksRoutes(crd, determinations, counted, security.clients(), ehrReads).addTo(routes);
        // DTR questionnaires are built once, from the policy data the server starts with (they do not follow a reload yet).
        new FhirRoutes(new org.medpolicy.fhir.dtr.Questionnaires(determinations.engine().library(), publicUrl), determinations.log(), crd,
                security.clients()).addTo(routes);
        new PasRoutes(caseParts, determinations, security.clients()).addTo(routes);
        new SubscriptionRoutes(caseParts.notifier(), security.clients()).addTo(routes);
        new CaseRoutes(caseParts, determinations::reader).addTo(routes);
        new ReconsiderationRoutes(caseParts).addTo(routes);
        new TokenRoutes(security, gatekeeper, publicUrl).addTo(routes);
        new UserRoutes(security).addTo(routes);
        new AuditRoutes(security.audit()).addTo(routes);
        new WorkbenchRoutes(security, caseParts, determinations::reader, policies).addTo(routes);
        routes.get("/health", Access.open(), RouteTable.Doc.of("Operations", "Liveness, database readiness, the policy data in use")
                        .errors(503, "the database is not ready"), this::health)
                .get("/metrics", Access.scope("system/metrics.read"), RouteTable.Doc.of("Operations", "Prometheus metrics")
                        .answers(200, "text/plain", null), ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()))
                .get("/openapi.json", Access.anyToken(), RouteTable.Doc.of("Operations", "This API's OpenAPI 3.1 description, made from the routes"),
                        ctx -> ctx.contentType(JSON).result(openApi()));
        this.openApi = ContractJson.write(OpenApiDocument.of(routes, TokenRoutes.SCOPES));

        SecuritySettings settings = security.settings();
        this.app = Javalin.create(config -> {
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = RequestBodies.MAX_BYTES;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(10_000);
                server.setErrorHandler(new ProblemErrorHandler());
                server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setRequestHeaderSize(16 * 1024);
                http.setMinRequestDataRate(settings.minRequestBytesPerSecond());
                if (settings.behindProxy()) {
                    http.addCustomizer(new org.eclipse.jetty.server.ForwardedRequestCustomizer());
                }
            });
            config.jetty.addConnector((server, http) -> Listeners.connector(server, http, listenHost, listenPort, settings));
            config.startup.showJavalinBanner = false;

            config.routes.before(this::begin);
            for (RouteTable.Route route : routes.routes()) {
                config.routes.addHttpHandler(route.method(), route.path(), route(route.name(), route.access(), route.handler()));
            }
            config.routes.after(this::end);

            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 404) {
                    HttpProblems.send(ctx, 404, "Not found", "There is no resource at " + ctx.path() + ".");
                } else if (e.getStatus() == 405) {
                    HttpProblems.send(ctx, 405, "Method not allowed", ctx.method() + " is not allowed on " + ctx.path() + ".");
                } else if (e.getStatus() == 413) {
                    HttpProblems.send(ctx, 413, "Content too large", "The request body is larger than 1 MiB.");
                } else {
                    HttpProblems.send(ctx, e.getStatus(), "Request refused", e.getMessage());
                }
            });
            config.routes.exception(CaseRefusal.class, (e, ctx) -> CaseRefusals.send(ctx, e));
            config.routes.exception(FhirInputException.class, (e, ctx) -> fhirInput(ctx, 400, e));
            config.routes.exception(RequestBodies.FhirRefusal.class, (e, ctx) -> fhirInput(ctx, e.status(), e.input()));
            config.routes.exception(RequestBodies.Refused.class, (e, ctx) -> HttpProblems.send(ctx, e.status(),
                    e.status() == 415 ? "Unsupported media type" : "Content too large", e.getMessage()));
            config.routes.exception(ProblemException.class, (e, ctx) -> HttpProblems.send(ctx, e.problem()));
            config.routes.exception(LogUnavailableException.class, (e, ctx) -> logUnavailable(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String correlation = correlation(ctx);
                accessLog.fault(correlation, ctx.method().name(), ctx.path(), e);
                HttpProblems.send(ctx, Problem.internal(correlation));
            });
        });
    }

    /** The OpenAPI description of {@link #routes}, as {@code /openapi.json} serves it. */
    public String openApi() {
        return openApi;
    }

    /** Every route, as installed and as {@code /openapi.json} describes them. */
    public RouteTable routes() {
        return routes;
    }

    /** Starts listening on {@code port} (0 for any free port) on the loopback interface only. */
    public MedpolicyServer start(int port) {
        return start(LOOPBACK, port);
    }

    /** Starts listening on {@code port} (0 for any free port) at {@code host} ({@code 0.0.0.0}: every interface). */
    public MedpolicyServer start(String host, int port) {
        this.listenHost = host;
        this.listenPort = port;
        app.start(port);
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting connections, lets in-flight requests finish (up to 10 s), then stops. */
    @Override
    public void close() {
        drain(DRAIN);
        app.stop();
    }

    /**
     * Stops accepting connections and waits, up to {@code patience}, for the calls under way to be
     * answered. Why before anything is closed: a SIGTERM under load used to answer 16 calls in
     * flight with errors, because the store went away under them. The connections stay open while
     * they finish; new ones are refused, and a call that still arrives on an open connection is
     * answered with {@code Connection: close}.
     */
    private void drain(java.time.Duration patience) {
        draining = true;
        for (org.eclipse.jetty.server.Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof org.eclipse.jetty.server.AbstractNetworkConnector network) {
                network.setAccepting(false);
            }
        }
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Calls begun and not yet answered. */
    int inFlight() {
        return inFlight.get();
    }

    private void health(Context ctx) {
        boolean database = determinations.log().isReady();
        ObjectNode health = ContractJson.mapper().createObjectNode();
        health.put("status", database ? "UP" : "DOWN");
        ObjectNode checks = health.putObject("checks");
        checks.put("database", database ? "UP" : "DOWN");
        String failure = database ? null : determinations.log().storeFailure();
        if (failure != null) {
            // What an operator needs to act (a full disk), never data: the store's own message, shortened.
            checks.put("databaseFailure", failure.length() > 300 ? failure.substring(0, 300) + "…" : failure);
        }
        CoverageEngine inUse = determinations.engine();
        checks.put("policies", inUse.library().policies().size() + " version(s) loaded");
        health.put("policyData", inUse.dataVersion());
        ctx.status(database ? 200 : 503).contentType(JSON).result(ContractJson.write(health));
    }

    /** FHIR input that cannot be used: an OperationOutcome on the FHIR channels, a problem document elsewhere; every issue listed. */
    private static void fhirInput(Context ctx, int status, FhirInputException e) {
        if (HttpProblems.isFhirChannel(ctx)) {
            FhirRoutes.send(ctx, status, e.toOperationOutcome());
        } else {
            HttpProblems.send(ctx, new Problem(Problem.INVALID_REQUEST, "Invalid request", status, e.getMessage(), e.issues().stream()
                    .map(issue -> new org.medpolicy.core.problem.FieldError(issue.where(), issue.message())).toList(), null));
        }
    }

    /**
     * 503 when the decision log cannot take a determination: it was not recorded, so it is not sent,
     * on every channel (an OperationOutcome under /fhir and /cds-services, a problem document elsewhere).
     */
    private void logUnavailable(Context ctx, LogUnavailableException e) {
        String correlation = correlation(ctx);
        accessLog.fault(correlation, ctx.method().name(), ctx.path(), e);
        String detail = "The determination could not be stored, so it was not made. Try again; quote the correlation id "
                + correlation + " if it persists.";
        // HttpProblems renders it as an OperationOutcome (a transient issue) under /fhir and /cds-services.
        HttpProblems.send(ctx, new Problem("https://medpolicy.org/problems/log-unavailable", "Service unavailable", 503,
                detail, java.util.List.of(), correlation));
    }

    /** A route: its name for logs and metrics, who may call it ({@link Gatekeeper}), and what it does. */
    private Handler route(String route, Access access, Handler handler) {
        Timer.Builder builder = Timer.builder("medpolicy.http.requests").tag("route", route).publishPercentileHistogram();
        return ctx -> {
            ctx.attribute(ROUTE, route);
            long start = System.nanoTime();
            try {
                if (gatekeeper.admit(ctx, access)) {
                    handler.handle(ctx);
                }
            } finally {
                builder.tag("status", Integer.toString(ctx.statusCode())).register(metrics)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    private void begin(Context ctx) {
        inFlight.incrementAndGet();
        if (draining) {
            // Answered, but the client is told not to send more on this connection: we are stopping.
            ctx.header("Connection", "close");
        }
        ctx.attribute(STARTED, System.nanoTime());
        String incoming = ctx.header("X-Request-Id");
        String correlation = incoming != null && incoming.matches("[A-Za-z0-9._-]{1,64}") ? incoming : UUID.randomUUID().toString();
        ctx.attribute(CORRELATION, correlation);
        ctx.header("X-Request-Id", correlation);
        // Responses carry PHI (determinations, cases, claims): no cache may keep them.
        ctx.header("Cache-Control", "no-store");
        // Javalin routes by X-HTTP-Method-Override when it is present, so a GET could act as a POST
        // (withdraw a case, record a determination) past method-based defences: refused outright.
        if (ctx.header("X-HTTP-Method-Override") != null || ctx.header("X-HTTP-Method") != null
                || ctx.header("X-Method-Override") != null) {
            throw new HttpResponseException(400, "Method-override headers are not accepted: send the request with its own method.");
        }
    }

    private void end(Context ctx) {
        inFlight.decrementAndGet();
        Long started = ctx.attribute(STARTED);
        long micros = started == null ? -1 : (System.nanoTime() - started) / 1_000;
        String route = ctx.attribute(ROUTE) == null ? ctx.path() : ctx.attribute(ROUTE);
        accessLog.request(correlation(ctx), ctx.method().name(), route, ctx.statusCode(), micros, ctx.attribute(ChannelMetrics.DETERMINATION_ID));
        gatekeeper.audit(ctx, route, correlation(ctx));
    }

    private static String correlation(Context ctx) {
        String correlation = ctx.attribute(CORRELATION);
        return correlation == null ? UUID.randomUUID().toString() : correlation;
    }
}
