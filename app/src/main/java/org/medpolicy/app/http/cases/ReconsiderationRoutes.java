package org.medpolicy.app.http.cases;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.HttpProblems;
import org.medpolicy.app.http.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.cases.CaseRefusal;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.core.reconsideration.DismissalReason;
import org.medpolicy.core.reconsideration.NewReconsideration;
import org.medpolicy.core.reconsideration.NoticeKind;
import org.medpolicy.core.reconsideration.Reconsideration;
import org.medpolicy.core.reconsideration.ReconsiderationClock;
import org.medpolicy.core.reconsideration.ReconsiderationEvent;
import org.medpolicy.core.reconsideration.ReconsiderationOutcome;
import org.medpolicy.core.reconsideration.ReconsiderationService;
import org.medpolicy.core.reconsideration.RequestedBy;
import org.medpolicy.core.reconsideration.StoredDocument;

/**
 * The reconsideration API under {@code /v1/cases/{caseId}/reconsiderations}: filing, reading, one
 * {@code POST} per action ({@code information}, {@code extension}, {@code decision},
 * {@code ire-decision}, {@code effectuation}, {@code dismissal}, {@code notices/{kind}}), the notices
 * (as sent, or previewed) and the IRE case file. Handlers only translate: a malformed body is a 400
 * listing every problem; the rules' refusals (403, 404, 409, 422) come from
 * {@link ReconsiderationService} and change nothing. Thread-safe.
 */
public final class ReconsiderationRoutes {

    private final CaseComponents parts;
    private final ReconsiderationService reconsiderations;

    public ReconsiderationRoutes(CaseComponents parts) {
        this.parts = parts;
        this.reconsiderations = parts.reconsiderations();
    }

