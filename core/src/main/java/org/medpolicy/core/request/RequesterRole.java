package org.medpolicy.core.request;

/**
 * Who may ask for a pre-service organization determination: the three the seed names ("Members,
 * their appointed representative, or a treating provider").
 */
public enum RequesterRole {
    MEMBER,
    REPRESENTATIVE,
    TREATING_PROVIDER
}
