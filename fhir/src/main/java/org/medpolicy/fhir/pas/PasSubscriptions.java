package org.medpolicy.fhir.pas;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.medpolicy.fhir.Fhir;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.fhir.FhirInputException.Issue;

/**
 * PAS notifications through the R4 Subscriptions backport: reading a subscription to the PAS topic
 * (filtered by the provider organization's identifier, rest-hook, full-resource payload), and the
 * notification Bundles sent on its channel: the handshake, and an event notification whose focus
 * is the updated PAS response Bundle. Stateless.
 */
public final class PasSubscriptions {

    public static final String TOPIC = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic";
    static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    static final String FILTER = BACKPORT + "backport-filter-criteria";
    static final String PAYLOAD = BACKPORT + "backport-payload-content";

    /** What a subscriber asked for. */
    public record Requested(String organizationIdentifier, URI endpoint, List<String> headers) {
    }

    private PasSubscriptions() {
    }

    public static Requested read(JsonNode tree) {
        Subscription subscription = Fhir.parse(tree, Subscription.class, "$");
        List<Issue> issues = new ArrayList<>();
        if (!TOPIC.equals(subscription.getCriteria())) {
            issues.add(new Issue("Subscription.criteria", IssueType.NOTSUPPORTED, "must be the PAS topic " + TOPIC));
        }
        String organization = null;
        for (Extension filter : subscription.getCriteriaElement().getExtensionsByUrl(FILTER)) {
            String value = filter.getValue() == null ? "" : filter.getValue().primitiveValue();
            if (value != null && value.startsWith("org-identifier=") && value.length() > "org-identifier=".length()) {
                organization = value.substring("org-identifier=".length());
                // The token form system|value names the same NPI: org-identifier=http://hl7.org/fhir/sid/us-npi|1234567893.
                if (organization.startsWith(NPI + "|")) {
                    organization = organization.substring(NPI.length() + 1);
                }
            }
        }
        if (organization == null) {
            issues.add(new Issue("Subscription.criteria.extension", IssueType.REQUIRED,
                    "needs a backport-filter-criteria 'org-identifier=<the requesting organization's identifier>'"));
        }
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        if (channel.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            issues.add(new Issue("Subscription.channel.type", IssueType.NOTSUPPORTED, "must be rest-hook"));
        }
        URI endpoint = null;
        try {
            endpoint = channel.hasEndpoint() ? URI.create(channel.getEndpoint()) : null;
        } catch (IllegalArgumentException e) {
            endpoint = null;
        }
        if (endpoint == null || endpoint.getHost() == null || !("https".equals(endpoint.getScheme()) || "http".equals(endpoint.getScheme()))) {
            issues.add(new Issue("Subscription.channel.endpoint", IssueType.VALUE, "must be an absolute https URL"));
            endpoint = null;
        }
        if (!"application/fhir+json".equals(channel.getPayload())) {
            issues.add(new Issue("Subscription.channel.payload", IssueType.NOTSUPPORTED, "must be application/fhir+json"));
        }
        boolean full = channel.getPayloadElement().getExtensionsByUrl(PAYLOAD).stream()
                .anyMatch(e -> e.getValue() != null && "full-resource".equals(e.getValue().primitiveValue()));
        if (!full) {
            issues.add(new Issue("Subscription.channel.payload.extension", IssueType.NOTSUPPORTED,
                    "backport-payload-content must be full-resource"));
        }
        List<String> headers = new ArrayList<>();
        for (StringType header : channel.getHeader()) {
            String value = header.getValue();
            if (value == null || !value.matches("[A-Za-z0-9-]{1,64}:[^\\r\\n]{0,4096}")) {
                issues.add(new Issue("Subscription.channel.header", IssueType.VALUE, "each header is 'Name: value' on one line"));
            } else {
                headers.add(value);
            }
        }
        if (!issues.isEmpty()) {
            throw new FhirInputException(issues);
        }
        return new Requested(organization, endpoint, headers);
    }

