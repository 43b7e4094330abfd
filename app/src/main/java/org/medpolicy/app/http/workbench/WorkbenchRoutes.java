package org.medpolicy.app.http.workbench;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.SecuritySettings;
import org.medpolicy.app.http.ServerSecurity;
import org.medpolicy.app.http.api.PolicyViews;
import org.medpolicy.app.http.cases.CaseComponents;
import org.medpolicy.app.http.cases.CaseRefusals;

import java.util.function.Supplier;
import org.medpolicy.core.application.Channel;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestBuilder;
import org.medpolicy.core.request.RequestKind;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.security.AuthenticationException;
import org.medpolicy.security.Session;
import org.medpolicy.security.Sessions;

/**
 * The reviewer workbench under {@code /workbench}: sign-in, the queue, filing a case, the case page
 * with its actions, and the policy page (reconsiderations: {@link WorkbenchReconsiderations}).
 * Server-rendered HTML forms from jte templates ({@link Templates}); each action posts to the same
 * {@link CaseService} the JSON API uses and comes back to the case page with what happened, or with
 * the rule that refused it. The session is a cookie (HttpOnly, SameSite=Strict, Secure under HTTPS);
 * every form carries the session's CSRF token, which the {@link Gatekeeper} checks. Thread-safe.
 */
public final class WorkbenchRoutes {

    private final ServerSecurity security;
    private final CaseComponents cases;
    private final Supplier<RequestReader> reader;
    private final WorkbenchPages pages;
    private final PolicyViews policies;
    private final WorkbenchReconsiderations appeals;

    /** {@code reader}: the reader of the policy data in use (it changes when new data is published). */
    public WorkbenchRoutes(ServerSecurity security, CaseComponents cases, Supplier<RequestReader> reader, PolicyViews policies) {
        this.security = security;
        this.cases = cases;
        this.reader = reader;
        this.pages = new WorkbenchPages(cases.service().clock());
        this.policies = policies;
        this.appeals = new WorkbenchReconsiderations(cases, pages);
    }

    private List<String> therapies() {
        return reader.get().vocabulary().therapies().stream().sorted().toList();
    }

    /** The workbench's pages and forms. */
    public void addTo(RouteTable table) {
        String tag = "Workbench";
        String html = "text/html";
        table.get("/workbench/sign-in", Access.open(), page(tag, "The sign-in page"), this::signInPage)
                .post("/workbench/sign-in", Access.open(), page(tag, "Sign in (form); 303 to the queue").answers(303, null, null)
                        .accepts("application/x-www-form-urlencoded", null).errors(401, "wrong username or password", 429, "too many failed sign-ins"),
                        this::signIn)
                .post("/workbench/sign-out", Access.page(), page(tag, "Sign out (form)").answers(303, null, null), this::signOut)
                .get("/workbench", Access.page(), page(tag, "The queue: open determinations and reconsiderations"), this::queue)
                .get("/workbench/cases/new", Access.page(), page(tag, "The filing form"), this::newCasePage)
                .post("/workbench/cases", Access.page(), form(tag, "File a case (form)"), this::createCase)
                .get("/workbench/cases/{caseId}", Access.page(), page(tag, "A case and the actions the user may take").errors(404, "no such case"),
                        this::casePage)
                .post("/workbench/cases/{caseId}/{action}", Access.page(), form(tag,
                        "A case action (form): information-requests, information, extension, decision, notice, withdrawal, reconsiderations"),
                        this::act)
                .get("/workbench/cases/{caseId}/reconsiderations/{reconsiderationId}", Access.page(), page(tag,
                        "A reconsideration and the actions the user may take").errors(404, "no such reconsideration"), appeals::page)
                .post("/workbench/cases/{caseId}/reconsiderations/{reconsiderationId}/{action}", Access.page(), form(tag,
                        "A reconsideration action (form): information, decision, extension, ire-decision, effectuation, dismissal, notice-…"),
                        appeals::act)
                .get("/workbench/policies/{policyId}", Access.page(), page(tag, "A policy: versions, review status, rules")
                        .errors(404, "no such policy"), this::policyPage);
    }

    private static RouteTable.Doc page(String tag, String summary) {
        return RouteTable.Doc.of(tag, summary).answers(200, "text/html", null);
    }

    private static RouteTable.Doc form(String tag, String summary) {
        return page(tag, summary).accepts("application/x-www-form-urlencoded", null).answers(303, null, null)
                .errors(400, "the form has problems (the page lists them)", 404, "no such case",
                        409, "not possible in the current state", 415, "not a url-encoded form", 422, "refused by the rules (the page says why)");
    }

    void signInPage(Context ctx) {
        signInForm(ctx, 200, null);
    }

    private static void signInForm(Context ctx, int status, String error) {
        Templates.page(ctx, status, "Sign in", null, null, "workbench/signIn.jte",
                java.util.Map.of("errors", error == null ? List.of() : List.of(error)));
    }

