package org.medpolicy.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import org.medpolicy.core.reconsideration.StoredDocument;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.medpolicy.core.determination.Determination;
import org.medpolicy.core.engine.CoverageEngine;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.core.log.DeterminationLog;
import org.medpolicy.core.log.LogUnavailableException;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.crd.CrdService;

/**
 * The medpolicy HTTP server. One engine, one decision log, one set of routes:
 * <ul>
 *   <li>{@code POST /v1/determinations}, {@code GET /v1/determinations/{id}}, {@code GET /v1/determinations?requestId=}</li>
 *   <li>{@code GET /v1/policies}, {@code GET /v1/policies/{id}}</li>
 *   <li>{@code GET /cds-services}, {@code POST /cds-services/{id}} (Da Vinci CRD)</li>
 *   <li>{@code GET /fhir/metadata}, {@code GET /fhir/Questionnaire/{id}}, {@code POST /fhir/Questionnaire/$questionnaire-package} (DTR)</li>
 *   <li>{@code GET /health}, {@code GET /metrics}, {@code GET /openapi.json}</li>
 *   <li>{@code GET /.well-known/smart-configuration}, {@code GET /.well-known/jwks.json}, {@code POST /auth/token}, {@code GET /v1/audit}</li>
 * </ul>
 * Each route names who may call it ({@link Access}); the {@link Gatekeeper} enforces that before the
 * handler runs and audits the call after it.
 * Every determination is appended to the log (durably) before its response is written; if the
 * log cannot take it the caller gets 503 and the determination is not acknowledged. Errors are
 * problem documents (OperationOutcome for CDS Hooks input), never stack traces or HTML.
 *
 * <p>Long because it is the routing table: each handler is short and only translates. Thread-safe.
 */
public final class MedpolicyServer implements AutoCloseable {

    private static final String JSON = "application/json";
    private static final String CORRELATION = "medpolicy.correlationId";
    private static final String STARTED = "medpolicy.started";
    private static final String ROUTE = "medpolicy.route";

    private final DeterminationService determinations;
    private final DeterminationReplay replay;
    private final CrdService crd;
    private final PolicyViews policies;
    private final FhirRoutes fhir;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AccessLog accessLog;
    private final Gatekeeper gatekeeper;
    private final Javalin app;
    private volatile int listenPort;
    private volatile String listenHost = LOOPBACK;