    /** The subscription as stored, in FHIR: for the 201 answer and reads. */
    public static Subscription resource(String id, String baseUrl, Requested requested, String status) {
        Subscription subscription = new Subscription();
        subscription.setId(id);
        subscription.setMeta(new Meta().addProfile("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"));
        subscription.setStatus(Subscription.SubscriptionStatus.fromCode(status));
        subscription.setReason("Da Vinci PAS: decisions on pended prior-authorization requests");
        subscription.setCriteria(TOPIC);
        subscription.getCriteriaElement().addExtension(FILTER, new StringType("org-identifier=" + requested.organizationIdentifier()));
        var channel = subscription.getChannel();
        channel.setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(requested.endpoint().toString())
                .setPayload("application/fhir+json");
        channel.getPayloadElement().addExtension(PAYLOAD, new CodeType("full-resource"));
        requested.headers().forEach(header -> channel.addHeader(header.substring(0, header.indexOf(':') + 1) + " ***"));
        return subscription;
    }

    /** The handshake sent when a subscription is created. */
    public static Bundle handshake(String subscriptionUrl) {
        return notification(subscriptionUrl, "handshake", "requested", 0, null);
    }

    /** An event notification whose focus is {@code response} (the updated PAS response Bundle). */
    public static Bundle event(String subscriptionUrl, int eventNumber, Bundle response) {
        return notification(subscriptionUrl, "event-notification", "active", eventNumber, response);
    }

    private static Bundle notification(String subscriptionUrl, String type, String status, int events, Bundle focus) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY).setTimestamp(new Date());
        bundle.setMeta(new Meta().addProfile(BACKPORT + "backport-subscription-notification-r4"));
        Parameters parameters = new Parameters();
        parameters.setId(UUID.randomUUID().toString());
        parameters.setMeta(new Meta().addProfile(BACKPORT + "backport-subscription-status-r4"));
        parameters.addParameter().setName("subscription").setValue(new Reference(subscriptionUrl));
        parameters.addParameter().setName("topic").setValue(new CanonicalType(TOPIC));
        parameters.addParameter().setName("status").setValue(new CodeType(status));
        parameters.addParameter().setName("type").setValue(new CodeType(type));
        parameters.addParameter().setName("events-since-subscription-start").setValue(new StringType(Integer.toString(events)));
        String focusUrl = "urn:uuid:" + UUID.randomUUID();
        if (focus != null) {
            var event = parameters.addParameter().setName("notification-event");
            event.addPart().setName("event-number").setValue(new StringType(Integer.toString(events)));
            event.addPart().setName("focus").setValue(new Reference(focusUrl));
        }
        var statusEntry = bundle.addEntry().setFullUrl("urn:uuid:" + parameters.getId()).setResource(parameters);
        statusEntry.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(subscriptionUrl + "/$status");
        statusEntry.getResponse().setStatus("200");
        if (focus != null) {
            var focusEntry = bundle.addEntry().setFullUrl(focusUrl).setResource(focus);
            focusEntry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Claim/$submit");
            focusEntry.getResponse().setStatus("200");
        }
        return bundle;
    }

    /** The NPI system. */
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";

    /**
     * The NPIs of the provider a request Bundle names ({@code Claim.provider}): what an
     * org-identifier filter matches, and what a client must be registered to act for.
     */
    public static List<String> providerNpis(Bundle submitted) {
        List<String> identifiers = new ArrayList<>();
        Claim claim = (Claim) submitted.getEntryFirstRep().getResource();
        String reference = claim.getProvider().getReference();
        for (Bundle.BundleEntryComponent entry : submitted.getEntry()) {
            Resource resource = entry.getResource();
            boolean provider = reference != null && (reference.equals(entry.getFullUrl())
                    || (resource != null && reference.equals(resource.fhirType() + "/" + resource.getIdElement().getIdPart())));
            if (!provider) {
                continue;
            }
            List<Identifier> found = resource instanceof Organization organization ? organization.getIdentifier()
                    : resource instanceof Practitioner practitioner ? practitioner.getIdentifier() : List.of();
            found.stream().filter(identifier -> identifier.hasValue() && NPI.equals(identifier.getSystem()))
                    .forEach(identifier -> identifiers.add(identifier.getValue()));
        }
        return identifiers.stream().distinct().toList();
    }
}
