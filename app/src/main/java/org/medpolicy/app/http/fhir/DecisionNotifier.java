package org.medpolicy.app.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.Bundle;
import org.medpolicy.app.outbound.EndpointRule;
import org.medpolicy.app.outbound.OutboundHttp;
import org.medpolicy.core.cases.CaseListener;
import org.medpolicy.core.cases.CaseState;
import org.medpolicy.core.cases.DecisionSubscription;
import org.medpolicy.core.cases.DecisionSubscriptions;
import org.medpolicy.core.cases.PriorAuthorizationRequest;
import org.medpolicy.core.cases.PriorAuthorizationRequests;
import org.medpolicy.core.cases.ReviewCase;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.pas.PasResponses;
import org.medpolicy.fhir.pas.PasSubscriptions;

/**
 * Sends PAS subscription notifications: the handshake when a subscription is made, and an event
 * notification with the updated response Bundle when a case that came over PAS is decided or
 * withdrawn, to every active subscription that the submitting client made for the submitting
 * provider's organization (never to another client, whatever organization it names).
 *
 * <p>Why on its own thread, after the change is stored: a subscriber's server may be slow or down,
 * and a decision must never wait for it or fail because of it. Deliveries are attempted once, with
 * short timeouts; a failed handshake leaves the subscription in {@code error}.
 *
 * <p>Why endpoints are checked: a subscriber names the URL we will POST to, so an unchecked URL would
 * let any client make the server call its own network (SSRF). By default only https URLs whose host
 * resolves to public addresses are accepted, and every delivery connects only to the addresses it
 * checked ({@link OutboundHttp}: a name re-pointed at an internal address is not called). Thread-safe.
 */
public final class DecisionNotifier implements CaseListener, AutoCloseable {

    private final DecisionSubscriptions subscriptions;
    private final PriorAuthorizationRequests requests;
    private final String baseUrl;
    private final EndpointRule endpoints;
    private final OutboundHttp http;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "medpolicy-pas-notifier");
        thread.setDaemon(true);
        return thread;
    });

    public DecisionNotifier(DecisionSubscriptions subscriptions, PriorAuthorizationRequests requests, String baseUrl,
                            EndpointRule endpoints, OutboundHttp http) {
        this.http = http;
        this.subscriptions = subscriptions;
        this.requests = requests;
        this.baseUrl = baseUrl;
        this.endpoints = endpoints;
    }

    boolean allows(URI endpoint) {
        return endpoints.accepts().test(endpoint);
    }

    DecisionSubscriptions subscriptions() {
        return subscriptions;
    }

    String subscriptionUrl(String id) {
        return baseUrl + "/fhir/Subscription/" + id;
    }

    void handshake(DecisionSubscription subscription) {
        sender.execute(() -> {
            boolean delivered = post(subscription, PasSubscriptions.handshake(subscriptionUrl(subscription.id())));
            subscriptions.update(subscription.id(), delivered ? "active" : "error", 0);
        });
    }

    @Override
    public void changed(ReviewCase reviewCase) {
        if (reviewCase.state() != CaseState.DECIDED && reviewCase.state() != CaseState.WITHDRAWN) {
            return;
        }
        sender.execute(() -> {
            PriorAuthorizationRequest submitted = requests.latestFor(reviewCase.caseId()).orElse(null);
            if (submitted == null) {
                return;
            }
            try {
                Bundle original = Fhir.parse(ContractJson.mapper().readTree(submitted.requestBundleJson()), Bundle.class, "$");
                JsonNode determination = ContractJson.mapper().valueToTree(reviewCase.recommendation());
                for (String organization : PasSubscriptions.providerNpis(original)) {
                    for (DecisionSubscription subscription : subscriptions.forOrganization(organization)) {
                        if (!subscription.clientId().equals(submitted.clientId())) {
                            continue;   // only the client that submitted the request hears of it
                        }
                        int event = subscription.eventsSent() + 1;
                        Bundle response = PasResponses.response(original, reviewCase, submitted.itemSequences(), determination);
                        if (post(subscription, PasSubscriptions.event(subscriptionUrl(subscription.id()), event, response))) {
                            subscriptions.update(subscription.id(), subscription.status(), event);
                        }
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // A notification that cannot be built or sent is dropped; the decision stands and $inquire shows it.
            }
        });
    }

    private boolean post(DecisionSubscription subscription, Bundle notification) {
        URI endpoint = URI.create(subscription.endpoint());
        if (!endpoints.accepts().test(endpoint)) {
            return false;   // checked again at delivery, and the connection is pinned to the checked address
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : subscription.headers()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        try {
            return http.post(endpoint, headers, "application/fhir+json", Fhir.toJson(notification).getBytes(StandardCharsets.UTF_8),
                    Duration.ofSeconds(5), endpoints.reach()).status() / 100 == 2;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Sends what is queued (up to 5 s), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
