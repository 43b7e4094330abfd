package org.medpolicy.app.http;

/**
 * What a route asks of its caller, declared with the route in the {@link RouteTable}: nothing
 * (health, discovery, FHIR metadata, the token endpoint itself), a valid access token, a token with
 * a scope, or a CDS Hooks JWT from a registered EHR. Immutable.
 */
public record Access(Kind kind, String scope) {

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
