package org.medpolicy.app.http.api;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.HttpProblems;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.security.AuditEntry;
import org.medpolicy.security.AuditQuery;
import org.medpolicy.security.AuditTrail;

/**
 * {@code GET /v1/audit?from=&to=&client=&limit=}: the access audit, newest first, for a signed-in
 * ADMIN or a backend client holding {@code system/audit.read}. Without {@code from} the last 24 hours;
 * bad parameters are one 400 listing each. Thread-safe.
 */
public final class AuditRoutes {

    private final AuditTrail audit;

    public AuditRoutes(AuditTrail audit) {
        this.audit = audit;
    }

    /** The access audit's route. */
    public void addTo(RouteTable table) {
        table.get("/v1/audit", Access.user("system/audit.read"), RouteTable.Doc.of("Operations", "The access audit, newest first (administrators)")
                .errors(400, "malformed filter"), this::find);
    }

    void find(Context ctx) {
        org.medpolicy.security.Session session = ctx.attribute(Gatekeeper.SESSION);
        if (session != null && !session.user().roles().contains(org.medpolicy.core.cases.Role.ADMIN)) {
            throw new org.medpolicy.core.cases.CaseRefusal(org.medpolicy.core.cases.CaseRefusal.Reason.NOT_PERMITTED, "Only ADMIN may read the access audit.");
        }
        List<FieldError> errors = new ArrayList<>();
        Instant to = instant(ctx.queryParam("to"), "to", Instant.now().plusSeconds(1), errors);
        Instant from = instant(ctx.queryParam("from"), "from", to.minus(1, ChronoUnit.DAYS), errors);
        int limit = 100;
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to " + AuditQuery.MAX_LIMIT));
            }
        }
        if (errors.isEmpty() && !from.isBefore(to)) {
            errors.add(new FieldError("from", "must be before to"));
        }
        if (!errors.isEmpty()) {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
            return;
        }
        ObjectNode body = ContractJson.mapper().createObjectNode();
        ArrayNode entries = body.putArray("entries");
        for (AuditEntry entry : audit.find(new AuditQuery(from, to, ctx.queryParam("client"), limit))) {
            entries.add(ContractJson.mapper().valueToTree(entry));
        }
        ctx.status(200).contentType("application/json").result(ContractJson.write(body));
    }

    private static Instant instant(String text, String field, Instant otherwise, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return otherwise;
        }
        try {
            Instant instant = Instant.parse(text);
            if (!org.medpolicy.core.request.InstantRange.holds(instant)) {
                errors.add(new FieldError(field, "must be " + org.medpolicy.core.request.InstantRange.RULE));
                return otherwise;
            }
            return instant;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an instant such as 2026-11-27T00:00:00Z"));
            return otherwise;
        }
    }
}
