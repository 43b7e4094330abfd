package org.medpolicy.app.http.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Bundle;
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
 * resolves to public addresses are accepted. Thread-safe.
 */
public final class DecisionNotifier implements CaseListener, AutoCloseable {

    private final DecisionSubscriptions subscriptions;
    private final PriorAuthorizationRequests requests;
    private final String baseUrl;
    private final Predicate<URI> endpoints;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "medpolicy-pas-notifier");
        thread.setDaemon(true);
        return thread;
    });

    public DecisionNotifier(DecisionSubscriptions subscriptions, PriorAuthorizationRequests requests, String baseUrl,
                            Predicate<URI> endpoints) {
        this.subscriptions = subscriptions;
        this.requests = requests;
        this.baseUrl = baseUrl;
        this.endpoints = endpoints;
    }

    /** https, and a host that resolves only to public addresses: the production rule. */
    public static boolean publicHttps(URI endpoint) {
        if (!"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(endpoint.getHost())) {
                if (!org.medpolicy.security.OutboundAddresses.isGlobalUnicast(address)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    boolean allows(URI endpoint) {
        return endpoints.test(endpoint);
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
        if (!endpoints.test(URI.create(subscription.endpoint()))) {
            return false;   // checked again at delivery: a name that now resolves to an internal address is not called
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(subscription.endpoint())).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString(Fhir.toJson(notification)));
            for (String header : subscription.headers()) {
                int colon = header.indexOf(':');
                request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
