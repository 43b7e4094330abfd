package org.medpolicy.core.request;

/** Who sent the request. {@code role} may be null for a CLAIM. Immutable. */
public record Requester(RequesterRole role, String id) {
}
