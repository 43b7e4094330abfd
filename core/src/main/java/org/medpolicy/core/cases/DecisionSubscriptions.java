package org.medpolicy.core.cases;

import java.util.List;
import java.util.Optional;

/** The stored decision subscriptions. Thread-safe; the store implements it. */
public interface DecisionSubscriptions {

    void save(DecisionSubscription subscription);

    Optional<DecisionSubscription> find(String id);

    /** Active subscriptions for requests of {@code organizationIdentifier}. */
    List<DecisionSubscription> forOrganization(String organizationIdentifier);

    /** Records the status and the count of notifications sent. */
    void update(String id, String status, int eventsSent);
}
