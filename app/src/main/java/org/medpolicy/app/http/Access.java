package org.medpolicy.app.http;

/**
 * What a route asks of its caller, declared with the route in the {@link RouteTable}: nothing
 * (health, discovery, FHIR metadata, the token endpoint itself), a valid access token, a token with
 * a scope, or a CDS Hooks JWT from a registered EHR; and what a call costs of its caller's rate
 * bucket ({@code cost} tokens: 1 for most, more for calls that cost the server more, so a client's
 * rate limits the work it makes, not just its calls). Immutable.
 */
public record Access(Kind kind, String scope, int cost) {

    public Access {
        if (cost < 1) {
            throw new IllegalArgumentException("a call costs at least one token: " + cost);
        }
    }

    public Access(Kind kind, String scope) {
        this(kind, scope, 1);
    }

    /**
     * What the heavier calls cost. Why these: on this machine an order-sign hook call (an ES384
     * signature check, HAPI parsing and writing) runs at 250–310/s against 5,000/s for a
     * determination over the JSON API (BENCHMARKS.md), so FHIR calls that parse and write Bundles
     * count as {@value #FHIR_WRITE}; a replay decides twice, and an inquiry or a questionnaire
     * package parses and writes FHIR without deciding, so they count as {@value #HEAVY_READ}.
     */
    public static final int FHIR_WRITE = 10;
    public static final int HEAVY_READ = 5;

    /** This access, costing {@code tokens} of the caller's bucket per call. */
    public Access costing(int tokens) {
        return new Access(kind, scope, tokens);
    }

    /**
     * OPEN: anyone. TOKEN / SCOPE: a backend access token (with the scope). CDS_HOOKS: an EHR's JWT.
     * USER: a signed-in workbench user (session token as bearer or cookie); with a scope, a backend
     * client holding it is let in too (the case API serves both). PAGE: a workbench page, for a
     * signed-in user by the session cookie; without one the browser is sent to the sign-in page.
     */
    public enum Kind { OPEN, TOKEN, SCOPE, CDS_HOOKS, USER, PAGE }

    public static Access open() {
        return new Access(Kind.OPEN, null);
    }

    public static Access anyToken() {
        return new Access(Kind.TOKEN, null);
    }

    public static Access scope(String scope) {
        return new Access(Kind.SCOPE, scope);
    }

    /** A signed-in user; or, when {@code scope} is not null, also a backend client with that scope. */
    public static Access user(String scope) {
        return new Access(Kind.USER, scope);
    }

    public static Access page() {
        return new Access(Kind.PAGE, null);
    }

    public static Access cdsHooks() {
        return new Access(Kind.CDS_HOOKS, null);
    }
}
