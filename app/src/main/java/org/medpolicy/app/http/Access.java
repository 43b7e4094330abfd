package org.medpolicy.app.http;

/**
 * What a route asks of its caller, declared beside the route in {@link MedpolicyServer}: nothing
 * (health, discovery, FHIR metadata, the token endpoint itself), a valid access token, a token with
 * a scope, or a CDS Hooks JWT from a registered EHR. Immutable.
 */
record Access(Kind kind, String scope) {

    enum Kind { OPEN, TOKEN, SCOPE, CDS_HOOKS }

    static Access open() {
        return new Access(Kind.OPEN, null);
    }

    static Access anyToken() {
        return new Access(Kind.TOKEN, null);
    }

    static Access scope(String scope) {
        return new Access(Kind.SCOPE, scope);
    }

    static Access cdsHooks() {
        return new Access(Kind.CDS_HOOKS, null);
    }
}
