package org.medpolicy.app.http.auth;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.HttpProblems;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.SecuritySettings;
import org.medpolicy.app.http.ServerSecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.medpolicy.core.cases.Role;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.core.problem.FieldError;
import org.medpolicy.core.problem.Problem;
import org.medpolicy.security.AuthenticationException;
import org.medpolicy.security.Passwords;
import org.medpolicy.security.Session;
import org.medpolicy.security.Sessions;
import org.medpolicy.security.User;

/**
 * Sign-in for people: {@code POST /v1/sessions} (username and password → a session token),
 * {@code DELETE /v1/sessions/current}; and user administration for ADMIN: {@code GET /v1/users},
 * {@code POST /v1/users}. Failed sign-ins cost the address a token of its refused-credentials bucket,
 * like any refused credential. Thread-safe.
 */
public final class UserRoutes {

    private final ServerSecurity security;

    public UserRoutes(ServerSecurity security) {
        this.security = security;
    }

    /** Sessions' and users' routes. */
    public void addTo(RouteTable table) {
        table.post("/v1/sessions", Access.open(), RouteTable.Doc.of("Security", "Sign in (workbench users)").accepts("application/json", "SignIn")
                        .answers(201, "application/json", null).errors(400, "malformed", 401, "wrong username or password",
                                429, "too many failed sign-ins"), this::signIn)
                .delete("/v1/sessions/current", Access.user(null), RouteTable.Doc.of("Security", "Sign out").answers(204, null, null),
                        this::signOut)
                .get("/v1/users", Access.user(null), RouteTable.Doc.of("Security", "Users (ADMIN)"), this::list)
                .post("/v1/users", Access.user(null), RouteTable.Doc.of("Security", "Add a user (ADMIN)").accepts("application/json", "NewUser")
                        .answers(201, "application/json", null).errors(400, "malformed: every problem listed", 409, "the username exists"),
                        this::add);
    }

    void signIn(Context ctx) throws java.io.IOException {
        SecuritySettings limits = security.settings();
        String bucket = "refused:" + ctx.ip();
        if (security.limiter().isExhausted(bucket, limits.failureRate(), limits.failureBurst())) {
            ctx.header("Retry-After", "1");
            HttpProblems.send(ctx, 429, "Too many requests", "Too many failed sign-ins from this address; wait before trying again.");
            return;
        }
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        try {
            String username = body.path("username").asText("");
            char[] password = body.path("password").asText("").toCharArray();
            Sessions.Started started = security.signIns().attempt(username, ctx.ip(), () -> security.sessions().signIn(username, password));
            ObjectNode out = ContractJson.mapper().createObjectNode();
            out.put("token", started.token());
            out.put("csrfToken", started.session().csrfToken());
            out.put("expiresAt", started.session().expiresAt().toString());
            out.set("user", user(started.session().user()));
            ctx.status(201).contentType("application/json").result(ContractJson.write(out));
        } catch (AuthenticationException e) {
            security.limiter().tryAcquire(bucket, limits.failureRate(), limits.failureBurst());
            HttpProblems.send(ctx, 401, "Unauthorized", e.getMessage());
        } catch (org.medpolicy.security.SignInThrottle.Throttled throttled) {
            ctx.header("Retry-After", Long.toString(throttled.retryAfterSeconds()));
            HttpProblems.send(ctx, 429, "Too many requests", throttled.getMessage());
        }
    }

    void signOut(Context ctx) {
        security.sessions().signOut(Gatekeeper.sessionToken(ctx));
        ctx.status(204);
    }

    void list(Context ctx) {
        requireAdmin(ctx);
        ObjectNode out = ContractJson.mapper().createObjectNode();
        ArrayNode users = out.putArray("users");
        security.users().list().forEach(user -> users.add(user(user)));
        ctx.status(200).contentType("application/json").result(ContractJson.write(out));
    }

    void add(Context ctx) throws java.io.IOException {
        requireAdmin(ctx);
        JsonNode body = RequestBodies.jsonObject(ctx);
        if (body == null) {
            return;
        }
        List<FieldError> errors = new ArrayList<>();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (JsonNode role : body.path("roles")) {
            try {
                roles.add(Role.valueOf(role.asText()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("roles", role.asText() + " is not one of INTAKE, REVIEWER, PHYSICIAN, ADMIN"));
            }
        }
        User user = null;
        try {
            user = new User(body.path("username").asText(""), body.path("displayName").asText(null), roles,
                    Passwords.hash(body.path("password").asText("").toCharArray()), Instant.now(), null,
                    body.path("credentials").asText(null));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("user", e.getMessage()));
        }
        if (errors.isEmpty()) {
            try {
                security.users().add(user);
            } catch (IllegalArgumentException e) {
                HttpProblems.send(ctx, 409, "Conflict", e.getMessage());
                return;
            }
            ctx.status(201).contentType("application/json").result(ContractJson.write(user(user)));
        } else {
            HttpProblems.send(ctx, Problem.invalidRequest(errors));
        }
    }

    private static void requireAdmin(Context ctx) {
        Session session = ctx.attribute(Gatekeeper.SESSION);
        if (session == null || !session.user().roles().contains(Role.ADMIN)) {
            throw new org.medpolicy.core.cases.CaseRefusal(org.medpolicy.core.cases.CaseRefusal.Reason.NOT_PERMITTED, "Only ADMIN may manage users.");
        }
    }

    static ObjectNode user(User user) {
        ObjectNode view = ContractJson.mapper().createObjectNode();
        view.put("username", user.username());
        view.put("displayName", user.displayName());
        ArrayNode roles = view.putArray("roles");
        user.roles().stream().map(Role::name).sorted().forEach(roles::add);
        view.put("disabled", user.isDisabled());
        return view;
    }

}
