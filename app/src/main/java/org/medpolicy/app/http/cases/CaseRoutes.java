package org.medpolicy.app.http.cases;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.HttpProblems;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.fhir.FhirRoutes;

import java.util.function.Supplier;
import org.medpolicy.core.application.Channel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.medpolicy.app.notice.NoticeRenderer;
import org.medpolicy.core.cases.Actor;
import org.medpolicy.core.cases.CaseEvent;
import org.medpolicy.core.cases.CaseOutcome;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.CaseRepository;
import org.medpolicy.core.cases.CaseService;
import org.medpolicy.core.cases.Contact;
import org.medpolicy.core.cases.PriorAuthorizationReport;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.cases.Role;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.CoverageRequest;
import org.medpolicy.core.request.RequestReader;
import org.medpolicy.security.Caller;
import org.medpolicy.security.Session;

/**
 * The case API: {@code POST /v1/cases}, {@code GET /v1/cases} (the queue), {@code GET /v1/cases/{id}},
 * one {@code POST} per action ({@code information-requests}, {@code information}, {@code extension},
 * {@code decision}, {@code notice}, {@code withdrawal}), the notice PDF, and the CMS-0057-F report.
 * Handlers only translate: JSON in, {@link CaseService} call, JSON out; a refused action is a problem
 * document with the rule's reason (403, 404, 409, 422) and changes nothing.
 *
 * <p>Long because it is one short handler per case action, plus the case's JSON view. Thread-safe.
 */
public final class CaseRoutes {

    private final CaseComponents parts;
    private final CaseService cases;
    private final CaseRepository repository;
    private final Supplier<RequestReader> reader;
    private final NoticeRenderer notices;

    /** {@code reader}: the reader of the policy data in use (it changes when new data is published). */
    public CaseRoutes(CaseComponents parts, Supplier<RequestReader> reader) {
        this.parts = parts;
        this.cases = parts.service();
        this.repository = parts.repository();
        this.reader = reader;
        this.notices = parts.notices();
    }

