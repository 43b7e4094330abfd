package org.medpolicy.core.request;

/** How fast a PRE_SERVICE request must be decided. */
public enum Urgency {
    STANDARD,
    EXPEDITED
}