    void signIn(Context ctx) {
        SecuritySettings limits = security.settings();
        String bucket = "refused:" + ctx.ip();
        if (security.limiter().isExhausted(bucket, limits.failureRate(), limits.failureBurst())) {
            ctx.header("Retry-After", "1");
            signInForm(ctx, 429, "Too many failed sign-ins from this address; wait a moment.");
            return;
        }
        try {
            String username = form(ctx, "username");
            char[] password = form(ctx, "password").toCharArray();
            Sessions.Started started = security.signIns().attempt(username, ctx.ip(), () -> security.sessions().signIn(username, password));
            Cookie cookie = new Cookie(Gatekeeper.SESSION_COOKIE, started.token(), "/", (int) Sessions.LIFETIME.toSeconds(),
                    "https".equals(ctx.scheme()), true, null, SameSite.STRICT);
            ctx.cookie(cookie);
            ctx.redirect("/workbench", io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (AuthenticationException e) {
            security.limiter().tryAcquire(bucket, limits.failureRate(), limits.failureBurst());
            signInForm(ctx, 401, e.getMessage());
        } catch (org.medpolicy.security.SignInThrottle.Throttled throttled) {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            signInForm(ctx, 429, throttled.getMessage());
        }
    }

    void signOut(Context ctx) {
        security.sessions().signOut(ctx.cookie(Gatekeeper.SESSION_COOKIE));
        ctx.removeCookie(Gatekeeper.SESSION_COOKIE, "/");
        ctx.redirect("/workbench/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void queue(Context ctx) {
        Session session = session(ctx);
        Templates.page(ctx, 200, "Queue", session.user().displayName(), session.csrfToken(), "workbench/queue.jte",
                java.util.Map.of("rows", pages.queue(cases.repository().openQueue(500), cases.reconsiderations().repository().openQueue(500),
                        cases.reconsiderations().clock(), Instant.now())));
    }

    void newCasePage(Context ctx) {
        newCaseForm(ctx, 200, List.of());
    }

    private void newCaseForm(Context ctx, int status, List<String> errors) {
        Session session = session(ctx);
        Templates.page(ctx, status, "New case", session.user().displayName(), session.csrfToken(), "workbench/newCase.jte",
                java.util.Map.of("csrf", session.csrfToken(), "therapies", pages.therapyOptions(therapies()), "errors", errors,
                        "items", WorkbenchPages.ITEMS));
    }

    void createCase(Context ctx) {
        Session session = session(ctx);
        RequestBuilder request = reader.get().builder().requestId("WB-" + System.currentTimeMillis()).kind(RequestKind.PRE_SERVICE)
                .dateOfService(form(ctx, "dateOfService"))
                .requester(form(ctx, "requesterRole"), null).member(form(ctx, "memberId"), form(ctx, "memberName"), null);
        // Up to WorkbenchPages.ITEMS services, as a request usually names them together (the
        // apheresis, the infusion, the product); a service left blank is not one.
        for (int i = 1; i <= WorkbenchPages.ITEMS; i++) {
            String suffix = WorkbenchPages.itemSuffix(i);
            RequestBuilder.Item item = request.item().therapy(form(ctx, "therapy" + suffix)).product(form(ctx, "product" + suffix))
                    .description(form(ctx, "description" + suffix));
            if (!form(ctx, "code" + suffix).isEmpty()) {
                item.code(form(ctx, "codeSystem" + suffix).isEmpty() ? null : form(ctx, "codeSystem" + suffix), form(ctx, "code" + suffix));
            }
            for (String code : form(ctx, "diagnoses" + suffix).split("[,;\\s]+")) {
                item.diagnosis(code);
            }
        }
        request.withoutEmptyItems();
        List<String> errors = new ArrayList<>();
        if (form(ctx, "requesterName").isEmpty()) {
            errors.add("Requester name: required (the notice is addressed to them).");
        }
        if (form(ctx, "requesterAddress").isEmpty()) {
            errors.add("Address for the notice: required.");
        }
        CoverageRequest parsed = null;
        try {
            parsed = request.build();
        } catch (ProblemException e) {
            e.errors().forEach(error -> errors.add(error.field() + ": " + error.message()));
        }
        if (!errors.isEmpty()) {
            newCaseForm(ctx, 400, errors);
            return;
        }
        try {
            ReviewCase created = cases.service().create(new CaseService.NewCase(Channel.WORKBENCH, parsed,
                    new Contact(form(ctx, "requesterName"), form(ctx, "requesterAddress"), blankToNull(form(ctx, "requesterPhone")), null),
                    "true".equals(form(ctx, "expedited")), "true".equals(form(ctx, "expeditedByPhysician"))), session.user().actor());
            ctx.redirect("/workbench/cases/" + created.caseId() + "?done=filed", io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (CaseRefusal refusal) {
            newCaseForm(ctx, CaseRefusals.status(refusal), List.of(refusal.getMessage()));
        }
    }

    void casePage(Context ctx) {
        String done = ctx.queryParam("done");
        String message = done == null ? null : switch (done) {
            case "filed" -> "Case filed; the engine's recommendation is below.";
            case "information-requests" -> "Information requested; the case is pended.";
            case "information" -> "Answer recorded; the engine decided again.";
            case "extension" -> "Deadline extended.";
            case "decision" -> "Decision recorded.";
            case "notice" -> "Notice sent.";
            case "withdrawal" -> "Request withdrawn.";
            case "reconsiderations" -> "Reconsideration filed.";
            default -> null;
        };
        showCase(ctx, 200, message, List.of());
    }

    private void showCase(Context ctx, int status, String message, List<String> errors) {
        Session session = session(ctx);
        ReviewCase reviewCase = cases.service().load(ctx.pathParam("caseId"));
        Templates.page(ctx, status, "Case " + reviewCase.caseId(), session.user().displayName(), session.csrfToken(), "workbench/case.jte",
                java.util.Map.of("page", pages.casePage(reviewCase, cases.repository().history(reviewCase.caseId()),
                        cases.reconsiderations().repository().ofCase(reviewCase.caseId()), session, Instant.now(), message, errors)));
    }

    /** One case action from a form: done → back to the case page; refused → the case page with the rule that refused it. */
    void act(Context ctx) {
        Session session = session(ctx);
        String id = ctx.pathParam("caseId");
        String action = ctx.pathParam("action");
        var actor = session.user().actor();
        try {
            switch (action) {
                case "information-requests" -> cases.service().requestInformation(id, actor, form(ctx, "reason"));
                case "information" -> answer(ctx, id, actor);
                case "extension" -> cases.service().extend(id, actor, parseDays(form(ctx, "days")), form(ctx, "extensionReason"));
                case "decision" -> cases.service().decide(id, actor, outcome(form(ctx, "outcome")), blankToNull(form(ctx, "rationale")));
                case "notice" -> cases.sendNotice(id, actor);
                case "withdrawal" -> cases.service().withdraw(id, actor, form(ctx, "withdrawReason"));
                case "reconsiderations" -> {
                    var filed = appeals.file(ctx, id, actor);
                    ctx.redirect(WorkbenchPages.reconsiderationPath(filed) + "?done=filed", io.javalin.http.HttpStatus.SEE_OTHER);
                    return;
                }
                default -> throw new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "There is no action " + action + ".");
            }
            ctx.redirect("/workbench/cases/" + id + "?done=" + action, io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (CaseRefusal refusal) {
            if (refusal.reason() == CaseRefusal.Reason.NO_SUCH_CASE && cases.repository().find(id).isEmpty()) {
                throw refusal;
            }
            showCase(ctx, CaseRefusals.status(refusal), null, List.of(refusal.getMessage()));
        }
    }

    private void answer(Context ctx, String id, org.medpolicy.core.cases.Actor actor) {
        ReviewCase current = cases.service().load(id);
        try {
            int index = Integer.parseInt(form(ctx, "item"));
            if (index < 0 || index >= current.request().items().size()) {
                throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The request has no item " + (index + 1) + ".");
            }
            var answered = current.request().withAnswers(java.util.Map.of(index, java.util.Map.of(form(ctx, "question"), form(ctx, "answer"))));
            cases.service().reconsider(id, actor, Channel.WORKBENCH, reader.get().check(answered), "answer recorded in the workbench");
        } catch (NumberFormatException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The answer could not be read.");
        } catch (ProblemException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "The answer is not one the question offers: " + e.errors().get(0).message());
        }
    }

    void policyPage(Context ctx) {
        Session session = session(ctx);
        var view = policies.one(ctx.pathParam("policyId"));
        if (view.isEmpty()) {
            throw new CaseRefusal(CaseRefusal.Reason.NO_SUCH_CASE, "No policy has id " + ctx.pathParam("policyId") + ".");
        }
        JsonNode policy = ContractJson.mapper().valueToTree(view.get());
        Templates.page(ctx, 200, policy.path("title").asText(), session.user().displayName(), session.csrfToken(), "workbench/policy.jte",
                java.util.Map.of("policy", policy));
    }

    /** The reconsideration page and its actions. */
    WorkbenchReconsiderations reconsiderations() {
        return appeals;
    }

    static Session session(Context ctx) {
        return ctx.attribute(Gatekeeper.SESSION);
    }

    /** A field of the posted form; only url-encoded forms are read (the workbench sends nothing else). */
    static String form(Context ctx, String name) {
        if (!String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new io.javalin.http.HttpResponseException(415, "Send the form as application/x-www-form-urlencoded.");
        }
        String value = ctx.formParam(name);
        return value == null ? "" : value.strip();
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static int parseDays(String days) {
        try {
            return Integer.parseInt(days);
        } catch (NumberFormatException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Days must be a whole number from 1 to 14.");
        }
    }

    private static CaseOutcome outcome(String name) {
        try {
            return CaseOutcome.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new CaseRefusal(CaseRefusal.Reason.NOT_PROCESSABLE, "Choose an outcome.");
        }
    }
}