    /** The case API's routes. */
    public void addTo(RouteTable table) {
        String tag = "Cases";
        table.post("/v1/cases", Access.user("system/cases.write"), RouteTable.Doc.of(tag, "File an organization-determination case")
                        .accepts(JSON, "NewCase").answers(201, JSON, null).errors(400, "malformed: every problem listed",
                                403, "the role may not file", 422, "not a PRE_SERVICE request, or received in the future"), this::create)
                .get("/v1/cases", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "The work queue: open cases and reconsiderations, earliest due first, with their type and flags"), this::queue)
                .get("/v1/cases/{caseId}", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "A case: request, recommendation, decision, clock, history, reconsiderations").errors(404, "no such case"), this::get)
                .get("/v1/cases/{caseId}/notice.pdf", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "The notice as sent, or a preview before it is sent").answers(200, "application/pdf", null)
                        .errors(404, "no such case", 409, "the case is not decided"), this::noticePdf)
                .post("/v1/cases/{caseId}/information-requests", Access.user(null), action(tag,
                        "Request information (REVIEWER, PHYSICIAN): the case is pended", "Reason"), this::requestInformation)
                .post("/v1/cases/{caseId}/information", Access.user(null), action(tag,
                        "Information received: answers by item index; the engine decides again", "Answers"), this::addInformation)
                .post("/v1/cases/{caseId}/questionnaire-response", Access.user(null), action(tag,
                        "A completed DTR QuestionnaireResponse: its answers go to the case and the engine decides again", "FhirResource"),
                        this::addQuestionnaireResponse)
                .post("/v1/cases/{caseId}/extension", Access.user(null), action(tag,
                        "Extend the deadline once, up to 14 calendar days (never Part B drugs)", "Extension"), this::extend)
                .post("/v1/cases/{caseId}/decision", Access.user(null), action(tag,
                        "Decide: adverse outcomes only by a PHYSICIAN (the signature); an override needs a rationale", "CaseDecision"),
                        this::decide)
                .post("/v1/cases/{caseId}/notice", Access.user(null), action(tag, "Send the notice (renders and keeps the PDF)", null),
                        this::notice)
                .post("/v1/cases/{caseId}/withdrawal", Access.user(null), action(tag, "Withdraw the request", "Reason"), this::withdraw)
                .get("/v1/reports/prior-authorization", Access.user("system/reports.read"), RouteTable.Doc.of("Reports",
                        "CMS-0057-F prior-authorization metrics for a year, with approved after appeal").errors(400, "no year"),
                        this::report);
    }

    /** The documentation of a case or reconsideration action: 200 with the changed value, or the rule that refused it. */
    static RouteTable.Doc action(String tag, String summary, String schema) {
        RouteTable.Doc doc = RouteTable.Doc.of(tag, summary);
        return (schema == null ? doc : doc.accepts(JSON, schema)).errors(400, "malformed: every problem listed",
                403, "the role may not take this action", 404, "no such case", 409,
                "not possible in the current state, or changed by someone else meanwhile", 422, "refused by the rules: why is in the detail");
    }

    private static final String JSON = "application/json";

    /** Who acts: the signed-in user, or a backend client (which may only file cases, as intake does). */
    public static Actor actor(Context ctx) {
        Session session = ctx.attribute(Gatekeeper.SESSION);
        if (session != null) {
            return session.user().actor();
        }
        Caller caller = org.medpolicy.app.http.Gatekeeper.caller(ctx);
        return new Actor(caller == null ? "client:unknown" : caller.name(), Set.of(Role.INTAKE));
    }

    void create(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode requestNode = body.path("request");
        if (!requestNode.isObject()) {
            errors.add(new FieldError("request", "is required: the contract request (kind PRE_SERVICE)"));
        }
        JsonNode requester = body.path("requester");
        if (!requester.path("name").isTextual() || requester.path("name").asText().isBlank()) {
            errors.add(new FieldError("requester.name", "is required: who asked, for the notice"));
        }
        if (!requester.path("address").isTextual() && !requester.path("email").isTextual()) {
            errors.add(new FieldError("requester", "needs an address or an email: where the notice goes"));
        }
        CoverageRequest request = null;
        if (requestNode.isObject()) {
            try {
                request = reader.get().read(requestNode);
            } catch (ProblemException e) {
                for (FieldError error : e.errors()) {
                    errors.add(new FieldError("request." + error.field(), error.message()));
                }
            }
        }
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        Contact contact = new Contact(requester.path("name").asText().strip(), optional(requester, "address"),
                optional(requester, "phone"), optional(requester, "email"));
        ReviewCase created = cases.create(new CaseService.NewCase(Channel.CASES, request, contact,
                body.path("expedited").asBoolean(false), body.path("expeditedByPhysician").asBoolean(false)), actor(ctx));
        ctx.header("Location", "/v1/cases/" + created.caseId());
        json(ctx, 201, view(created, true));
    }

    /**
     * The work queue: {@code cases} (open organization determinations, as before), and
     * {@code queue}, every open item of work of both types, earliest due first, each with its
     * {@code type} (ORGANIZATION_DETERMINATION or RECONSIDERATION), due time and flags.
     */
    void queue(Context ctx) {
        ObjectNode out = ContractJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("cases");
        List<ObjectNode> work = new ArrayList<>();
        for (ReviewCase reviewCase : repository.openQueue(500)) {
            ObjectNode view = view(reviewCase, false);
            list.add(view);
            work.add(queueEntry(view, "ORGANIZATION_DETERMINATION", "/v1/cases/" + reviewCase.caseId(), view.at("/clock/dueAt").asText(),
                    view.at("/clock/overdue").asBoolean(), view.at("/clock/dueWithin24Hours").asBoolean()));
        }
        var clock = parts.reconsiderations().clock();
        Instant now = Instant.now();
        for (var reconsideration : parts.reconsiderations().repository().openQueue(500)) {
            ObjectNode entry = queueEntry(null, "RECONSIDERATION", ReconsiderationRoutes.path(reconsideration),
                    clock.workDue(reconsideration).toString(), clock.isOverdue(reconsideration, now), clock.isDueWithin24Hours(reconsideration, now));
            entry.put("caseId", reconsideration.caseId());
            entry.put("reconsiderationId", reconsideration.reconsiderationId());
            entry.put("state", reconsideration.state().name());
            entry.put("task", reconsideration.state().isOpen() ? "DECIDE" : "EFFECTUATE");
            entry.put("expedited", reconsideration.expedited());
            entry.put("memberId", reconsideration.request().member() == null ? null : reconsideration.request().member().id());
            work.add(entry);
        }
        work.sort(java.util.Comparator.comparing((ObjectNode entry) -> Instant.parse(entry.get("dueAt").asText())));
        out.putArray("queue").addAll(work);
        json(ctx, 200, out);
    }

    private static ObjectNode queueEntry(ObjectNode caseView, String type, String href, String dueAt, boolean overdue, boolean soon) {
        ObjectNode entry = ContractJson.mapper().createObjectNode();
        entry.put("type", type);
        entry.put("href", href);
        entry.put("dueAt", dueAt);
        entry.put("overdue", overdue);
        entry.put("dueWithin24Hours", soon);
        if (caseView != null) {
            entry.put("caseId", caseView.get("caseId").asText());
            entry.put("state", caseView.get("state").asText());
            entry.put("task", "DECIDE");
            entry.put("expedited", caseView.get("expedited").asBoolean());
            entry.set("memberId", caseView.get("memberId"));
        }
        return entry;
    }

    void get(Context ctx) {
        json(ctx, 200, view(cases.load(ctx.pathParam("caseId")), true));
    }

    void requestInformation(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body != null) {
            json(ctx, 200, view(cases.requestInformation(ctx.pathParam("caseId"), actor(ctx), optional(body, "reason")), true));
        }
    }

    /** {@code {"answers": {"0": {"therapy": "TUMOR_INFILTRATING_LYMPHOCYTES"}}, "reason": "…"}}: answers by item index. */
    void addInformation(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body != null) {
            reconsider(ctx, Channel.CASES, body.path("answers"), optional(body, "reason"));
        }
    }

    /**
     * A completed DTR QuestionnaireResponse posted to the case: its coded answers go to every item
     * (a question only matters to an item that asks it), and the engine decides again.
     */
    void addQuestionnaireResponse(Context ctx) throws IOException {
        JsonNode tree;
        try {
            tree = RequestBodies.fhirJson(ctx, FhirRoutes.FHIR_JSON, "application/json");
        } catch (RequestBodies.FhirRefusal refusal) {
            HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("$", refusal.getMessage()))));
            return;
        }
        java.util.Map<String, String> given;
        try {
            given = org.medpolicy.fhir.dtr.DtrAnswers.of(org.medpolicy.fhir.Fhir.parse(tree, org.hl7.fhir.r4.model.QuestionnaireResponse.class, "$"));
        } catch (org.medpolicy.fhir.FhirInputException e) {
            HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("$", "not a QuestionnaireResponse: " + e.getMessage()))));
            return;
        }
        ReviewCase current = cases.load(ctx.pathParam("caseId"));
        ObjectNode byItem = ContractJson.mapper().createObjectNode();
        int items = current.request().items().size();
        for (int index = 0; index < items; index++) {
            ObjectNode answers = byItem.putObject(Integer.toString(index));
            given.forEach(answers::put);
        }
        reconsider(ctx, Channel.DTR, given.isEmpty() ? ContractJson.mapper().createObjectNode() : byItem, "QuestionnaireResponse received");
    }

    private void reconsider(Context ctx, Channel channel, JsonNode answers, String reason) throws IOException {
        ReviewCase current = cases.load(ctx.pathParam("caseId"));
        List<FieldError> errors = new ArrayList<>();
        java.util.Map<Integer, java.util.Map<String, String>> byItem = answersByItem(answers, current.request().items().size(), true, errors);
        CoverageRequest updated = null;
        if (errors.isEmpty()) {
            try {
                updated = reader.get().check(current.request().withAnswers(byItem));
            } catch (ProblemException e) {
                e.errors().forEach(error -> errors.add(new FieldError("answers (" + error.field() + ")", error.message())));
            }
        }
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        json(ctx, 200, view(cases.reconsider(current.caseId(), actor(ctx), channel, updated, reason), true));
    }

    /**
     * Answers by item index ({@code {"0": {"therapy": "…"}}}) for a request of {@code itemCount}
     * items; every malformed entry is added to {@code errors}. {@code required}: an empty or absent
     * object is itself an error.
     */
    static java.util.Map<Integer, java.util.Map<String, String>> answersByItem(JsonNode answers, int itemCount, boolean required,
                                                                               List<FieldError> errors) {
        java.util.Map<Integer, java.util.Map<String, String>> byItem = new java.util.TreeMap<>();
        if (answers.isMissingNode() || answers.isNull()) {
            if (required) {
                errors.add(new FieldError("answers", "is required: {\"<item index>\": {\"<question id>\": \"<answer code>\"}}"));
            }
            return byItem;
        }
        if (!answers.isObject() || (required && answers.isEmpty())) {
            errors.add(new FieldError("answers", "is required: {\"<item index>\": {\"<question id>\": \"<answer code>\"}}"));
            return byItem;
        }
        for (var entry : answers.properties()) {
            int index = entry.getKey().matches("\\d{1,3}") ? Integer.parseInt(entry.getKey()) : -1;
            if (index < 0 || index >= itemCount || !entry.getValue().isObject()) {
                errors.add(new FieldError("answers." + entry.getKey(), "names no item of the request (use its index, from 0)"));
                continue;
            }
            java.util.Map<String, String> given = new java.util.LinkedHashMap<>();
            for (var answer : entry.getValue().properties()) {
                if (answer.getValue().isTextual()) {
                    given.put(answer.getKey(), answer.getValue().asText());
                } else {
                    errors.add(new FieldError("answers." + entry.getKey() + "." + answer.getKey(), "must be an answer code (a string)"));
                }
            }
            byItem.put(index, given);
        }
        return byItem;
    }

    void extend(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        Integer days = days(ctx, body);
        if (days != null) {
            json(ctx, 200, view(cases.extend(ctx.pathParam("caseId"), actor(ctx), days, optional(body, "reason")), true));
        }
    }

    /** An extension's {@code days}; null after answering 400 when it is not a whole number. */
    static Integer days(Context ctx, JsonNode body) {
        if (!body.path("days").canConvertToInt()) {
            HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("days", "is required: calendar days, 1 to 14"))));
            return null;
        }
        return body.path("days").asInt();
    }

    void decide(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        CaseOutcome outcome;
        try {
            outcome = CaseOutcome.valueOf(body.path("outcome").asText());
        } catch (IllegalArgumentException e) {
            HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("outcome",
                    "must be one of APPROVED, PARTIALLY_APPROVED, DENIED, REFERRED"))));
            return;
        }
        json(ctx, 200, view(cases.decide(ctx.pathParam("caseId"), actor(ctx), outcome, optional(body, "rationale")), true));
    }

    void notice(Context ctx) {
        json(ctx, 200, view(parts.sendNotice(ctx.pathParam("caseId"), actor(ctx)), true));
    }

    /** The notice as sent, or, before it is sent, a preview of it. */
    void noticePdf(Context ctx) {
        ReviewCase current = cases.load(ctx.pathParam("caseId"));
        byte[] pdf = repository.notice(current.caseId()).orElse(null);
        if (pdf == null) {
            if (current.decision() == null) {
                throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "There is no notice before the case is decided.");
            }
            pdf = notices.render(current, true);
        }
        ctx.header("Content-Disposition", "inline; filename=\"notice-" + current.caseId() + ".pdf\"");
        ctx.status(200).contentType("application/pdf").result(pdf);
    }

    void withdraw(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body != null) {
            json(ctx, 200, view(cases.withdraw(ctx.pathParam("caseId"), actor(ctx), optional(body, "reason")), true));
        }
    }

    void report(Context ctx) {
        String year = ctx.queryParam("year");
        if (year == null || !year.matches("\\d{4}")) {
            HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("year", "is required: four digits, e.g. 2026"))));
            return;
        }
        int wanted = Integer.parseInt(year);
        var concluded = parts.reconsiderations().repository().concludedIn(wanted);
        json(ctx, 200, PriorAuthorizationReport.of(wanted, repository.decidedIn(wanted),
                org.medpolicy.core.reconsideration.AppealMetrics.of(concluded)));
    }

    ObjectNode view(ReviewCase reviewCase, boolean full) {
        Instant now = Instant.now();
        ObjectNode view = ContractJson.mapper().createObjectNode();
        view.put("caseId", reviewCase.caseId());
        view.put("type", "ORGANIZATION_DETERMINATION");
        view.put("state", reviewCase.state().name());
        view.put("receivedAt", reviewCase.receivedAt().toString());
        view.put("expedited", reviewCase.expedited());
        view.put("expeditedByPhysician", reviewCase.expeditedByPhysician());
        view.put("partBDrug", reviewCase.partBDrug());
        ObjectNode clock = view.putObject("clock");
        clock.put("dueAt", reviewCase.dueAt().toString());
        clock.put("originalDueAt", reviewCase.originalDueAt().toString());
        clock.put("overdue", cases.clock().isOverdue(reviewCase, now));
        clock.put("dueWithin24Hours", cases.clock().isDueWithin24Hours(reviewCase, now));
        if (reviewCase.extension() != null) {
            clock.set("extension", ContractJson.mapper().valueToTree(reviewCase.extension()));
        }
        view.put("recommended", reviewCase.recommended() == null ? null : reviewCase.recommended().name());
        if (reviewCase.decision() != null) {
            ObjectNode decision = ContractJson.mapper().valueToTree(reviewCase.decision());
            decision.put("override", reviewCase.decision().isOverride());
            view.set("decision", decision);
        }
        if (reviewCase.notifiedAt() != null) {
            view.put("notifiedAt", reviewCase.notifiedAt().toString());
        }
        CoverageRequest request = reviewCase.request();
        view.put("requestId", request.requestId());
        view.put("memberId", request.member() == null ? null : request.member().id());
        if (full) {
            view.set("requester", ContractJson.mapper().valueToTree(reviewCase.requester()));
            view.set("request", ContractJson.mapper().valueToTree(request));
            view.set("recommendation", ContractJson.mapper().valueToTree(reviewCase.recommendation()));
            ArrayNode history = view.putArray("history");
            for (CaseEvent event : repository.history(reviewCase.caseId())) {
                history.add(ContractJson.mapper().valueToTree(event));
            }
            ArrayNode appeals = view.putArray("reconsiderations");
            for (var reconsideration : parts.reconsiderations().repository().ofCase(reviewCase.caseId())) {
                appeals.addObject().put("reconsiderationId", reconsideration.reconsiderationId())
                        .put("state", reconsideration.state().name())
                        .put("outcome", reconsideration.decision() == null ? null : reconsideration.decision().outcome().name())
                        .put("href", ReconsiderationRoutes.path(reconsideration));
            }
        }
        return view;
    }

    /** A text field, stripped; null when absent or blank. */
    static String optional(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? value.asText().strip() : null;
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(ContractJson.write(body));
    }
}
