package org.medpolicy.app.http.fhir;

import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.medpolicy.core.cases.DecisionSubscription;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.pas.PasSubscriptions;
import org.medpolicy.security.Caller;

/**
 * {@code POST /fhir/Subscription} (a subscription to the PAS topic for an organization the client
 * is registered for: 201, status requested, then the handshake) and {@code GET /fhir/Subscription/{id}} (its current status, to its own client only).
 * Thread-safe.
 */
public final class SubscriptionRoutes {

    private final DecisionNotifier notifier;
    private final Tenancy tenancy;

    public SubscriptionRoutes(DecisionNotifier notifier, org.medpolicy.security.ClientRegistry clients) {
        this.notifier = notifier;
        this.tenancy = new Tenancy(clients);
    }

    /** The PAS subscriptions' routes. */
    public void addTo(RouteTable table) {
        table.post("/fhir/Subscription", Access.scope("system/Claim.write").costing(Access.HEAVY_READ), FhirRoutes.fhir("PAS",
                        "Subscribe to decisions of pended requests (R4 backport, rest-hook)").accepts(FhirRoutes.FHIR_JSON, "FhirResource")
                        .answers(201, FhirRoutes.FHIR_JSON, "FhirResource").errors(400, null, 403, "an organization this client is not registered for"), this::create)
                .get("/fhir/Subscription/{id}", Access.scope("system/ClaimResponse.read"), FhirRoutes.fhir("PAS", "A Subscription")
                        .errors(404, null), this::read);
    }

    void create(Context ctx) throws IOException, RequestBodies.FhirRefusal {
        PasSubscriptions.Requested requested = PasSubscriptions.read(FhirRoutes.body(ctx));
        if (!tenancy.actsFor(ctx, List.of(requested.organizationIdentifier()), "Subscription.criteria (org-identifier)")) {
            return;
        }
        if (!notifier.allows(requested.endpoint())) {
            FhirRoutes.send(ctx, 400, new FhirInputException("Subscription.channel.endpoint",
                    "is not allowed: notifications go only to https URLs on public addresses").toOperationOutcome());
            return;
        }
        Caller caller = org.medpolicy.app.http.Gatekeeper.caller(ctx);
        DecisionSubscription subscription = new DecisionSubscription(UUID.randomUUID().toString(), caller.clientId(),
                requested.organizationIdentifier(), requested.endpoint().toString(), requested.headers(), "requested", 0, Instant.now());
        notifier.subscriptions().save(subscription);
        notifier.handshake(subscription);
        ctx.header("Location", notifier.subscriptionUrl(subscription.id()));
        FhirRoutes.send(ctx, 201, PasSubscriptions.resource(subscription.id(), "", requested, "requested"));
    }

    void read(Context ctx) {
        Caller caller = org.medpolicy.app.http.Gatekeeper.caller(ctx);
        DecisionSubscription subscription = notifier.subscriptions().find(ctx.pathParam("id"))
                .filter(found -> found.clientId().equals(caller.clientId())).orElse(null);
        if (subscription == null) {
            FhirRoutes.send(ctx, 404, new FhirInputException("id", "no Subscription of this client has id " + ctx.pathParam("id"))
                    .toOperationOutcome());
            return;
        }
        FhirRoutes.send(ctx, 200, PasSubscriptions.resource(subscription.id(), "", new PasSubscriptions.Requested(
                subscription.organizationIdentifier(), java.net.URI.create(subscription.endpoint()), subscription.headers()),
                subscription.status()));
    }
}
