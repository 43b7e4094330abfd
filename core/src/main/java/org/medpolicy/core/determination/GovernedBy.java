package org.medpolicy.core.determination;

/** Where the answer for an item is written: an NCD, an LCD, a medical policy, the Medication Policy Manual. */
public record GovernedBy(String type, String id, String title) {
}