    /** Where a server listens unless told otherwise: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    public MedpolicyServer(DeterminationService determinations, Clock clock, String publicUrl,
                           AccessLog accessLog, ServerSecurity security, CaseComponents caseParts, DeterminationReplay replay) {
        this.replay = replay;
        this.determinations = determinations;
        DeterminationLog log = determinations.log();
        this.crd = new CrdService(determinations::engine, request -> determinations.decide(Channel.CDS_HOOKS, request).determination(), clock, publicUrl);
        this.policies = new PolicyViews(() -> determinations.engine().library(), clock);
        // DTR questionnaires are built once, from the policy data the server starts with (they do not follow a reload yet).
        this.fhir = new FhirRoutes(new org.medpolicy.fhir.dtr.Questionnaires(determinations.engine().library(), publicUrl), log, crd);
        this.accessLog = accessLog;
        this.gatekeeper = new Gatekeeper(security, publicUrl,
                (ctx, e) -> accessLog.fault(correlation(ctx), ctx.method().name(), ctx.path(), e));
        TokenRoutes tokens = new TokenRoutes(security, gatekeeper, publicUrl);
        AuditRoutes audit = new AuditRoutes(security.audit());
        UserRoutes users = new UserRoutes(security);
        CaseRoutes cases = new CaseRoutes(caseParts, determinations::reader);
        ReconsiderationRoutes appeals = new ReconsiderationRoutes(caseParts);
        PasRoutes pas = new PasRoutes(caseParts, determinations);
        SubscriptionRoutes subscriptions = new SubscriptionRoutes(caseParts.notifier());
        WorkbenchRoutes workbench = new WorkbenchRoutes(security, caseParts, determinations::reader, policies);
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
            config.routes.post("/v1/determinations",
                    route("POST /v1/determinations", Access.scope("system/determinations.write"), this::postDetermination));
            config.routes.get("/v1/determinations/{determinationId}",
                    route("GET /v1/determinations/{id}", Access.scope("system/determinations.read"), this::getDetermination));
            config.routes.get("/v1/determinations/{determinationId}/sent",
                    route("GET /v1/determinations/{id}/sent", Access.scope("system/determinations.read"), this::getSent));
            config.routes.get("/v1/determinations/{determinationId}/replay",
                    route("GET /v1/determinations/{id}/replay", Access.scope("system/determinations.read"), this::replay));
            config.routes.get("/v1/determinations",
                    route("GET /v1/determinations", Access.scope("system/determinations.read"), this::findDeterminations));
            config.routes.get("/v1/policies",
                    route("GET /v1/policies", Access.scope("system/policies.read"), ctx -> json(ctx, 200, policies.list())));
            config.routes.get("/v1/policies/{policyId}",
                    route("GET /v1/policies/{id}", Access.scope("system/policies.read"), this::getPolicy));
            config.routes.get("/v1/audit", route("GET /v1/audit", Access.user("system/audit.read"), audit::find));
            config.routes.get("/cds-services",
                    route("GET /cds-services", Access.open(), ctx -> json(ctx, 200, crd.discovery())));
            config.routes.post("/cds-services/{serviceId}", route("POST /cds-services/{id}", Access.cdsHooks(), this::callHook));
            config.routes.get("/fhir/metadata", route("GET /fhir/metadata", Access.open(), fhir::metadata));
            config.routes.get("/fhir/Questionnaire/{id}",
                    route("GET /fhir/Questionnaire/{id}", Access.scope("system/Questionnaire.read"), fhir::readQuestionnaire));
            config.routes.post("/fhir/Questionnaire/$questionnaire-package", route("POST /fhir/Questionnaire/$questionnaire-package",
                    Access.scope("system/Questionnaire.read"), fhir::questionnairePackage));
            config.routes.post("/fhir/Questionnaire/$next-question", route("POST /fhir/Questionnaire/$next-question",
                    Access.scope("system/Questionnaire.read"), fhir::nextQuestion));
            config.routes.post("/fhir/Questionnaire/$log-questionnaire-errors", route("POST /fhir/Questionnaire/$log-questionnaire-errors",
                    Access.scope("system/Questionnaire.read"), fhir::logQuestionnaireErrors));
            config.routes.get("/fhir/ValueSet/$expand", route("GET /fhir/ValueSet/$expand", Access.scope("system/Questionnaire.read"), fhir::expand));
            config.routes.post("/fhir/ValueSet/$expand", route("POST /fhir/ValueSet/$expand", Access.scope("system/Questionnaire.read"), fhir::expand));
            config.routes.get("/fhir/Library/{id}", route("GET /fhir/Library/{id}", Access.scope("system/Questionnaire.read"), fhir::readLibrary));
            config.routes.get("/fhir/ValueSet/{id}", route("GET /fhir/ValueSet/{id}", Access.scope("system/Questionnaire.read"), fhir::readValueSet));
            config.routes.post("/v1/cases/{caseId}/questionnaire-response", route("POST /v1/cases/{id}/questionnaire-response",
                    Access.user(null), cases::addQuestionnaireResponse));
            config.routes.post("/fhir/Subscription", route("POST /fhir/Subscription", Access.scope("system/Claim.write"), subscriptions::create));
            config.routes.get("/fhir/Subscription/{id}",
                    route("GET /fhir/Subscription/{id}", Access.scope("system/ClaimResponse.read"), subscriptions::read));
            config.routes.post("/fhir/Claim/$submit", route("POST /fhir/Claim/$submit", Access.scope("system/Claim.write"), pas::submit));
            config.routes.post("/fhir/Claim/$inquire",
                    route("POST /fhir/Claim/$inquire", Access.scope("system/ClaimResponse.read"), pas::inquire));
            config.routes.get("/.well-known/smart-configuration",
                    route("GET /.well-known/smart-configuration", Access.open(), tokens::smartConfiguration));
            config.routes.get("/.well-known/jwks.json", route("GET /.well-known/jwks.json", Access.open(), tokens::jwks));
            config.routes.post("/auth/token", route("POST /auth/token", Access.open(), tokens::token));
            config.routes.post("/v1/sessions", route("POST /v1/sessions", Access.open(), users::signIn));
            config.routes.delete("/v1/sessions/current", route("DELETE /v1/sessions/current", Access.user(null), users::signOut));
            config.routes.get("/v1/users", route("GET /v1/users", Access.user(null), users::list));
            config.routes.post("/v1/users", route("POST /v1/users", Access.user(null), users::add));
            config.routes.post("/v1/cases", route("POST /v1/cases", Access.user("system/cases.write"), cases::create));
            config.routes.get("/v1/cases", route("GET /v1/cases", Access.user("system/cases.read"), cases::queue));
            config.routes.get("/v1/cases/{caseId}", route("GET /v1/cases/{id}", Access.user("system/cases.read"), cases::get));
            config.routes.get("/v1/cases/{caseId}/notice.pdf",
                    route("GET /v1/cases/{id}/notice.pdf", Access.user("system/cases.read"), cases::noticePdf));
            config.routes.post("/v1/cases/{caseId}/information-requests",
                    route("POST /v1/cases/{id}/information-requests", Access.user(null), cases::requestInformation));
            config.routes.post("/v1/cases/{caseId}/information",
                    route("POST /v1/cases/{id}/information", Access.user(null), cases::addInformation));
            config.routes.post("/v1/cases/{caseId}/extension", route("POST /v1/cases/{id}/extension", Access.user(null), cases::extend));
            config.routes.post("/v1/cases/{caseId}/decision", route("POST /v1/cases/{id}/decision", Access.user(null), cases::decide));
            config.routes.post("/v1/cases/{caseId}/notice", route("POST /v1/cases/{id}/notice", Access.user(null), cases::notice));
            config.routes.post("/v1/cases/{caseId}/withdrawal", route("POST /v1/cases/{id}/withdrawal", Access.user(null), cases::withdraw));
            String reconsideration = "/v1/cases/{caseId}/reconsiderations/{reconsiderationId}";
            config.routes.post("/v1/cases/{caseId}/reconsiderations", route("POST /v1/cases/{id}/reconsiderations",
                    Access.user("system/cases.write"), appeals::file));
            config.routes.get("/v1/cases/{caseId}/reconsiderations", route("GET /v1/cases/{id}/reconsiderations",
                    Access.user("system/cases.read"), appeals::list));
            config.routes.get(reconsideration, route("GET /v1/cases/{id}/reconsiderations/{id}", Access.user("system/cases.read"), appeals::get));
            config.routes.post(reconsideration + "/information", route("POST /v1/cases/{id}/reconsiderations/{id}/information",
                    Access.user(null), appeals::addInformation));
            config.routes.post(reconsideration + "/extension", route("POST /v1/cases/{id}/reconsiderations/{id}/extension",
                    Access.user(null), appeals::extend));
            config.routes.post(reconsideration + "/decision", route("POST /v1/cases/{id}/reconsiderations/{id}/decision",
                    Access.user(null), appeals::decide));
            config.routes.post(reconsideration + "/ire-decision", route("POST /v1/cases/{id}/reconsiderations/{id}/ire-decision",
                    Access.user(null), appeals::recordIreDecision));
            config.routes.post(reconsideration + "/effectuation", route("POST /v1/cases/{id}/reconsiderations/{id}/effectuation",
                    Access.user(null), appeals::effectuate));
            config.routes.post(reconsideration + "/dismissal", route("POST /v1/cases/{id}/reconsiderations/{id}/dismissal",
                    Access.user(null), appeals::dismiss));
            config.routes.post(reconsideration + "/notices/{kind}", route("POST /v1/cases/{id}/reconsiderations/{id}/notices/{kind}",
                    Access.user(null), appeals::sendNotice));
            config.routes.get(reconsideration + "/notices/{kind}", route("GET /v1/cases/{id}/reconsiderations/{id}/notices/{kind}",
                    Access.user("system/cases.read"), appeals::noticePdf));
            config.routes.get(reconsideration + "/ire-case-file.pdf", route("GET /v1/cases/{id}/reconsiderations/{id}/ire-case-file.pdf",
                    Access.user("system/cases.read"), ctx -> appeals.caseFile(ctx, StoredDocument.CASE_FILE_PDF)));
            config.routes.get(reconsideration + "/ire-case-file.json", route("GET /v1/cases/{id}/reconsiderations/{id}/ire-case-file.json",
                    Access.user("system/cases.read"), ctx -> appeals.caseFile(ctx, StoredDocument.CASE_FILE_BUNDLE)));
            config.routes.get("/v1/reports/prior-authorization", route("GET /v1/reports/prior-authorization",
                    Access.user("system/reports.read"), cases::report));
            config.routes.get("/workbench/sign-in", route("GET /workbench/sign-in", Access.open(), workbench::signInPage));
            config.routes.post("/workbench/sign-in", route("POST /workbench/sign-in", Access.open(), workbench::signIn));
            config.routes.post("/workbench/sign-out", route("POST /workbench/sign-out", Access.page(), workbench::signOut));
            config.routes.get("/workbench", route("GET /workbench", Access.page(), workbench::queue));
            config.routes.get("/workbench/cases/new", route("GET /workbench/cases/new", Access.page(), workbench::newCasePage));
            config.routes.post("/workbench/cases", route("POST /workbench/cases", Access.page(), workbench::createCase));
            config.routes.get("/workbench/cases/{caseId}", route("GET /workbench/cases/{id}", Access.page(), workbench::casePage));
            config.routes.post("/workbench/cases/{caseId}/{action}",
                    route("POST /workbench/cases/{id}/{action}", Access.page(), workbench::act));
            config.routes.get("/workbench/cases/{caseId}/reconsiderations/{reconsiderationId}",
                    route("GET /workbench/cases/{id}/reconsiderations/{id}", Access.page(), workbench.reconsiderations()::page));
            config.routes.post("/workbench/cases/{caseId}/reconsiderations/{reconsiderationId}/{action}",
                    route("POST /workbench/cases/{id}/reconsiderations/{id}/{action}", Access.page(), workbench.reconsiderations()::act));
            config.routes.get("/workbench/policies/{policyId}", route("GET /workbench/policies/{id}", Access.page(), workbench::policyPage));
            config.routes.get("/health", route("GET /health", Access.open(), this::health));
            config.routes.get("/metrics", route("GET /metrics", Access.scope("system/metrics.read"),
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape())));
            config.routes.get("/openapi.json", route("GET /openapi.json", Access.anyToken(),
                    ctx -> ctx.contentType(JSON).result(openApi())));
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
            config.routes.exception(org.medpolicy.core.cases.CaseRefusal.class, (e, ctx) -> CaseRefusals.send(ctx, e));
            config.routes.exception(ProblemException.class, (e, ctx) -> HttpProblems.send(ctx, e.problem()));
            config.routes.exception(LogUnavailableException.class, (e, ctx) -> logUnavailable(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String correlation = correlation(ctx);
                accessLog.fault(correlation, ctx.method().name(), ctx.path(), e);
                HttpProblems.send(ctx, Problem.internal(correlation));
            });
        });
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
        app.stop();
    }

    // ---- JSON API -----------------------------------------------------------------------------

    private void postDetermination(Context ctx) throws IOException {
        byte[] body;
        try {
            body = RequestBodies.json(ctx, JSON);
        } catch (RequestBodies.Refused refused) {
            HttpProblems.send(ctx, refused.status, refused.status == 415 ? "Unsupported media type" : "Content too large",
                    refused.getMessage());
            return;
        }
        DeterminationService.Decided decided;
        try {
            JsonNode tree = RequestReader.parse(body);
            decided = determinations.decide(Channel.API, tree);
        } catch (ProblemException e) {
            HttpProblems.send(ctx, e.problem());
            metrics.counter("medpolicy.determinations.refused", "status", Integer.toString(e.problem().status())).increment();
            return;
        } catch (LogUnavailableException e) {
            logUnavailable(ctx, e);
            return;
        }
        counted(ctx, Channel.API, decided.determination());
        ctx.header("Location", "/v1/determinations/" + decided.determination().determinationId());
        ctx.status(201).contentType(JSON).result(decided.json().toByteArray());
    }

    private void getDetermination(Context ctx) {
        String id = ctx.pathParam("determinationId");
        var found = determinations.log().find(id);
        if (found.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No determination has id " + id + ".");
            return;
        }
        ctx.status(200).contentType(JSON).result(found.get().responseJson().toByteArray());
    }

    private void findDeterminations(Context ctx) {
        String requestId = ctx.queryParam("requestId");
        if (requestId == null || requestId.isBlank()) {
            HttpProblems.send(ctx, 400, "Invalid request", "Give the request id to search for.", "requestId",
                    "is required: GET /v1/determinations?requestId=PA-2026-000123");
            return;
        }
        StringBuilder body = new StringBuilder("{\"requestId\":").append(ContractJson.write(requestId)).append(",\"determinations\":[");
        var records = determinations.log().findByRequestId(requestId);
        for (int i = 0; i < records.size(); i++) {
            body.append(i == 0 ? "" : ",").append(records.get(i).responseJson().text());
        }
        ctx.status(200).contentType(JSON).result(body.append("]}").toString());
    }

    /** What a channel sent for a determination when that was not the determination itself, as it was sent. */
    private void getSent(Context ctx) {
        String id = ctx.pathParam("determinationId");
        var found = determinations.log().findSent(id);
        if (found.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", determinations.log().find(id).isPresent()
                    ? "Determination " + id + " was sent as it is stored (GET /v1/determinations/" + id + "); nothing else was sent."
                    : "No determination has id " + id + ".");
            return;
        }
        ctx.status(200).contentType(found.get().contentType()).result(found.get().body().toByteArray());
    }

    /** The determination decided again with the policy data it was decided under, and with today's. */
    private void replay(Context ctx) {
        String id = ctx.pathParam("determinationId");
        try {
            var replayed = replay.replay(id);
            if (replayed.isEmpty()) {
                HttpProblems.send(ctx, 404, "Not found", "No determination has id " + id + ".");
                return;
            }
            json(ctx, 200, replayed.get());
        } catch (DeterminationReplay.NotReplayable e) {
            HttpProblems.send(ctx, 409, "Cannot be replayed", e.getMessage());
        }
    }

    private void getPolicy(Context ctx) {
        var view = policies.one(ctx.pathParam("policyId"));
        if (view.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No policy has id " + ctx.pathParam("policyId") + ".");
            return;
        }
        json(ctx, 200, view.get());
    }

    // ---- CDS Hooks ------------------------------------------------------------------------------

    private void callHook(Context ctx) throws IOException {
        var hook = CrdService.Hook.byId(ctx.pathParam("serviceId"));
        if (hook.isEmpty()) {
            fhirError(ctx, 404, new FhirInputException("serviceId", "no CDS service has id " + ctx.pathParam("serviceId")));
            return;
        }
        JsonNode tree;
        try {
            tree = RequestBodies.fhirJson(ctx, JSON);
        } catch (RequestBodies.FhirRefusal refusal) {
            fhirError(ctx, refusal.status, refusal.input);
            return;
        }
        CrdService.HookOutcome outcome;
        try {
            outcome = crd.call(hook.get(), tree);
        } catch (FhirInputException e) {
            fhirError(ctx, 400, e);
            return;
        } catch (LogUnavailableException e) {
            logUnavailable(ctx, e);
            return;
        }
        // What the EHR is sent is kept beside the determination, byte for byte, before it is sent.
        Utf8Json sent = ContractJson.writeUtf8(outcome.response());
        if (outcome.determination() != null) {
            try {
                determinations.recordSent(Channel.CDS_HOOKS, outcome.determination().determinationId(), JSON, sent);
            } catch (LogUnavailableException e) {
                logUnavailable(ctx, e);
                return;
            }
            counted(ctx, Channel.CDS_HOOKS, outcome.determination());
        }
        ctx.status(200).contentType(JSON).result(sent.toByteArray());
    }

    private static void fhirError(Context ctx, int status, FhirInputException e) {
        FhirRoutes.send(ctx, status, e.toOperationOutcome());
    }

    // ---- Operations -------------------------------------------------------------------------------

    private void health(Context ctx) {
        boolean database = determinations.log().isReady();
        ObjectNode health = ContractJson.mapper().createObjectNode();
        health.put("status", database ? "UP" : "DOWN");
        ObjectNode checks = health.putObject("checks");
        checks.put("database", database ? "UP" : "DOWN");
        CoverageEngine inUse = determinations.engine();
        checks.put("policies", inUse.library().policies().size() + " version(s) loaded");
        health.put("policyData", inUse.dataVersion());
        json(ctx, database ? 200 : 503, health);
    }

    private static String openApi() throws IOException {
        try (InputStream in = MedpolicyServer.class.getResourceAsStream("/openapi.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- Plumbing -------------------------------------------------------------------------------

    /** Counts a recorded determination and notes its id for the access log. */
    private void counted(Context ctx, Channel channel, Determination determination) {
        metrics.counter("medpolicy.determinations", "channel", channel.name(), "status", determination.status().name()).increment();
        ctx.attribute("medpolicy.determinationId", determination.determinationId());
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
        if (ctx.path().startsWith("/fhir") || ctx.path().startsWith("/cds-services")) {
            FhirRoutes.send(ctx, 503, new FhirInputException(java.util.List.of(new FhirInputException.Issue("determination",
                    org.hl7.fhir.r4.model.OperationOutcome.IssueType.TRANSIENT, detail))).toOperationOutcome());
        } else {
            HttpProblems.send(ctx, new Problem("https://medpolicy.org/problems/log-unavailable", "Service unavailable", 503,
                    detail, java.util.List.of(), correlation));
        }
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(ContractJson.write(body));
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
        Long started = ctx.attribute(STARTED);
        long micros = started == null ? -1 : (System.nanoTime() - started) / 1_000;
        String route = ctx.attribute(ROUTE) == null ? ctx.path() : ctx.attribute(ROUTE);
        accessLog.request(correlation(ctx), ctx.method().name(), route, ctx.statusCode(), micros, ctx.attribute("medpolicy.determinationId"));
        gatekeeper.audit(ctx, route, correlation(ctx));
    }

    private static String correlation(Context ctx) {
        String correlation = ctx.attribute(CORRELATION);
        return correlation == null ? UUID.randomUUID().toString() : correlation;
    }
}