    /** The reconsideration API's routes. */
    public void addTo(RouteTable table) {
        String tag = "Reconsiderations";
        String one = "/v1/cases/{caseId}/reconsiderations/{reconsiderationId}";
        table.post("/v1/cases/{caseId}/reconsiderations", Access.user("system/cases.write"), CaseRoutes.action(tag,
                        "File a reconsideration of a decided case's denied items", "NewReconsideration").answers(201, "application/json", null),
                        this::file)
                .get("/v1/cases/{caseId}/reconsiderations", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "The reconsiderations of a case").errors(404, "no such case"), this::list)
                .get(one, Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "A reconsideration: request, recommendation, clock, decision, forwarding, history").errors(404, "no such reconsideration"),
                        this::get)
                .post(one + "/information", Access.user(null), CaseRoutes.action(tag,
                        "New information: answers by item index; the engine decides again", "Answers"), this::addInformation)
                .post(one + "/extension", Access.user(null), CaseRoutes.action(tag,
                        "Extend once, up to 14 calendar days (never Part B drugs)", "Extension"), this::extend)
                .post(one + "/decision", Access.user(null), CaseRoutes.action(tag,
                        "Decide: REVERSED, PARTLY_REVERSED or UPHELD, by someone not involved (a PHYSICIAN for medical necessity)",
                        "ReconsiderationDecision"), this::decide)
                .post(one + "/ire-decision", Access.user(null), CaseRoutes.action(tag,
                        "Record the independent review entity's decision", "IreDecision"), this::recordIreDecision)
                .post(one + "/effectuation", Access.user(null), CaseRoutes.action(tag,
                        "Record that a reversal was effectuated", "Note"), this::effectuate)
                .post(one + "/dismissal", Access.user(null), CaseRoutes.action(tag, "Dismiss the request", "Dismissal"), this::dismiss)
                .post(one + "/notices/{kind}", Access.user(null), CaseRoutes.action(tag,
                        "Send a notice: decision, forwarded-to-ire or dismissal", null), this::sendNotice)
                .get(one + "/notices/{kind}", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "A notice as sent, or a preview before it is sent").answers(200, "application/pdf", null)
                        .errors(400, "no such kind of notice", 404, "no such reconsideration", 409, "no such notice now"), this::noticePdf)
                .get(one + "/ire-case-file.pdf", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "The IRE case file for a person").answers(200, "application/pdf", null)
                        .errors(404, "no such reconsideration", 409, "not forwarded"), ctx -> caseFile(ctx, StoredDocument.CASE_FILE_PDF))
                .get(one + "/ire-case-file.json", Access.user("system/cases.read"), RouteTable.Doc.of(tag,
                        "The IRE case file as a bundle (medpolicy.ire-case-file/1)")
                        .errors(404, "no such reconsideration", 409, "not forwarded"), ctx -> caseFile(ctx, StoredDocument.CASE_FILE_BUNDLE));
    }

    /** {@code POST /v1/cases/{caseId}/reconsiderations}: 201 with the reconsideration, its id and its clock. */
    void file(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        ReviewCase reviewCase = parts.service().load(ctx.pathParam("caseId"));
        List<FieldError> errors = new ArrayList<>();
        NewReconsideration incoming = filing(body, reviewCase.request().items().size(), errors);
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        Reconsideration filed = reconsiderations.file(reviewCase.caseId(), incoming, CaseRoutes.actor(ctx), Channel.CASES);
        ctx.header("Location", path(filed));
        json(ctx, 201, view(filed, true));
    }

    /** The filing a body describes; every malformed field is added to {@code errors}. Shared with the workbench's form. */
    static NewReconsideration filing(JsonNode body, int itemCount, List<FieldError> errors) {
        JsonNode by = body.path("requestedBy");
        String role = by.isObject() ? by.path("role").asText(by.path("type").asText("")) : by.asText("");
        String name = by.isObject() ? text(by, "name") : text(body, "requesterName");
        RequestedBy requestedBy = null;
        if (role.isBlank()) {
            errors.add(new FieldError("requestedBy", "is required: MEMBER, REPRESENTATIVE or PHYSICIAN"));
        } else {
            try {
                requestedBy = RequestedBy.valueOf(role.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("requestedBy", "'" + role + "' is not one of MEMBER, REPRESENTATIVE, PHYSICIAN"));
            }
        }
        List<Integer> items = null;
        JsonNode itemsNode = body.path("items");
        if (itemsNode.isArray()) {
            items = new ArrayList<>();
            for (int i = 0; i < itemsNode.size(); i++) {
                if (itemsNode.get(i).canConvertToInt() && itemsNode.get(i).isIntegralNumber()) {
                    items.add(itemsNode.get(i).asInt());
                } else {
                    errors.add(new FieldError("items[" + i + "]", "must be an item index (a whole number from 0)"));
                }
            }
        } else if (!itemsNode.isMissingNode() && !itemsNode.isNull()) {
            errors.add(new FieldError("items", "must be a list of item indexes, e.g. [0, 2]"));
        }
        JsonNode expedited = body.path("expedited");
        if (!expedited.isMissingNode() && !expedited.isBoolean()) {
            errors.add(new FieldError("expedited", "must be true or false"));
        }
        Instant receivedAt = instant(body, "receivedAt", errors);
        Map<Integer, Map<String, String>> answers = CaseRoutes.answersByItem(body.path("answers"), itemCount, false, errors);
        return new NewReconsideration(requestedBy, name, items, expedited.asBoolean(false), text(body, "reason"), text(body, "goodCause"),
                receivedAt, answers);
    }

    void list(Context ctx) {
        ReviewCase reviewCase = parts.service().load(ctx.pathParam("caseId"));
        ObjectNode out = ContractJson.mapper().createObjectNode();
        ArrayNode list = out.putArray("reconsiderations");
        for (Reconsideration reconsideration : reconsiderations.repository().ofCase(reviewCase.caseId())) {
            list.add(view(reconsideration, false));
        }
        json(ctx, 200, out);
    }

    void get(Context ctx) {
        json(ctx, 200, view(load(ctx), true));
    }

    void addInformation(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        Reconsideration current = load(ctx);
        List<FieldError> errors = new ArrayList<>();
        var answers = CaseRoutes.answersByItem(body.path("answers"), current.request().items().size(), true, errors);
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        json(ctx, 200, view(reconsiderations.addInformation(current.reconsiderationId(), CaseRoutes.actor(ctx), Channel.CASES, answers,
                text(body, "reason")), true));
    }

    void extend(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        Integer days = CaseRoutes.days(ctx, body);
        if (days != null) {
            json(ctx, 200, view(reconsiderations.extend(load(ctx).reconsiderationId(), CaseRoutes.actor(ctx), days, text(body, "reason")), true));
        }
    }

    /** {@code {"outcome": "REVERSED" | "PARTLY_REVERSED" | "UPHELD", "rationale": "…", "reversedItems": [0]}}. */
    void decide(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        ReconsiderationOutcome outcome = choice(ReconsiderationOutcome.class, body, "outcome", errors);
        List<Integer> reversed = new ArrayList<>();
        JsonNode named = body.has("reversedItems") ? body.path("reversedItems") : body.path("items");
        for (JsonNode index : named) {
            if (index.isIntegralNumber()) {
                reversed.add(index.asInt());
            } else {
                errors.add(new FieldError("reversedItems", "must be item indexes (whole numbers from 0)"));
            }
        }
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        json(ctx, 200, view(reconsiderations.decide(load(ctx).reconsiderationId(), CaseRoutes.actor(ctx), outcome, reversed,
                text(body, "rationale")), true));
    }

    /** {@code {"outcome": "UPHELD" | "OVERTURNED", "decidedAt": "…", "reference": "…", "rationale": "…"}}. */
    void recordIreDecision(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        Reconsideration.IreOutcome outcome = choice(Reconsideration.IreOutcome.class, body, "outcome", errors);
        Instant decidedAt = instant(body, "decidedAt", errors);
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        json(ctx, 200, view(reconsiderations.recordIreDecision(load(ctx).reconsiderationId(), CaseRoutes.actor(ctx), outcome,
                text(body, "reference"), text(body, "rationale"), decidedAt), true));
    }

    void effectuate(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body != null) {
            json(ctx, 200, view(reconsiderations.effectuate(load(ctx).reconsiderationId(), CaseRoutes.actor(ctx), text(body, "note")), true));
        }
    }

    /** {@code {"reason": "NOT_PROPER_PARTY" | "LATE_WITHOUT_GOOD_CAUSE" | "WITHDRAWN", "explanation": "…"}}. */
    void dismiss(Context ctx) throws IOException {
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        DismissalReason reason = choice(DismissalReason.class, body, "reason", errors);
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        json(ctx, 200, view(reconsiderations.dismiss(load(ctx).reconsiderationId(), CaseRoutes.actor(ctx), reason,
                text(body, "explanation")), true));
    }

    /** {@code POST …/notices/{kind}}: renders the letter and records it as sent. */
    void sendNotice(Context ctx) {
        NoticeKind kind = noticeKind(ctx);
        if (kind != null) {
            Reconsideration current = load(ctx);
            json(ctx, 200, view(parts.sendReconsiderationNotice(current.caseId(), current.reconsiderationId(), kind, CaseRoutes.actor(ctx)), true));
        }
    }

    /** {@code GET …/notices/{kind}} ({@code decision}, {@code forwarded-to-ire}, {@code dismissal}, optionally with {@code .pdf}): the letter as sent, or, before it is sent, a preview. */
    void noticePdf(Context ctx) {
        String name = ctx.pathParam("kind");
        NoticeKind kind = noticeKind(ctx, name.endsWith(".pdf") ? name.substring(0, name.length() - 4) : name);
        if (kind == null) {
            return;
        }
        Reconsideration current = load(ctx);
        byte[] pdf = reconsiderations.repository().document(current.reconsiderationId(), StoredDocument.notice(kind))
                .map(StoredDocument::body).orElse(null);
        if (pdf == null) {
            if (!current.noticesDue().contains(kind)) {
                throw new CaseRefusal(CaseRefusal.Reason.CONFLICT, "There is no " + kind + " notice for this reconsideration ("
                        + current.state() + ").");
            }
            pdf = parts.reconsiderationLetters().render(parts.service().load(current.caseId()), current, kind, true);
        }
        ctx.header("Content-Disposition", "inline; filename=\"" + kind.pathName() + "-" + current.reconsiderationId() + ".pdf\"");
        ctx.status(200).contentType("application/pdf").result(pdf);
    }

    /** {@code GET …/ire-case-file.pdf} and {@code …/ire-case-file.json}: the case file as forwarded. */
    void caseFile(Context ctx, String kind) {
        Reconsideration current = load(ctx);
        StoredDocument document = reconsiderations.repository().document(current.reconsiderationId(), kind).orElseThrow(() ->
                new CaseRefusal(CaseRefusal.Reason.CONFLICT, "Reconsideration " + current.reconsiderationId() + " was not forwarded to the IRE ("
                        + current.state() + "): there is no case file."));
        ctx.status(200).contentType(document.contentType()).result(document.body());
    }

    private Reconsideration load(Context ctx) {
        return reconsiderations.load(ctx.pathParam("caseId"), ctx.pathParam("reconsiderationId"));
    }

    /** The reconsideration as JSON; {@code full} adds the request, the recommendation and the history. */
    ObjectNode view(Reconsideration reconsideration, boolean full) {
        ReconsiderationClock clock = reconsiderations.clock();
        Instant now = Instant.now();
        ObjectNode view = ContractJson.mapper().valueToTree(reconsideration);
        view.put("type", "RECONSIDERATION");
        if (!full) {
            view.remove("request");
            view.remove("recommendation");
        }
        ObjectNode timing = view.putObject("clock");
        timing.put("dueAt", reconsideration.dueAt().toString());
        timing.put("originalDueAt", reconsideration.originalDueAt().toString());
        Instant workDue = clock.workDue(reconsideration);
        timing.put("workDueAt", workDue == null ? null : workDue.toString());
        timing.put("overdue", clock.isOverdue(reconsideration, now));
        timing.put("dueWithin24Hours", clock.isDueWithin24Hours(reconsideration, now));
        if (reconsideration.extension() != null) {
            timing.set("extension", ContractJson.mapper().valueToTree(reconsideration.extension()));
        }
        ArrayNode due = view.putArray("noticesDue");
        reconsideration.noticesDue().forEach(kind -> due.add(kind.name()));
        view.put("href", path(reconsideration));
        if (full) {
            ArrayNode history = view.putArray("history");
            for (ReconsiderationEvent event : reconsiderations.repository().history(reconsideration.reconsiderationId())) {
                history.add(ContractJson.mapper().valueToTree(event));
            }
        }
        return view;
    }

    static String path(Reconsideration reconsideration) {
        return "/v1/cases/" + reconsideration.caseId() + "/reconsiderations/" + reconsideration.reconsiderationId();
    }

    private static NoticeKind noticeKind(Context ctx) {
        return noticeKind(ctx, ctx.pathParam("kind"));
    }

    private static NoticeKind noticeKind(Context ctx, String name) {
        var kind = NoticeKind.fromPathName(name);
        if (kind.isPresent()) {
            return kind.get();
        }
        HttpProblems.send(ctx, Problem.invalidRequest(List.of(new FieldError("kind", "'" + name
                + "' is not a notice: decision, forwarded-to-ire or dismissal"))));
        return null;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, JsonNode body, String field, List<FieldError> errors) {
        String value = body.path(field).asText("");
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        errors.add(new FieldError(field, "must be one of " + java.util.Arrays.toString(type.getEnumConstants())));
        return null;
    }

    private static Instant instant(JsonNode body, String field, List<FieldError> errors) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        try {
            Instant instant = Instant.parse(value.asText());
            if (!org.medpolicy.core.request.InstantRange.holds(instant)) {
                errors.add(new FieldError(field, "must be " + org.medpolicy.core.request.InstantRange.RULE));
                return null;
            }
            return instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an instant, e.g. 2026-12-01T14:30:00Z"));
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        return CaseRoutes.optional(node, field);
    }

    private static void json(Context ctx, int status, Object body) {
        CaseRoutes.json(ctx, status, body);
    }
}
