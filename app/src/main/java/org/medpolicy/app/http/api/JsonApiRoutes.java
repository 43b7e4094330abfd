package org.medpolicy.app.http.api;

import io.javalin.http.Context;
import java.io.IOException;
import org.medpolicy.app.http.Access;
import org.medpolicy.app.http.ChannelMetrics;
import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.HttpProblems;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.RouteTable;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationReplay;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.log.DecisionRecord;
import org.medpolicy.core.log.DeterminationSearch;
import org.medpolicy.security.Caller;
import java.util.List;
import java.util.Optional;
import org.medpolicy.core.problem.ProblemException;
import org.medpolicy.core.request.RequestReader;

/**
 * The JSON API: {@code POST /v1/determinations} (decide, record, answer), reading determinations
 * back (as returned, what a channel sent, decided again), and the policies. A request the reader
 * refuses is a problem document listing every problem; a log that cannot take the determination
 * is a 503 from the server's one handler (nothing is sent that was not recorded).
 *
 * <p>A client reads back only the determinations it asked for; to it, another client's do not
 * exist (404, and absent from searches). A client holding {@value #READ_ALL} by name (an
 * auditor's, a plan's own reporting; a {@code system/*.read} wildcard does not bring it) reads
 * every one. Searches are paged. Thread-safe.
 */
public final class JsonApiRoutes {

    private static final String JSON = "application/json";
    /** The scope that reads every client's determinations, not only the caller's own. */
    public static final String READ_ALL = "system/determinations-all.read";
    private static final int DEFAULT_PAGE = 100;

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
                .get("/v1/determinations", Access.scope(read), RouteTable.Doc.of(tag,
                        "The determinations made for a request id, a page at a time (limit, after; next links the page after)")
                        .errors(400, "no requestId, or a limit out of range"), this::find)
                .get("/v1/determinations/{determinationId}", Access.scope(read), RouteTable.Doc.of(tag,
                        "The determination exactly as it was returned").answers(200, JSON, "Determination").errors(404, "no such determination"),
                        this::get)
                .get("/v1/determinations/{determinationId}/sent", Access.scope(read), RouteTable.Doc.of(tag,
                        "What a channel sent for a determination when that was not the determination itself, byte for byte")
                        .errors(404, "nothing else was sent, or no such determination"), this::sent)
                .get("/v1/determinations/{determinationId}/replay", Access.scope(read).costing(Access.HEAVY_READ), RouteTable.Doc.of(tag,
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
            decided = determinations.decide(Channel.API, Gatekeeper.caller(ctx).name(), RequestReader.parse(body));
        } catch (ProblemException e) {
            metrics.refused(e.problem().status());
            throw e;
        }
        metrics.recorded(ctx, Channel.API, decided.determination());
        ctx.header("Location", "/v1/determinations/" + decided.determination().determinationId());
        ctx.status(201).contentType(JSON).result(decided.json().toByteArray());
    }

    /** The logged determination, if it exists and the caller may see it. */
    private Optional<DecisionRecord> visible(Context ctx, String id) {
        Caller caller = Gatekeeper.caller(ctx);
        return determinations.log().find(id).filter(found -> readsAll(caller) || caller.name().equals(found.madeBy()));
    }

    private static boolean readsAll(Caller caller) {
        return caller.scopes().grantsExplicitly(READ_ALL);   // named, not through system/*.read
    }

    private void get(Context ctx) {
        String id = ctx.pathParam("determinationId");
        var found = visible(ctx, id);
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
        int limit;
        try {
            limit = ctx.queryParam("limit") == null ? DEFAULT_PAGE : Integer.parseInt(ctx.queryParam("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > DeterminationSearch.MAX_LIMIT) {
            HttpProblems.send(ctx, 400, "Invalid request", "The page size is out of range.", "limit",
                    "must be a whole number from 1 to " + DeterminationSearch.MAX_LIMIT + " (default " + DEFAULT_PAGE + ")");
            return;
        }
        Caller caller = Gatekeeper.caller(ctx);
        String after = ctx.queryParam("after");
        DeterminationSearch.Page found = determinations.log().search(new DeterminationSearch(requestId,
                readsAll(caller) ? null : caller.name(), after == null || after.isBlank() ? null : after, limit));
        List<DecisionRecord> page = found.records();
        boolean more = found.more();
        StringBuilder body = new StringBuilder("{\"requestId\":").append(ContractJson.write(requestId)).append(",\"determinations\":[");
        for (int i = 0; i < page.size(); i++) {
            body.append(i == 0 ? "" : ",").append(page.get(i).responseJson().text());
        }
        body.append(']');
        if (more) {
            String next = "/v1/determinations?requestId=" + java.net.URLEncoder.encode(requestId, java.nio.charset.StandardCharsets.UTF_8)
                    + "&limit=" + limit + "&after=" + page.get(page.size() - 1).determinationId();
            body.append(",\"next\":").append(ContractJson.write(next));
        }
        ctx.status(200).contentType(JSON).result(body.append('}').toString());
    }

    /** What a channel sent for a determination when that was not the determination itself, as it was sent. */
    private void sent(Context ctx) {
        String id = ctx.pathParam("determinationId");
        if (visible(ctx, id).isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No determination has id " + id + ".");
            return;
        }
        var found = determinations.log().findSent(id);
        if (found.isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found",
                    "Determination " + id + " was sent as it is stored (GET /v1/determinations/" + id + "); nothing else was sent.");
            return;
        }
        ctx.status(200).contentType(found.get().contentType()).result(found.get().body().toByteArray());
    }

    /** The determination decided again with the policy data it was decided under, and with today's. */
    private void replay(Context ctx) {
        String id = ctx.pathParam("determinationId");
        if (visible(ctx, id).isEmpty()) {
            HttpProblems.send(ctx, 404, "Not found", "No determination has id " + id + ".");
            return;
        }
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
