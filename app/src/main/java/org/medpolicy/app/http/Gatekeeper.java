package org.medpolicy.app.http;

import org.medpolicy.app.http.fhir.FhirRoutes;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.fhir.FhirInputException;
import org.medpolicy.security.AuditEntry;
import org.medpolicy.security.AuthenticationException;
import org.medpolicy.security.BearerTokens;
import org.medpolicy.security.Caller;
import org.medpolicy.security.Client;
import org.medpolicy.security.Session;
import org.medpolicy.security.Sessions;

/**
 * Lets a call in or answers it: authenticates the caller as its route's {@link Access} demands,
 * checks the scope, takes a token from the client's rate bucket, and afterwards writes the call to
 * the access audit. Refusals are 401 / 403 / 429 with {@code WWW-Authenticate} or {@code Retry-After},
 * as problem documents, or as OperationOutcomes under {@code /fhir} and {@code /cds-services}.
 *
 * <p>Refused credentials also cost the remote address a token of its own bucket: a signature check
 * is the most expensive thing an anonymous caller can make us do, so guessing is throttled before it
 * is attempted. Thread-safe.
 */
public final class Gatekeeper {

    private static final String CALLER = "medpolicy.caller";
    public static final String SESSION = "medpolicy.session";
    public static final String SESSION_COOKIE = "medpolicy_session";
    private static final String GUARDED = "medpolicy.guarded";
    /** A signed-in person's calls: a person clicks, a script does not. */
    private static final int USER_RATE_PER_SECOND = 100;
    private static final int USER_BURST = 200;

    private final ServerSecurity security;
    private final String publicUrl;
    private final java.util.function.BiConsumer<Context, Exception> faults;

    /** @param faults where a failure of the security machinery itself (the database away) is logged */
    Gatekeeper(ServerSecurity security, String publicUrl, java.util.function.BiConsumer<Context, Exception> faults) {
        this.security = security;
        this.publicUrl = publicUrl;
        this.faults = faults;
    }

    /** Who is calling; set for every route that is not open. */
    public static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    /** True when the call may go on; otherwise the refusal has been written. */
    boolean admit(Context ctx, Access access) {
        if (access.kind() == Access.Kind.OPEN) {
            return true;
        }
        ctx.attribute(GUARDED, Boolean.TRUE);
        SecuritySettings limits = security.settings();
        String failures = "refused:" + ctx.ip();
        if (security.limiter().isExhausted(failures, limits.failureRate(), limits.failureBurst()) && !knownToken(ctx, access)) {
            tooMany(ctx, 1, "Too many refused credentials from this address; wait before trying again.");
            return false;
        }
        try {
            if (access.kind() == Access.Kind.PAGE) {
                String cookie = ctx.cookie(SESSION_COOKIE);
                if (cookie == null || security.sessions().find(cookie).isEmpty()) {
                    RequestBodies.discard(ctx);
                    ctx.redirect("/workbench/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
                    return false;
                }
                return admitUser(ctx, cookie);
            }
            if (access.kind() == Access.Kind.USER) {
                String sessionToken = sessionToken(ctx);
                if (sessionToken != null || access.scope() == null) {
                    return admitUser(ctx, sessionToken);
                }
            }
            Caller caller = access.kind() == Access.Kind.CDS_HOOKS
                    ? security.cdsHooks().authenticate(ctx.header("Authorization"), publicUrl + ctx.path())
                    : security.tokens().verify(BearerTokens.extract(ctx.header("Authorization")));
            ctx.attribute(CALLER, caller);
            if (access.scope() != null) {
                caller.require(access.scope());
            }
            Client client = security.clients().find(caller.clientId()).orElse(null);
            if (client != null) {
                long waitNanos = security.limiter().tryAcquire("client:" + client.id(), client.ratePerSecond(), client.burst(),
                        access.cost());
                if (waitNanos > 0) {
                    tooMany(ctx, Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000),
                            "Client '" + client.id() + "' is over its rate of " + client.ratePerSecond() + " calls per second"
                                    + (access.cost() > 1 ? " (this call counts as " + access.cost() + ")." : "."));
                    return false;
                }
            }
            return true;
        } catch (AuthenticationException e) {
            if (e.status() == 401) {
                security.limiter().tryAcquire(failures, limits.failureRate(), limits.failureBurst());
            }
            refuse(ctx, e);
            return false;
        } catch (RuntimeException e) {
            // The registry or the replay guard cannot be reached: nobody can be let in, and it is not the caller's fault.
            faults.accept(ctx, e);
            send(ctx, 503, "Service unavailable", "Credentials cannot be checked right now; try again shortly.",
                    OperationOutcome.IssueType.TRANSIENT);
            return false;
        }
    }

