package org.medpolicy.core.request;

/** What a request asks: a decision before the service, or a screen of a claim line after it. */
public enum RequestKind {
    /** An organization determination (prior authorization); the decision clock runs. */
    PRE_SERVICE,
    /** A claim line screened after the fact; no clock, no member notice. */
    CLAIM
}
