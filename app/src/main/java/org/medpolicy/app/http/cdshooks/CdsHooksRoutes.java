package org.medpolicy.app.http.cdshooks;

import io.javalin.http.Context;
import java.io.IOException;
import org.medpolicy.app.http.Access;
import org.medpolicy.app.http.ChannelMetrics;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.fhir.FhirRoutes;
import org.medpolicy.core.application.Channel;
import org.medpolicy.core.application.DeterminationService;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.json.Utf8Json;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.crd.CrdService;
import org.medpolicy.app.outbound.EhrFhirReads;
import org.medpolicy.security.Caller;
import org.medpolicy.security.Client;
import org.medpolicy.fhir.crd.CrdVersion;
import org.medpolicy.security.ClientRegistry;

/**
 * CDS Hooks (Da Vinci CRD): discovery and the hook services. A hook's determination is decided
 * and recorded through the one service; what the EHR is sent (cards and system actions) is kept
 * beside it, byte for byte, before it is sent. What prefetch lacks is read from the calling EHR's
 * FHIR server only as that EHR is registered ({@link EhrFhirReads}). Bad input is a 400
 * OperationOutcome. Thread-safe.
 */
public final class CdsHooksRoutes {

    private static final String JSON = "application/json";

    private final CrdService crd;
    private final DeterminationService determinations;
    private final ChannelMetrics metrics;
    private final ClientRegistry clients;
    private final EhrFhirReads ehrReads;

    public CdsHooksRoutes(CrdService crd, DeterminationService determinations, ChannelMetrics metrics, ClientRegistry clients,
                          EhrFhirReads ehrReads) {
        this.crd = crd;
        this.clients = clients;
        this.ehrReads = ehrReads;
        this.determinations = determinations;
        this.metrics = metrics;
    }

    public void addTo(RouteTable table) {
        table.get("/cds-services", Access.open(), RouteTable.Doc.of("CDS Hooks", "CDS Hooks discovery (Da Vinci CRD)"),
                        ctx -> ctx.status(200).contentType(JSON).result(ContractJson.write(crd.discovery())))
                .post("/cds-services/{serviceId}", Access.cdsHooks().costing(Access.FHIR_WRITE), RouteTable.Doc.of("CDS Hooks",
                        "Call a CDS Hooks service: cards and coverage-information system actions").accepts(JSON, null)
                        .errors(400, "malformed: an OperationOutcome listing every problem", 401, "no valid CDS Hooks JWT",
                                404, "no such service", 503, "the decision log cannot take it: not decided"), this::call);
    }

    private void call(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        var hook = CrdService.Hook.byId(ctx.pathParam("serviceId"));
        if (hook.isEmpty()) {
            FhirRoutes.send(ctx, 404, new FhirInputException("serviceId", "no CDS service has id " + ctx.pathParam("serviceId"))
                    .toOperationOutcome());
            return;
        }
        Caller caller = org.medpolicy.app.http.Gatekeeper.caller(ctx);
        Client ehr = clients.find(caller.clientId()).orElse(null);
        CrdVersion registered = ehr == null ? null : CrdVersion.parse(ehr.versions().crd()).orElse(null);
        CrdService.HookOutcome outcome = crd.call(hook.get(), RequestBodies.fhirJson(ctx, JSON),
                new CrdService.HookCaller(caller.name(), ehrReads.forEhr(ehr), registered));
        Utf8Json sent = ContractJson.writeUtf8(outcome.response());
        if (outcome.determination() != null) {
            determinations.recordSent(Channel.CDS_HOOKS, outcome.determination().determinationId(), JSON, sent);
            metrics.recorded(ctx, Channel.CDS_HOOKS, outcome.determination());
        }
        ctx.status(200).contentType(JSON).result(sent.toByteArray());
    }
}
