package org.medpolicy.app.http.api;

import io.javalin.http.Context;
import java.io.IOException;
import org.medpolicy.app.http.Access;
import org.medpolicy.app.http.ChannelMetrics;
import org.medpolicy.app.http.HttpProblems;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.RouteTable;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;

/**
 * The JSON API: {@code POST /v1/determinations} (decide, record, answer), reading determinations
 * back (as returned, what a channel sent, decided again), and the policies. A request the reader
 * refuses is a problem document listing every problem; a log that cannot take the determination
 * is a 503 from the server's one handler (nothing is sent that was not recorded). Thread-safe.
 */
public final class JsonApiRoutes {

    private static final String JSON = "application/json";

    private final DeterminationService determinations;
    private final DeterminationReplay replay;
    private final PolicyViews policies;
    private final ChannelMetrics metrics;

    public JsonApiRoutes(DeterminationService determinations, DeterminationReplay replay, PolicyViews policies, ChannelMetrics metrics) {
        this.determinations = determinations;
        this.replay = replay;
        this.policies = policies;
        this.metrics = metrics;
    }

    public void addTo(RouteTable table) {
        String tag = "Determinations";
        String read = "system/determinations.read";
        table.post("/v1/determinations", Access.scope("system/determinations.write"), RouteTable.Doc.of(tag, "Decide a coverage request")
                        .accepts(JSON, "Request").answers(201, JSON, "Determination").errors(400, "malformed: every problem listed",
                                413, "larger than 1 MiB", 415, "not application/json", 422, "no policy can decide it",
                                503, "the decision log cannot take it: not decided"), this::decide)
                .get("/v1/determinations", Access.scope(read), RouteTable.Doc.of(tag, "Find the determinations made for a request id")
                        .errors(400, "no requestId"), this::find)
                .get("/v1/determinations/{determinationId}", Access.scope(read), RouteTable.Doc.of(tag,
                        "The determination exactly as it was returned").answers(200, JSON, "Determination").errors(404, "no such determination"),
                        this::get)
                .get("/v1/determinations/{determinationId}/sent", Access.scope(read), RouteTable.Doc.of(tag,
                        "What a channel sent for a determination when that was not the determination itself, byte for byte")
                        .errors(404, "nothing else was sent, or no such determination"), this::sent)
                .get("/v1/determinations/{determinationId}/replay", Access.scope(read), RouteTable.Doc.of(tag,
                        "The determination decided again with the policy data it was decided under, and with today's")
                        .errors(404, "no such determination", 409, "cannot be replayed"), this::replay)
                .get("/v1/policies", Access.scope("system/policies.read"), RouteTable.Doc.of("Policies",
                        "The policies, their versions and review status"), ctx -> json(ctx, 200, policies.list()))
                .get("/v1/policies/{policyId}", Access.scope("system/policies.read"), RouteTable.Doc.of("Policies",
                        "One policy: versions, hierarchy, rules with citations, review").errors(404, "no such policy"), this::policy);
    }

    private void decide(Context ctx) throws IOException, RequestBodies.Refused {
        byte[] body = RequestBodies.json(ctx, JSON);
        DeterminationService.Decided decided;
        try {
            decided = determinations.decide(Channel.API, RequestReader.parse(body));
        } catch (ProblemException e) {
            metrics.refused(e.problem().status());
            throw e;
        }
        metrics.recorded(ctx, Channel.API, decided.determination());
        ctx.header("Location", "/v1/determinations/" + decided.determination().determinationId());
        ctx.status(201).contentType(JSON).result(decided.json().toByteArray());
    }

    private void get(Context ctx) {
        String id = ctx.pathParam("determinationId");
        var found = determinations.log().find(id);
        if (found.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No determination has id " + id + ".");
            return;
        }
        ctx.status(200).contentType(JSON).result(found.get().responseJson().toByteArray());
    }

    private void find(Context ctx) {
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
    private void sent(Context ctx) {
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

    private void policy(Context ctx) {
        var view = policies.one(ctx.pathParam("policyId"));
        if (view.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No policy has id " + ctx.pathParam("policyId") + ".");
            return;
        }
        json(ctx, 200, view.get());
    }

    private static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(ContractJson.write(body));
    }
}