    /** The workbench session of the request (bearer {@code mps_…} or the session cookie), or null. */
    public static String sessionToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer " + Sessions.PREFIX, 0, 7 + Sessions.PREFIX.length())) {
            return header.substring(7).strip();
        }
        return ctx.cookie(SESSION_COOKIE);
    }

    /** The signed-in session, if the request carries a live one. */
    Session session(Context ctx) {
        String token = sessionToken(ctx);
        return token == null ? null : security.sessions().find(token).orElse(null);
    }

    private boolean admitUser(Context ctx, String token) throws AuthenticationException {
        if (token == null) {
            throw AuthenticationException.missing("Sign in first: POST /v1/sessions, then send Authorization: Bearer <session token>.");
        }
        Session session = security.sessions().find(token)
                .orElseThrow(() -> AuthenticationException.invalid("The session has ended or was never valid; sign in again."));
        ctx.attribute(CALLER, new Caller(session.user().username(), Client.Kind.USER, org.medpolicy.security.Scopes.none(),
                session.expiresAt()));
        boolean byCookie = ctx.header("Authorization") == null;
        boolean changes = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
        if (byCookie && changes) {
            String presented = ctx.header("X-CSRF-Token");
            if (presented == null && String.valueOf(ctx.contentType()).startsWith("application/x-www-form-urlencoded")) {
                presented = ctx.formParam("csrf");
            }
            if (presented == null || !java.security.MessageDigest.isEqual(presented.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    session.csrfToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                send(ctx, 403, "Forbidden", "The form's CSRF token is missing or stale; reload the page.",
                        OperationOutcome.IssueType.FORBIDDEN);
                return false;
            }
        }
        ctx.attribute(SESSION, session);
        long waitNanos = security.limiter().tryAcquire("user:" + session.user().username(), USER_RATE_PER_SECOND, USER_BURST);
        if (waitNanos > 0) {
            tooMany(ctx, Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000), "Too many requests from this user.");
            return false;
        }
        return true;
    }

    /** A bearer token already verified is let through even from an address that sent bad ones (a shared NAT, a proxy). */
    private boolean knownToken(Context ctx, Access access) {
        String header = ctx.header("Authorization");
        return access.kind() != Access.Kind.CDS_HOOKS && header != null && header.length() > 7
                && security.tokens().isKnown(header.substring(7).strip());
    }

    /** Writes the finished call to the access audit, if its route is guarded. */
    void audit(Context ctx, String route, String correlationId) {
        if (ctx.attribute(GUARDED) == null) {
            return;
        }
        Caller caller = ctx.attribute(CALLER);
        security.audit().record(new AuditEntry(Instant.now(), caller == null ? null : caller.clientId(),
                caller == null ? null : caller.kind().name(), caller == null ? null : caller.scopes().toString(),
                ctx.method().name(), route, ctx.statusCode(), correlationId, ctx.ip()));
    }

    /** Records a token request (the token endpoint authenticates by itself). */
    public void auditTokenRequest(Context ctx, String clientId, String scopes) {
        ctx.attribute(GUARDED, Boolean.TRUE);
        if (clientId != null) {
            ctx.attribute(CALLER, new Caller(clientId, Client.Kind.BACKEND,
                    org.medpolicy.security.Scopes.parse(scopes), Instant.now()));
        }
    }

    private void refuse(Context ctx, AuthenticationException e) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"medpolicy\"");
        if (e.error() != null) {
            challenge.append(", error=\"").append(e.error()).append('"')
                    .append(", error_description=\"").append(e.getMessage().replace("\"", "'")).append('"');
        }
        if (e.requiredScope() != null) {
            challenge.append(", scope=\"").append(e.requiredScope()).append('"');
        }
        ctx.header("WWW-Authenticate", challenge.toString());
        String title = e.status() == 401 ? "Unauthorized" : "Forbidden";
        send(ctx, e.status(), title, e.getMessage(),
                e.status() == 401 ? OperationOutcome.IssueType.LOGIN : OperationOutcome.IssueType.FORBIDDEN);
    }

    private static void tooMany(Context ctx, long retryAfterSeconds, String detail) {
        ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        send(ctx, 429, "Too many requests", detail, OperationOutcome.IssueType.THROTTLED);
    }

    private static void send(Context ctx, int status, String title, String detail, OperationOutcome.IssueType type) {
        if (ctx.path().startsWith("/fhir/") || ctx.path().startsWith("/cds-services/")) {
            FhirRoutes.send(ctx, status, new FhirInputException(List.of(new FhirInputException.Issue("Authorization", type, detail)))
                    .toOperationOutcome());
        } else {
            HttpProblems.send(ctx, new Problem("https://medpolicy.org/problems/" + title.toLowerCase(java.util.Locale.ROOT)
                    .replace(' ', '-'), title, status, detail, List.of(), null));
        }
    }
}
