package org.medpolicy.app.http.auth;

import org.medpolicy.app.http.RouteTable;
import org.medpolicy.app.http.Access;

import org.medpolicy.app.http.Gatekeeper;
import org.medpolicy.app.http.RequestBodies;
import org.medpolicy.app.http.SecuritySettings;
import org.medpolicy.app.http.ServerSecurity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medpolicy.core.json.ContractJson;
import org.medpolicy.security.IssuedToken;
import org.medpolicy.security.OAuthException;

/**
 * SMART Backend Services discovery and token exchange: {@code GET /.well-known/smart-configuration},
 * {@code GET /.well-known/jwks.json} (the keys our access tokens are signed with) and
 * {@code POST /auth/token}. Token errors are RFC 6749 error objects, as OAuth clients expect,
 * not problem documents. Thread-safe.
 */
public final class TokenRoutes {

    /** The scopes the routes of this server check. */
    public static final List<String> SCOPES = List.of("system/determinations.write", "system/determinations.read",
            "system/policies.read", "system/Questionnaire.read", "system/Claim.write", "system/ClaimResponse.read",
            "system/metrics.read", "system/audit.read", "system/cases.write", "system/cases.read", "system/reports.read",
            org.medpolicy.app.http.api.JsonApiRoutes.READ_ALL);

    private final ServerSecurity security;
    private final Gatekeeper gatekeeper;
    private final String publicUrl;

    public TokenRoutes(ServerSecurity security, Gatekeeper gatekeeper, String publicUrl) {
        this.security = security;
        this.gatekeeper = gatekeeper;
        this.publicUrl = publicUrl;
    }

    /** SMART Backend Services' routes. */
    public void addTo(RouteTable table) {
        table.get("/.well-known/smart-configuration", Access.open(), RouteTable.Doc.of("Security",
                        "SMART configuration (token endpoint, algorithms, scopes)"), this::smartConfiguration)
                .get("/.well-known/jwks.json", Access.open(), RouteTable.Doc.of("Security", "Public keys of the access tokens this server signs"),
                        this::jwks)
                .post("/auth/token", Access.open(), RouteTable.Doc.of("Security", "SMART Backend Services token endpoint")
                        .accepts("application/x-www-form-urlencoded", "TokenRequest").errors(400, "invalid_request, invalid_grant, "
                                + "invalid_scope or unsupported_grant_type", 401, "invalid_client", 429, "too many refused assertions"), this::token);
    }

    void smartConfiguration(Context ctx) {
        ObjectNode configuration = ContractJson.mapper().createObjectNode();
        configuration.put("issuer", publicUrl);
        configuration.put("token_endpoint", ServerSecurity.tokenUrl(publicUrl));
        configuration.put("jwks_uri", publicUrl + "/.well-known/jwks.json");
        strings(configuration.putArray("token_endpoint_auth_methods_supported"), List.of("private_key_jwt"));
        strings(configuration.putArray("token_endpoint_auth_signing_alg_values_supported"), List.of("ES384", "RS384"));
        strings(configuration.putArray("grant_types_supported"), List.of("client_credentials"));
        strings(configuration.putArray("scopes_supported"), SCOPES);
        strings(configuration.putArray("capabilities"), List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
        ctx.status(200).contentType("application/json").result(ContractJson.write(configuration));
    }

    void jwks(Context ctx) {
        ctx.status(200).contentType("application/jwk-set+json").result(security.signingKey().publicJwks().toString(true));
    }

    void token(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        SecuritySettings limits = security.settings();
        long waitNanos = security.limiter().tryAcquire("token:" + ctx.ip(), limits.tokenRate(), limits.tokenBurst());
        if (waitNanos > 0) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000)));
            error(ctx, 429, "slow_down", "Too many token requests from this address; wait before trying again.");
            return;
        }
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        if (!contentType.startsWith("application/x-www-form-urlencoded")) {
            error(ctx, 400, "invalid_request", "Send the token request as application/x-www-form-urlencoded.");
            return;
        }
        Map<String, String> form = new HashMap<>();
        for (Map.Entry<String, List<String>> parameter : ctx.formParamMap().entrySet()) {
            if (parameter.getValue().size() != 1) {
                error(ctx, 400, "invalid_request", "The parameter " + parameter.getKey() + " is given more than once.");
                return;
            }
            form.put(parameter.getKey(), parameter.getValue().get(0));
        }
        try {
            IssuedToken issued = security.tokenEndpoint().exchange(form);
            gatekeeper.auditTokenRequest(ctx, issued.clientId(), issued.scopes().toString());
            ObjectNode body = ContractJson.mapper().createObjectNode();
            body.put("access_token", issued.accessToken());
            body.put("token_type", "bearer");
            body.put("expires_in", issued.expiresInSeconds());
            body.put("scope", issued.scopes().toString());
            ctx.status(200).contentType("application/json").result(ContractJson.write(body));
        } catch (OAuthException e) {
            gatekeeper.auditTokenRequest(ctx, null, null);
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"medpolicy\"");
            }
            error(ctx, e.status(), e.error(), e.getMessage());
        }
    }

    private static void error(Context ctx, int status, String error, String description) {
        RequestBodies.discard(ctx);
        ObjectNode body = ContractJson.mapper().createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        ctx.status(status).contentType("application/json").result(ContractJson.write(body));
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
