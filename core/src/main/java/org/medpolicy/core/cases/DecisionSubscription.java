package org.medpolicy.core.cases;

import java.time.Instant;
import java.util.List;

/**
 * A provider organization's wish to be told when its pended prior-authorization requests are
 * decided (the Da Vinci PAS subscription topic): which client asked, for which organization
 * identifier, where to send notifications and with which headers, and how many were sent.
 * Immutable.
 */
public record DecisionSubscription(String id, String clientId, String organizationIdentifier, String endpoint, List<String> headers,
                                   String status, int eventsSent, Instant createdAt) {

    public DecisionSubscription {
        headers = List.copyOf(headers);
    }
}
